/**
 * The class room builds its deltas from what each change touched (one roster line, one waitlist entry, the
 * counts), not by projecting and diffing the whole roster. Property: for random bursts of bookings, cancels,
 * waitlist moves, check-ins, capacity changes, results, renamed members and clock ticks (the check-in window
 * opens, the class starts, ends and closes), a watcher that applies every delta to its first snapshot holds
 * exactly what a fresh join shows, and a resumer gets deltas that lead there too.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { JoinResult, RoomDelta, RoomId } from "../../domain/protocol/envelope.js";
import { applyPatch } from "../../domain/protocol/patch.js";
import { ClassViewSections } from "../../domain/views/classSections.js";
import type { ClassRoomState } from "../../domain/views/classView.js";
import type { Person } from "../../domain/views/people.js";
import { ClassRoom, type ClassStore, type LoadedMember } from "../../rooms/ClassRoom.js";
import type { Caller, RoomMessage } from "../../rooms/ports.js";
import { aClassState, aMember, EARLY, GYM, HOUR, MINUTE, sequentialIds, STARTS_AT } from "../support/domainBuilders.js";
import { nextTurn, testRuntime } from "../support/roomRuntime.js";

const SESSION = "session-1";
const MEMBERS = Array.from({ length: 8 }, (_, i) => `m${i}`);
const coach: Caller = { userId: "coach-1", membership: { gymId: GYM, role: "coach", status: "active" } };
const member = (id: string): Caller => ({ userId: id, membership: { gymId: GYM, role: "member", status: "active" } });

/** A class room over an in-memory store whose people can be renamed; commits take a turn of the event loop so bursts group-commit. */
function classRoom() {
  let now = EARLY;
  const people = new Map<string, Person>(
    MEMBERS.map((id, i) => [
      id,
      { name: `Ann${i} Berg`, email: `${id}@example.com`, phone: null, visible: i % 2 === 0, membershipStatus: "active", notes: "" },
    ]),
  );
  const sent = new Map<string, RoomDelta[]>();
  const store: ClassStore = {
    async loadClass() {
      const state: ClassRoomState = {
        cls: aClassState({ session: { id: SESSION, capacity: 3 } }),
        labels: { className: "WOD", color: "#000", locationName: "Floor", coachName: null },
        people: {},
      };
      return { state, fence: 1, processed: [] };
    },
    async loadMembers(_session, ids) {
      const out = new Map<string, LoadedMember>();
      for (const id of ids) if (people.has(id)) out.set(id, { standing: aMember({ memberId: id }), person: { ...people.get(id)! } });
      return out;
    },
    commitClass: () => new Promise((r) => setTimeout(r, 0)),
  };
  const rt = { ...testRuntime(() => now, sequentialIds("c")), ringSize: 1_000 };
  rt.broadcaster = {
    delta: (channel, d) => void (sent.get(channel) ?? sent.set(channel, []).get(channel)!).push(d),
    reset() {},
    revoke() {},
  };
  const room = new ClassRoom(`class:${SESSION}` as RoomId, rt, store, SESSION);
  return { room, sent, people, now: () => now, setNow: (t: number) => (now = Math.max(now, t)) };
}

type Step =
  | { kind: "book" | "cancel" | "leave" | "claim" | "selfCheckIn" | "result"; member: number }
  | { kind: "checkIn" | "undo" | "noShow" | "promote"; member: number }
  | { kind: "capacity"; capacity: number }
  | { kind: "workout" }
  | { kind: "rename"; member: number; name: string; visible: boolean }
  | { kind: "tick"; minutes: number }
  | { kind: "jump"; to: "checkInOpen" | "started" | "ended" | "closed" };

const memberArb = fc.nat(MEMBERS.length - 1);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constantFrom("book", "cancel", "leave", "claim", "selfCheckIn", "result"), member: memberArb }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom("checkIn", "undo", "noShow", "promote"), member: memberArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("capacity"), capacity: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("workout") }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("rename"),
      member: memberArb,
      name: fc.constantFrom("Bo Li", "Cy", "Dee Ray"),
      visible: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("tick"), minutes: fc.integer({ min: 1, max: 600 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("jump"), to: fc.constantFrom("checkInOpen", "started", "ended", "closed") }) },
);

const JumpTo = {
  checkInOpen: STARTS_AT - 30 * MINUTE,
  started: STARTS_AT + MINUTE,
  ended: STARTS_AT + HOUR + MINUTE,
  closed: STARTS_AT + 4 * HOUR,
} as const;

function messagesFor(step: Step, env: ReturnType<typeof classRoom>, ids: () => string): RoomMessage[] {
  const cmd = (type: string, payload: Record<string, unknown>, caller: Caller): RoomMessage => ({
    kind: "command",
    caller,
    commandId: ids(),
    type,
    payload: { sessionId: SESSION, ...payload },
    receivedAt: env.now(),
  });
  const tick: RoomMessage = { kind: "note", note: { type: "tick" } };
  switch (step.kind) {
    case "book":
      return [cmd("class:book", { waitlist: true }, member(MEMBERS[step.member]!))];
    case "cancel":
      return [cmd("class:cancelBooking", { acceptFee: true }, member(MEMBERS[step.member]!))];
    case "leave":
      return [cmd("class:leaveWaitlist", {}, member(MEMBERS[step.member]!))];
    case "claim":
      return [cmd("class:claimOffer", {}, member(MEMBERS[step.member]!))];
    case "selfCheckIn":
      return [cmd("class:checkIn", {}, member(MEMBERS[step.member]!))];
    case "result":
      return [cmd("class:logResult", { score: { type: "reps", reps: 10 + step.member }, division: "rx" }, member(MEMBERS[step.member]!))];
    case "checkIn":
      return [cmd("class:checkIn", { memberId: MEMBERS[step.member] }, coach)];
    case "undo":
      return [cmd("class:undoCheckIn", { memberId: MEMBERS[step.member] }, coach)];
    case "noShow":
      return [cmd("class:markNoShow", { memberId: MEMBERS[step.member] }, coach)];
    case "promote":
      return [cmd("class:promote", { memberId: MEMBERS[step.member] }, coach)];
    case "capacity":
      return [cmd("class:setCapacity", { capacity: step.capacity }, coach)];
    case "workout":
      return [cmd("class:setWorkout", { title: "Fran", scoreType: "reps" }, coach)];
    case "rename": {
      const id = MEMBERS[step.member]!;
      env.people.set(id, { ...env.people.get(id)!, name: step.name, visible: step.visible });
      // The new name reaches the room with the member's next fresh standing (a booking or check-in).
      return [cmd("class:book", { waitlist: true }, member(id))];
    }
    case "tick":
      env.setNow(env.now() + step.minutes * MINUTE);
      return [tick];
    case "jump":
      env.setNow(JumpTo[step.to]);
      return [tick];
  }
}

const snapshotOf = (j: JoinResult) => (j as { snapshot: unknown }).snapshot;
const replay = (from: unknown, deltas: readonly RoomDelta[]) => deltas.reduce((v, d) => applyPatch(v, d.ops), from);

describe("class room deltas built from the change", () => {
  afterEach(() => vi.restoreAllMocks());

  it("applied to the first snapshot, equal a fresh projection after any bursts of commands and clock ticks", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(stepArb, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 14 }), async (bursts) => {
        const env = classRoom();
        const { room, sent } = env;
        await room.start();
        const first = { staff: room.join("staff"), public: room.join("public") };
        const ids = sequentialIds("cmd");
        let resumeFrom: { staff: JoinResult; public: JoinResult } | null = null;
        for (const [i, burst] of bursts.entries()) {
          const messages = burst.flatMap((step) => messagesFor(step, env, ids));
          await Promise.all(messages.map((m) => room.send(m)));
          if (i === Math.floor(bursts.length / 2)) resumeFrom = { staff: room.join("staff"), public: room.join("public") };
        }
        await nextTurn(); // watchers' deltas go out on the turn after the last answers (rooms/afterReplies.ts)
        for (const audience of ["staff", "public"] as const) {
          const deltas = sent.get(room.channel(audience)) ?? [];
          expect(deltas.map((d) => d.seq)).toEqual(deltas.map((_, k) => first[audience].seq + k + 1));
          const fresh = snapshotOf(room.join(audience));
          expect(replay(snapshotOf(first[audience]), deltas)).toEqual(fresh);
          const back = room.join(audience, resumeFrom![audience].seq);
          expect("deltas" in back ? replay(snapshotOf(resumeFrom![audience]), back.deltas) : snapshotOf(back)).toEqual(fresh);
        }
        await room.stop();
      }),
      { numRuns: 150 },
    );
  });

  it("patches one roster line and the counts for a booking, without projecting the whole roster", async () => {
    const env = classRoom();
    const { room, sent } = env;
    await room.start();
    room.join("staff");
    const wholeRoster = vi.spyOn(ClassViewSections.staff.roster as { all: (s: ClassRoomState) => unknown }, "all");
    const ack = await room.send({
      kind: "command",
      caller: member("m0"),
      commandId: "b1",
      type: "class:book",
      payload: { sessionId: SESSION },
      receivedAt: env.now(),
    });
    expect(ack.ok).toBe(true);
    await nextTurn(); // the watchers' deltas go out after the answer
    expect(wholeRoster).not.toHaveBeenCalled();
    const [delta] = sent.get(room.channel("staff"))!;
    expect(delta!.ops.map((o) => o.path.join("."))).toEqual([
      "counts.booked",
      "counts.spotsLeft",
      expect.stringMatching(/^roster\.[^.]+$/),
    ]);
    await room.stop();
  });
});
