import { describe, expect, it } from "vitest";
import { fairness, roundTrips } from "../../../scripts/bench/lib/arrivals.js";
import { combine, met, type Figure } from "../../../scripts/bench/lib/report.js";
import type { ProbeRecord } from "../../../scripts/bench/lib/serverProbe.js";
import { layerOfUrl } from "../../../scripts/bench/profile.js";
import type { StormAnswer, StormPress } from "../../../scripts/bench/workers/storm.js";

const press = (i: number, sessionId = "s1"): StormPress => ({ userId: `u${i}`, sessionId, commandId: `c${i}`, offsetMs: i });
const answer = (p: StormPress, ok: boolean): StormAnswer => ({
  userId: p.userId,
  sessionId: p.sessionId,
  sentAt: 0,
  ackAt: 1,
  ok,
  code: ok ? null : "CLASS_FULL",
  bookingId: ok ? `b-${p.userId}` : null,
});
const probe = (
  ids: string[],
  transactions: [at: number, trips: number, rolledBack: number][] = [],
  queries: number[] = [],
): ProbeRecord => ({
  arrivals: { ids, at: ids.map((_, i) => i) },
  transactions: { at: transactions.map((t) => t[0]), roundTrips: transactions.map((t) => t[1]), rolledBack: transactions.map((t) => t[2]) },
  queries,
  samples: [],
});

describe("bench fairness (booking window)", () => {
  const presses = [0, 1, 2, 3].map((i) => press(i));

  it("counts nothing out of order when the first arrivals got the places", () => {
    const arrivals = ["c2", "c0", "c3", "c1"];
    const answers = presses.map((p) => answer(p, p.commandId === "c2" || p.commandId === "c0"));
    expect(fairness(presses, answers, probe(arrivals), 2)).toEqual({ arrived: 4, outOfOrder: 0, classes: 0, worstRank: 2 });
  });

  it("counts a booking given to a later arrival as out of order, by arrival at the server and not by send order", () => {
    const arrivals = ["c2", "c0", "c3", "c1"];
    const answers = presses.map((p) => answer(p, p.commandId === "c2" || p.commandId === "c1"));
    expect(fairness(presses, answers, probe(arrivals), 2)).toEqual({ arrived: 4, outOfOrder: 1, classes: 1, worstRank: 4 });
  });

  it("judges each class against its own arrivals", () => {
    const two = [press(0, "a"), press(1, "b"), press(2, "a"), press(3, "b")];
    const answers = two.map((p) => answer(p, p.commandId === "c2" || p.commandId === "c1"));
    expect(fairness(two, answers, probe(["c2", "c0", "c1", "c3"]), 1).outOfOrder).toBe(0);
    expect(fairness(two, answers, probe(["c0", "c2", "c1", "c3"]), 1).outOfOrder).toBe(1);
  });
});

describe("bench round trips per commit", () => {
  it("counts committed transactions in the window only, and every query per answer", () => {
    const r = roundTrips(
      probe(
        [],
        [
          [5, 7, 0],
          [10, 3, 0],
          [11, 4, 1],
          [50, 9, 0],
        ],
        [1, 6, 7, 8, 60],
      ),
      5,
      20,
      2,
    );
    expect(r).toMatchObject({ commits: 2, rolledBack: 1, mean: 5, max: 7, perAnswer: 1.5 });
  });
});

describe("bench targets", () => {
  const row = (value: number, baseline: number, target: Figure["target"]) =>
    combine([[{ scenario: "x", metric: "p99", value, baseline, unit: "ms", target }]])[0]!;

  it("holds a figure with two targets only when both hold", () => {
    const both: Figure["target"] = [
      { op: "<=", value: 1, on: "ratio" },
      { op: "<", value: 20, on: "value" },
    ];
    expect(met(row(10, 12, both))).toBe(true);
    expect(met(row(25, 30, both))).toBe(false);
    expect(met(row(10, 5, both))).toBe(false);
  });

  it("counts the runs in which a figure was generator-bound", () => {
    const f = (generatorBound: boolean): Figure => ({ scenario: "x", metric: "m", value: 1, baseline: 1, unit: "", generatorBound });
    expect(combine([[f(true)], [f(false)], [f(true)]])[0]!.bound).toBe(2);
  });
});

describe("bench CPU layers", () => {
  it.each([
    ["file:///r/node_modules/engine.io/build/socket.js", "transport"],
    ["file:///r/node_modules/uWebSockets.js/uws.js", "transport"],
    ["file:///r/server/cluster/rateLimit.ts", "auth/limits"],
    ["file:///r/node_modules/jose/dist/node/esm/jws/compact/verify.js", "auth/limits"],
    ["file:///r/rooms/RoomRouter.ts", "routing"],
    ["file:///r/rooms/ClassRoom.ts", "actor"],
    ["file:///r/domain/class/book.ts", "domain"],
    ["file:///r/node_modules/@mikro-orm/core/unit-of-work/UnitOfWork.js", "persistence"],
    ["file:///r/node_modules/pg-protocol/dist/parser.js", "persistence"],
    ["file:///r/server/persistence/classStore.ts", "persistence"],
    ["file:///r/rooms/viewStream.ts", "fan-out"],
    ["file:///r/domain/protocol/patch.ts", "fan-out"],
  ])("puts %s in %s", (url, layer) => expect(layerOfUrl(url)).toBe(layer));

  it("leaves libraries of no layer (zod, node internals) to their caller", () => {
    expect(layerOfUrl("file:///r/node_modules/zod/v4/core/parse.js")).toBeNull();
    expect(layerOfUrl("node:internal/process/task_queues")).toBeNull();
  });
});
