/**
 * The gym room builds its deltas from what each change touched, not by diffing whole views. Property:
 * for random bursts of bookings, cancels, check-ins, session edits, desk scans and schedule commands,
 * with the clock moving between them, a watcher that applies every delta to its first snapshot holds
 * exactly what a fresh join shows (a full projection), and a resumer gets deltas that lead there too.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { JoinResult, RoomDelta, RoomId } from "../../domain/protocol/envelope.js";
import { applyPatch } from "../../domain/protocol/patch.js";
import type { CheckInStreamItem, GymRoomState, ScheduleEntry } from "../../domain/views/gymView.js";
import { GymRoom, type GymStore } from "../../rooms/GymRoom.js";
import type { Caller, RoomMessage } from "../../rooms/ports.js";
import { RESUME_GRACE_MS } from "../../rooms/roomViews.js";
import { aMember, aPolicy, EARLY, GYM, sequentialIds } from "../support/domainBuilders.js";
import { nextTurn, testRuntime } from "../support/roomRuntime.js";

const MIN = 60_000;
const owner: Caller = { userId: "owner-1", membership: { gymId: GYM, role: "owner", status: "active" } };
const SESSIONS = ["s0", "s1", "s2", "s3", "s4"];

function entry(id: string, i: number): ScheduleEntry {
  return {
    id,
    locationId: "loc-1",
    classTypeId: "type-1",
    coachId: null,
    startsAt: EARLY + (i + 1) * 60 * MIN,
    endsAt: EARLY + (i + 2) * 60 * MIN,
    capacity: 10,
    status: "scheduled",
    className: "WOD",
    color: "#123456",
    locationName: "Floor",
    coachName: null,
    booked: 0,
    checkedIn: 0,
    waitlist: 0,
    spotsLeft: 10,
  };
}

function loaded(): GymRoomState {
  return {
    gym: { id: GYM, name: "Gym", timeZone: "UTC", currency: "EUR" },
    policy: aPolicy(),
    locations: { "loc-1": "Floor" },
    classTypes: { "type-1": { id: "type-1", gymId: GYM, name: "WOD", description: "", color: "#123456", promotionMode: null } },
    coaches: {},
    scheduleUntil: EARLY + 7 * 24 * 60 * MIN,
    schedule: Object.fromEntries(SESSIONS.slice(0, 4).map((id, i) => [id, entry(id, i)])),
    checkIns: [],
    kpis: { checkIns: 0, bookings: 0, noShows: 0, attendanceRate: null, feesCents: 0 },
  };
}

/** A gym room whose commits take a turn of the event loop (so concurrent messages group-commit) and whose deltas are recorded. */
function gymRoom(watched: () => boolean = () => true) {
  let now = EARLY;
  const sent = new Map<string, RoomDelta[]>();
  const store: GymStore = {
    loadGym: async () => ({ state: loaded(), fence: 1, processed: [] }),
    findMember: async (_gym, who) => ({
      standing: aMember({ memberId: "memberId" in who ? who.memberId : who.code }),
      person: { name: "M", email: "", phone: "", visible: true, membershipStatus: "active", notes: "" },
      lastOpenGymAt: null,
    }),
    findBookings: async () => [],
    statusChangesAfter: async () => [],
    commitGym: () => new Promise((r) => setTimeout(r, 0)),
  };
  const rt = { ...testRuntime(() => now, sequentialIds("g")), ringSize: 1_000 };
  rt.broadcaster = {
    delta: (channel, d) => void (sent.get(channel) ?? sent.set(channel, []).get(channel)!).push(d),
    reset() {},
    revoke() {},
    watched: (_channel) => watched(),
  };
  const room = new GymRoom(`gym:${GYM}` as RoomId, rt, store, GYM, async () => ({ ok: true, result: null }));
  return { room, sent, advance: (ms: number) => (now += ms), now: () => now };
}

type Step =
  | { kind: "book" | "cancel" | "checkin" | "capacity" | "cancelClass"; session: number; n: number }
  | { kind: "classCheckIn" | "desk"; member: number; accepted: boolean }
  | { kind: "memberChanged"; member: number }
  | { kind: "createSession"; hours: number }
  | { kind: "createType"; name: string }
  | { kind: "tick"; minutes: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constantFrom("book", "cancel", "checkin", "capacity", "cancelClass"),
    session: fc.nat(SESSIONS.length - 1),
    n: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({ kind: fc.constantFrom("classCheckIn", "desk"), member: fc.nat(6), accepted: fc.boolean() }),
  fc.record({ kind: fc.constant("createSession"), hours: fc.integer({ min: 1, max: 24 * 9 }) }),
  fc.record({ kind: fc.constant("createType"), name: fc.string({ maxLength: 6 }) }),
  fc.record({ kind: fc.constant("tick"), minutes: fc.integer({ min: 1, max: 120 }) }),
  fc.record({ kind: fc.constant("memberChanged"), member: fc.nat(6) }),
);

/** What a class room would tell the gym room after committing `step` (counts come from the line the test keeps). */
function messagesFor(step: Step, lines: Map<string, ScheduleEntry>, now: number, ids: () => string): RoomMessage[] {
  const command = (type: string, payload: unknown, caller: Caller = owner): RoomMessage => ({
    kind: "command",
    caller,
    commandId: ids(),
    type,
    payload,
    receivedAt: now,
  });
  switch (step.kind) {
    case "book":
    case "cancel":
    case "checkin":
    case "capacity":
    case "cancelClass": {
      const id = SESSIONS[step.session]!;
      const was = lines.get(id) ?? entry(id, step.session);
      const booked = Math.max(
        0,
        Math.min(was.capacity, was.booked + (step.kind === "book" ? step.n : step.kind === "cancel" ? -step.n : 0)),
      );
      const line: ScheduleEntry = {
        ...was,
        booked,
        checkedIn: step.kind === "checkin" ? Math.min(booked, was.checkedIn + step.n) : Math.min(booked, was.checkedIn),
        capacity: step.kind === "capacity" ? was.capacity + step.n : was.capacity,
        status: step.kind === "cancelClass" ? "cancelled" : was.status,
      };
      lines.set(id, { ...line, spotsLeft: Math.max(0, line.capacity - line.booked) });
      const kpis = { bookings: step.kind === "book" ? step.n : 0, noShows: 0, feesCents: step.kind === "cancel" ? 500 : 0 };
      // s4 is outside the loaded window: its notes must change nothing but the KPIs.
      // Desks hear the bookings that changed (the staff view's desk section).
      const roster =
        step.kind === "book" || step.kind === "cancel" || step.kind === "checkin"
          ? [
              {
                memberId: `m${step.n}`,
                status: step.kind === "book" ? ("booked" as const) : step.kind === "checkin" ? ("checked_in" as const) : null,
              },
            ]
          : [];
      return [{ kind: "note", note: { type: "session", entry: lines.get(id)!, kpis, roster } }];
    }
    case "classCheckIn": {
      const item: CheckInStreamItem = {
        id: ids(),
        memberId: `m${step.member}`,
        name: "M",
        at: now,
        result: step.accepted ? "accepted" : "denied",
        reason: step.accepted ? null : "NO_BOOKING",
        className: "WOD",
      };
      return [{ kind: "note", note: { type: "checkin", item } }];
    }
    case "desk":
      return [
        command(
          "gym:checkIn",
          { memberId: `m${step.member}`, openGym: true },
          { userId: "desk", membership: { gymId: GYM, role: "front_desk", status: "active" } },
        ),
      ];
    case "createSession":
      return [
        command("schedule:createSession", {
          classTypeId: "type-1",
          locationId: "loc-1",
          capacity: 8,
          durationMinutes: 45,
          startsAt: now + step.hours * 60 * MIN,
        }),
      ];
    case "createType":
      return [command("schedule:createClassType", { name: step.name || "New" })];
    case "tick":
      return [];
    case "memberChanged":
      return [{ kind: "note", note: { type: "member", memberId: `m${step.member}` } }];
  }
}

const snapshotOf = (j: JoinResult) => (j as { snapshot: unknown }).snapshot;
const replay = (from: unknown, deltas: readonly RoomDelta[]) => deltas.reduce((v, d) => applyPatch(v, d.ops), from);

describe("gym room deltas built from the change", () => {
  it("applied to the first snapshot, equal a fresh projection after any bursts of changes and clock ticks", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(stepArb, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 12 }), async (bursts) => {
        const { room, sent, advance, now } = gymRoom();
        await room.start();
        const first = { staff: room.join("staff"), public: room.join("public") };
        const lines = new Map<string, ScheduleEntry>();
        const ids = sequentialIds("cmd");
        let resumeFrom: { staff: JoinResult; public: JoinResult } | null = null;
        for (const [i, burst] of bursts.entries()) {
          const messages: RoomMessage[] = [];
          for (const step of burst) {
            if (step.kind === "tick") advance(step.minutes * MIN);
            messages.push(...messagesFor(step, lines, now(), ids));
          }
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

  it("builds no delta for an audience nobody watches and gives the next joiner a snapshot that later deltas apply to", async () => {
    let watching = false;
    const { room, sent, advance } = gymRoom(() => watching);
    await room.start();
    const early = room.join("public");
    const note = (booked: number): RoomMessage => ({
      kind: "note",
      note: {
        type: "session",
        entry: { ...entry("s0", 0), booked, spotsLeft: 10 - booked },
        kpis: { bookings: 1, noShows: 0, feesCents: 0 },
      },
    });
    const send = (m: RoomMessage) => room.send(m).then(nextTurn); // each one published on its own turn
    await send(note(1));
    // Within the grace after the last join deltas are still kept, so a reconnecting watcher resumes with them.
    expect(room.join("public", early.seq)).toMatchObject({ deltas: [{ seq: early.seq + 1 }] });
    advance(RESUME_GRACE_MS + 1);
    await send(note(2));
    await send(note(3));
    expect(sent.get(room.channel("public"))).toHaveLength(1);
    const late = room.join("public", early.seq);
    expect(late.seq).toBe(early.seq + 3);
    expect("snapshot" in late && (late.snapshot as { schedule: Record<string, ScheduleEntry> }).schedule.s0!.booked).toBe(3);
    watching = true;
    await send(note(4));
    const after = sent.get(room.channel("public"))!.slice(1);
    expect(after.map((d) => d.seq)).toEqual([late.seq + 1]);
    expect(replay(snapshotOf(late), after)).toEqual(snapshotOf(room.join("public")));
    await room.stop();
  });
});
