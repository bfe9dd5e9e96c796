/**
 * The live class leaderboard over real sockets against a real server (embedded PGlite): a coach sets
 * the WOD, members log results, and every watcher sees the ordered board change; invalid results change nothing.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ack, JoinResult } from "../../domain/protocol/envelope.js";
import { applyPatch } from "../../domain/protocol/patch.js";
import type { PublicClassView, StaffClassView } from "../../domain/views/classView.js";
import { BookingEntity, WorkoutResultEntity } from "../../server/db/entities/index.js";
import { aGym, type GymFixture } from "../support/gymFixture.js";
import { startTestServer, type TestServer } from "../support/services.js";
import { suiteSockets, eventually } from "../support/sockets.js";

const ok = <T>(ack: Ack<T>): T => {
  if (!ack.ok) throw new Error(`expected ok, got ${JSON.stringify(ack.error)}`);
  return ack.result;
};
const snapshotOf = <V>(ack: Ack<JoinResult>): { view: V; seq: number } => {
  const r = ok(ack);
  if (!("snapshot" in r)) throw new Error("expected a snapshot");
  return { view: r.snapshot as V, seq: r.seq };
};

describe("the live class leaderboard", () => {
  let t: TestServer;
  let gym: GymFixture;
  const sockets = suiteSockets(() => t.server);
  const connect = sockets.connect;

  beforeAll(async () => {
    t = await startTestServer({ COMMANDS_PER_SECOND: "1000", FLUSH_MAX_DELAY_MS: "2" });
    gym = await aGym(t.server.db.orm, { members: 6 });
  }, 120_000);

  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
  });

  /** A class that started ten minutes ago with members 0..3 booked. */
  async function runningClass() {
    const now = Date.now();
    const session = await gym.addSession({ startsAt: now - 10 * 60_000, endsAt: now + 50 * 60_000 });
    const em = t.server.db.orm.em.fork();
    for (const m of gym.members.slice(0, 4)) {
      em.create(BookingEntity, {
        id: randomUUID(),
        gymId: gym.gymId,
        sessionId: session.id,
        memberId: m.id,
        status: "booked",
        createdAt: now - 3_600_000,
        updatedAt: now - 3_600_000,
        creditUsed: false,
        promotedFromWaitlist: false,
      });
    }
    await em.flush();
    return { session, room: `class:${session.id}` };
  }

  it("shows a watching member the ordered board change live as a coach sets the WOD and three members log results", async () => {
    const { session, room } = await runningClass();
    const [m0, m1, m2] = gym.members;
    // The fixture makes every second member visible: m1 is, m0 and m2 are not; the public board names only visible members.
    const watcher = await connect(gym.members[3]!.id);
    const joined = snapshotOf<PublicClassView>(await watcher.join(room));
    expect(joined.view.leaderboard).toEqual({ workout: null, rows: [] });
    const coach = await connect(gym.coachId);
    ok(await coach.command(room, "class:setWorkout", { sessionId: session.id, title: "Fran", scoreType: "for_time" }));
    const log = async (memberId: string, ms: number, division: "rx" | "scaled") =>
      ok(
        await (
          await connect(memberId)
        ).command(room, "class:logResult", { sessionId: session.id, score: { type: "for_time", ms }, division }),
      );
    expect(await log(m0!.id, 420_000, "rx")).toMatchObject({ rank: 1 });
    expect(await log(m1!.id, 300_000, "scaled")).toMatchObject({ rank: 2 });
    expect(await log(m2!.id, 400_000, "rx")).toMatchObject({ rank: 1 });

    const current = () => watcher.deltas.filter((d) => d.room === room).reduce((v, d) => applyPatch(v, d.ops), joined.view);
    await eventually(() => expect(current().leaderboard.rows).toHaveLength(3));
    const board = current().leaderboard;
    expect(board.workout).toEqual({ title: "Fran", description: "", scoreType: "for_time", divisions: ["rx", "scaled"] });
    expect(board.rows).toEqual([
      { rank: 1, name: null, division: "rx", score: { type: "for_time", ms: 400_000 }, display: "6:40" },
      { rank: 2, name: null, division: "rx", score: { type: "for_time", ms: 420_000 }, display: "7:00" },
      { rank: 3, name: "Member", division: "scaled", score: { type: "for_time", ms: 300_000 }, display: "5:00" },
    ]);
    // The board changed live, one result at a time: the watcher saw 1, 2, then 3 rows.
    const sizes = watcher.deltas
      .filter((d) => d.room === room)
      .map((d) => d.ops.find((o) => o.path.join(".") === "leaderboard.rows"))
      .flatMap((o) => (o && o.op === "set" ? [(o.value as unknown[]).length] : []));
    expect(sizes).toEqual([1, 2, 3]);
    // Raw frames to a member never carry another member's id or email.
    const raw = watcher.frames.join("\n");
    for (const m of [m0!, m1!, m2!]) {
      expect(raw).not.toContain(m.id);
      expect(raw).not.toContain(m.email);
    }
    // Staff see the same order with names and ids; a fresh snapshot equals the replayed copy.
    const staff = snapshotOf<StaffClassView>(await coach.join(room)).view;
    const lines = Object.values(staff.leaderboard.results).sort((a, b) => a.rank - b.rank);
    expect(lines.map((l) => l.memberId)).toEqual([m2!.id, m0!.id, m1!.id]);
    expect(snapshotOf<PublicClassView>(await (await connect(gym.members[3]!.id)).join(room)).view).toEqual(current());
  });

  it("changes nothing for invalid results: wrong score type, bad payload, not booked, before the WOD is set", async () => {
    const { session, room } = await runningClass();
    const member = await connect(gym.members[0]!.id);
    const result = (payload: Record<string, unknown>) =>
      member.command(room, "class:logResult", { sessionId: session.id, division: "rx", ...payload });
    expect(await result({ score: { type: "for_time", ms: 1000 } })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    ok(
      await (
        await connect(gym.ownerId)
      ).command(room, "class:setWorkout", { sessionId: session.id, title: "Grace", scoreType: "for_time", divisions: ["rx"] }),
    );
    const watcher = await connect(gym.coachId);
    const { view } = snapshotOf<StaffClassView>(await watcher.join(room));
    const answers = await Promise.all([
      result({ score: { type: "reps", reps: 50 } }),
      result({ score: { type: "for_time", ms: -5 } }),
      result({ score: { type: "for_time", ms: 1000 }, division: "scaled" }),
      result({ score: { type: "for_time", ms: 1000, extra: true } }),
      (await connect(gym.members[5]!.id)).command(room, "class:logResult", {
        sessionId: session.id,
        division: "rx",
        score: { type: "for_time", ms: 1000 },
      }),
      (await connect(gym.deskId)).command(room, "class:setWorkout", { sessionId: session.id, title: "x", scoreType: "reps" }),
    ]);
    expect(answers.map((a) => (a.ok ? "ok" : a.error.code))).toEqual([
      "VALIDATION_FAILED",
      "VALIDATION_FAILED",
      "VALIDATION_FAILED",
      "VALIDATION_FAILED",
      "NOT_BOOKED",
      "FORBIDDEN",
    ]);
    expect(await t.server.db.orm.em.fork().count(WorkoutResultEntity, { sessionId: session.id })).toBe(0);
    // A valid result afterwards is the first change the watcher sees.
    ok(await result({ score: { type: "for_time", ms: 1000 } }));
    await eventually(() => expect(watcher.deltas.filter((d) => d.room === room)).toHaveLength(1));
    expect(view.leaderboard.results).toEqual({});
  });
});
