/**
 * A hot room's deltas (issue 15): a room with many watchers publishes at most once per `fanoutHoldUsPerWatcher` µs ×
 * its watchers, and commits landing in between go out as one delta. Sequences stay gapless and in commit order, a
 * watcher resuming with `since` gets the deltas it missed, a join sends what is held first, and each audience's
 * merged delta still shows only that audience's view.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Audience, JoinResult, RoomDelta, RoomId } from "../../domain/protocol/envelope.js";
import { applyPatch } from "../../domain/protocol/patch.js";
import { projectSections, recordSection, touched, valueSection, type ViewSections } from "../../domain/views/sections.js";
import { RoomViews } from "../../rooms/roomViews.js";
import { EARLY } from "../support/domainBuilders.js";
import { nextTurn, testRuntime } from "../support/roomRuntime.js";

/** `n` is public; `notes` (one per member) only staff see. */
type S = { n: number; notes: Record<string, number> };
const views: Record<"staff" | "public", ViewSections<S>> = {
  staff: {
    n: valueSection<S>((s) => s.n),
    notes: recordSection<S>(
      (s) => s.notes,
      (s, k) => s.notes[k],
    ),
  },
  public: { n: valueSection<S>((s) => s.n) },
};
const audiences = ["staff", "public"] as const;
const channel = (a: Audience) => `class:h#${a}`;

/** A room's views whose broadcaster records every delta, with `watchers` sockets on each channel. */
function room(watchers: number) {
  const sent: { channel: string; delta: RoomDelta }[] = [];
  const rt = { ...testRuntime(() => EARLY), ringSize: 1_000, fanoutHoldUsPerWatcher: 10 };
  rt.broadcaster = { ...rt.broadcaster, delta: (c, delta) => void sent.push({ channel: c, delta }), watchers: () => watchers };
  const v = new RoomViews<S>({
    room: "class:h" as RoomId,
    rt,
    audiences: () => audiences,
    channel,
    project: (s, a) => projectSections(views[a as "staff" | "public"], s, EARLY),
    sections: (a) => views[a as "staff" | "public"],
  });
  v.load({ n: 0, notes: {} }, 100);
  return { v, sent };
}

/** Waits for the room's held publish: a few turns, until `sent` grows (at most ~2 s). */
async function heldPublish(sent: unknown[], before: number): Promise<void> {
  for (let i = 0; i < 200 && sent.length === before; i++) await new Promise((r) => setTimeout(r, 10));
}

describe("a hot room", () => {
  it("sends commits within its hold as one delta, and a join sends what is held before answering", async () => {
    // 2 × 300 watchers × 10 µs: at most one publish per 6 ms.
    const { v, sent } = room(300);
    v.publish({ n: 1, notes: { a: 1 } }, touched(["n"], { notes: ["a"] }));
    await nextTurn();
    expect(sent.map((s) => [s.channel, s.delta.seq])).toEqual([
      [channel("staff"), 101],
      [channel("public"), 101],
    ]);
    v.publish({ n: 2, notes: { a: 1, b: 2 } }, touched(["n"], { notes: ["b"] }));
    v.publish({ n: 3, notes: { b: 2 } }, touched(["n"], { notes: ["a"] }));
    await nextTurn();
    expect(sent).toHaveLength(2); // held
    await heldPublish(sent, 2);
    expect(sent.slice(2).map((s) => [s.channel, s.delta.seq])).toEqual([
      [channel("staff"), 102],
      [channel("public"), 102],
    ]);
    // One delta per audience carries both commits; the public one carries nothing of the staff's notes.
    expect(applyPatch({ n: 1, notes: { a: 1 } }, sent[2]!.delta.ops)).toEqual({ n: 3, notes: { b: 2 } });
    expect(sent[3]!.delta.ops).toEqual([{ op: "set", path: ["n"], value: 3 }]);
    // Held again (published just now); a join flushes it first, and resumes from 101 with both missed deltas.
    v.publish({ n: 4, notes: { b: 2 } }, touched(["n"]));
    const resumed = v.join("public", 101);
    expect(sent.map((s) => s.delta.seq).slice(4)).toEqual([103, 103]);
    expect(resumed).toMatchObject({ seq: 103, deltas: [{ seq: 102 }, { seq: 103 }] });
    await new Promise((r) => setTimeout(r, 20));
    expect(sent).toHaveLength(6); // the held timer found nothing left
  });

  it("with few watchers publishes on the next turn, every time", async () => {
    const { v, sent } = room(10);
    for (let n = 1; n <= 3; n++) {
      v.publish({ n, notes: {} }, touched(["n"]));
      await nextTurn();
    }
    expect(sent.filter((s) => s.channel === channel("public")).map((s) => s.delta.seq)).toEqual([101, 102, 103]);
  });

  it("keeps every watcher's deltas gapless and in order, and its view equal to a fresh projection, through resumes", async () => {
    type Step = { kind: "commit"; key: string; value: number | null } | { kind: "drop" | "resume"; audience: 0 | 1 } | { kind: "wait" };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant("commit" as const), key: fc.constantFrom("a", "b", "c"), value: fc.option(fc.nat(9)) }),
      fc.record({ kind: fc.constantFrom("drop" as const, "resume" as const), audience: fc.constantFrom(0 as const, 1 as const) }),
      fc.record({ kind: fc.constant("wait" as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        const { v, sent } = room(300);
        let state: S = { n: 0, notes: {} };
        // Each audience's watcher: what it holds, whether it is connected, how far it read `sent`.
        const w = audiences.map((a) => ({ a, ...fromJoin(v.join(a)), online: true }));
        let read = 0;
        const receive = () => {
          for (; read < sent.length; read++) {
            const { channel: c, delta } = sent[read]!;
            const x = w.find((y) => channel(y.a) === c)!;
            if (!x.online) continue;
            expect(delta.seq).toBe(x.seq + 1);
            x.seq = delta.seq;
            x.view = applyPatch(x.view, delta.ops);
          }
        };
        for (const s of steps) {
          if (s.kind === "commit") {
            const notes = { ...state.notes };
            if (s.value === null) delete notes[s.key];
            else notes[s.key] = s.value;
            state = { n: state.n + 1, notes };
            v.publish(state, touched(["n"], { notes: [s.key] }));
          } else if (s.kind === "wait")
            await new Promise((r) => setTimeout(r, 8)); // past the hold, or not: either must hold
          else if (s.kind === "drop") {
            receive();
            w[s.audience]!.online = false;
          } else if (!w[s.audience]!.online) {
            const x = w[s.audience]!;
            const r = v.join(x.a, x.seq); // flushes what is held: broadcast, while this watcher is still away
            receive();
            if ("deltas" in r) {
              for (const d of r.deltas) {
                expect(d.seq).toBe(x.seq + 1);
                x.seq = d.seq;
                x.view = applyPatch(x.view, d.ops);
              }
            } else Object.assign(x, fromJoin(r));
            x.online = true;
          }
          receive();
        }
        v.flush();
        receive();
        for (const x of w.filter((y) => y.online)) expect(x.view).toEqual(projectSections(views[x.a], state, EARLY));
      }),
      { numRuns: 40 },
    );
  });
});

function fromJoin(r: JoinResult): { seq: number; view: unknown } {
  if (!("snapshot" in r)) throw new Error("expected a snapshot");
  return { seq: r.seq, view: r.snapshot };
}
