/**
 * Work deferred past a commit's answers (issue 15) fails alone. Regressions (review of the ack-first change): a
 * delta that could not be built threw out of `RoomViews.flush`, which a revocation, reset, stop or join calls
 * directly — the revocation never ran and the room's mailbox stalled; a batch whose adoption threw left the group
 * commit "in flight" for good; a throwing job queued after the replies was rethrown from a `setImmediate` callback,
 * an uncaught exception that ends the node.
 */
import { describe, expect, it } from "vitest";
import type { RoomDelta, RoomId } from "../../domain/protocol/envelope.js";
import { touched, valueSection } from "../../domain/views/sections.js";
import { afterReplies, reportAfterRepliesErrors } from "../../rooms/afterReplies.js";
import { GroupCommit } from "../../rooms/groupCommit.js";
import type { Pending } from "../../rooms/outcome.js";
import { RoomViews } from "../../rooms/roomViews.js";
import { EARLY } from "../support/domainBuilders.js";
import { testRuntime } from "../support/roomRuntime.js";

const nextTurn = () => new Promise((r) => setImmediate(r));

describe("a delta that cannot be built", () => {
  it("is logged and skipped for its audience only: the others get theirs, its watchers resume from a snapshot", async () => {
    type V = { n: number };
    const sent: { channel: string; delta: RoomDelta }[] = [];
    const errors: unknown[] = [];
    const rt = testRuntime(() => EARLY);
    rt.broadcaster = { ...rt.broadcaster, delta: (channel, delta) => void sent.push({ channel, delta }) };
    rt.log = { ...rt.log, error: (obj: unknown) => void errors.push(obj) } as typeof rt.log;
    const fine = { n: valueSection<V>((s) => s.n) };
    let bug = true;
    const broken = {
      n: valueSection<V>((s) => {
        if (bug && s.n === 1) {
          bug = false;
          throw new Error("a projection bug");
        }
        return s.n;
      }),
    };
    const v = new RoomViews<V>({
      room: "class:v" as RoomId,
      rt,
      audiences: () => ["staff", "public"],
      channel: (a) => `class:v#${a}`,
      project: (s) => ({ n: s.n }),
      sections: (a) => (a === "staff" ? broken : fine),
    });
    v.load({ n: 0 }, 100);
    v.publish({ n: 1 }, touched(["n"]));
    // Called directly, as a revocation or a stop does: it does not throw.
    expect(() => v.flush()).not.toThrow();
    expect(errors).toHaveLength(1);
    expect(sent.map((s) => [s.channel, s.delta.seq])).toEqual([["class:v#public", 101]]);
    // The staff stream moved a step without a delta: a watcher at 100 gets a snapshot of the state now.
    expect(v.join("staff", 100)).toMatchObject({ seq: 101, snapshot: { n: 1 } });
    v.publish({ n: 2 }, touched(["n"]));
    await nextTurn();
    expect(sent.map((s) => [s.channel, s.delta.seq])).toEqual([
      ["class:v#public", 101],
      ["class:v#staff", 102],
      ["class:v#public", 102],
    ]);
  });
});

describe("a batch whose adoption throws", () => {
  it("does not leave the room's group commit in flight: the next batch commits", async () => {
    type S = number;
    const commits: number[] = [];
    let state = 0;
    let throwOnce = true;
    const rt = testRuntime(() => EARLY);
    const gc = new GroupCommit<S, number>({
      id: "class:g" as RoomId,
      rt,
      committed: () => state,
      commit: async (_base, changes) => void commits.push(changes.length),
      landed: (batch) => {
        state = batch.at(-1)!.stateAfter;
        for (const p of batch) p.resolve(p.reply);
        if (throwOnce) {
          throwOnce = false;
          throw new Error("an adoption bug");
        }
      },
      redecide: async () => undefined,
      failed: async () => undefined,
      nothingWaits: () => true,
    });
    const pending = (n: number) =>
      new Promise((resolve) =>
        gc.push({
          changes: [n],
          stateAfter: n,
          reply: { ok: true },
          processed: null,
          resolve,
          afterCommit: undefined,
          later: undefined,
          job: { isolated: false },
        } as unknown as Pending<S, number>),
      );
    const unhandled: unknown[] = [];
    const onUnhandled = (err: unknown) => void unhandled.push(err);
    process.on("unhandledRejection", onUnhandled);
    try {
      await pending(1);
      await pending(2);
      for (let i = 0; i < 5 && !gc.settled; i += 1) await nextTurn();
      expect(commits).toEqual([1, 1]);
      expect(state).toBe(2);
      expect(gc.settled).toBe(true);
    } finally {
      await nextTurn();
      process.off("unhandledRejection", onUnhandled);
    }
  });
});

describe("work queued after the replies", () => {
  it("that throws is reported, not thrown out of the turn, and the rest of the turn's work runs", async () => {
    const reported: unknown[] = [];
    const previous = reportAfterRepliesErrors((err) => void reported.push(err));
    try {
      const ran: string[] = [];
      afterReplies(() => ran.push("first"));
      afterReplies(() => {
        throw new Error("a deferred bug");
      });
      afterReplies(() => ran.push("third"));
      await nextTurn();
      expect(ran).toEqual(["first", "third"]);
      expect(reported).toHaveLength(1);
    } finally {
      reportAfterRepliesErrors(previous);
    }
  });
});
