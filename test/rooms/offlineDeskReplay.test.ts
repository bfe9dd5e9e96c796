/**
 * Check-ins an offline desk sends on reconnect (issue 21): the gym room decides each one again as of the desk's
 * clock clamped to [last sync, receipt], records it as `offline_desk` with both clocks, says where it disagrees
 * with what the desk showed, and applies a resent command id once.
 */
import { describe, expect, it } from "vitest";
import type { Ack, RoomId } from "../../domain/protocol/envelope.js";
import type { GymRoomState } from "../../domain/views/gymView.js";
import type { MembershipStatus } from "../../domain/model.js";
import { GymRoom, type DeskMember, type GymChange, type GymStore } from "../../rooms/GymRoom.js";
import type { Caller, RoomMessage } from "../../rooms/ports.js";
import { aMember, aPolicy, EARLY, GYM, MINUTE, sequentialIds } from "../support/domainBuilders.js";
import { testRuntime } from "../support/roomRuntime.js";

const desk: Caller = { userId: "desk-1", membership: { gymId: GYM, role: "front_desk", status: "active" } };
const LAST_SYNC = EARLY - 90 * MINUTE;
const SESSION_START = EARLY - 60 * MINUTE;

function harness() {
  const status = new Map<string, MembershipStatus>();
  const stored: GymChange[] = [];
  const asked: RoomMessage[] = [];
  let now = EARLY;
  const member = (memberId: string): DeskMember => ({
    standing: aMember({ memberId, status: status.get(memberId) ?? "active" }),
    person: { name: memberId, email: "", phone: "", visible: true, membershipStatus: status.get(memberId) ?? "active", notes: "" },
    lastOpenGymAt: null,
  });
  const store: GymStore = {
    async loadGym() {
      const state: GymRoomState = {
        gym: { id: GYM, name: "Gym", timeZone: "Europe/Berlin", currency: "EUR" }, policy: aPolicy(), locations: {}, classTypes: {}, coaches: {},
        scheduleUntil: EARLY + 86_400_000, schedule: {}, checkIns: [], kpis: { checkIns: 0, bookings: 0, noShows: 0, attendanceRate: null, feesCents: 0 },
      };
      return { state, fence: 1, processed: [] };
    },
    async findMember(_gym, who) {
      return "memberId" in who ? member(who.memberId) : null;
    },
    async findBookings(_gym, memberId) {
      // "booked" has a class whose check-in was open from 90 to 30 minutes before EARLY.
      return memberId === "booked"
        ? [{ sessionId: "session-1", className: "WOD", sessionStatus: "scheduled", bookingStatus: "booked", startsAt: SESSION_START, checkInOpensAt: SESSION_START - 30 * MINUTE, checkInClosesAt: SESSION_START + 30 * MINUTE }]
        : [];
    },
    async commitGym(_room, changes) {
      stored.push(...changes);
    },
  };
  const ask = async (_room: RoomId, message: RoomMessage): Promise<Ack<unknown>> => {
    asked.push(message);
    return { ok: true, result: { status: "checked_in" } };
  };
  const room = new GymRoom(`gym:${GYM}` as RoomId, testRuntime(() => now, sequentialIds("g")), store, GYM, ask);
  return { room, status, stored, asked, setNow: (t: number) => (now = t) };
}

const late = (commandId: string, memberId: string, deviceAt: number, admitted = true, openGym = true): Extract<RoomMessage, { kind: "command" }> => ({
  kind: "command", caller: desk, commandId, type: "gym:checkIn", receivedAt: EARLY,
  payload: { memberId, openGym, offline: { deviceAt, lastSyncAt: LAST_SYNC, admitted, reason: admitted ? null : "MEMBERSHIP_FROZEN" } },
});

describe("check-ins an offline desk sends late", () => {
  it("records one as offline_desk at the desk's clock, with the receipt time beside it", async () => {
    const h = harness();
    const at = EARLY - 45 * MINUTE;
    expect(await h.room.send(late("c1", "ann", at))).toMatchObject({ ok: true, result: { status: "checked_in", provisional: true, needsAttention: false } });
    expect(h.stored).toContainEqual({ type: "checkin", checkIn: expect.objectContaining({ memberId: "ann", source: "offline_desk", result: "accepted", at, deviceAt: at, receivedAt: EARLY }) });
    expect(h.stored).toContainEqual({ type: "attendance", attendance: expect.objectContaining({ memberId: "ann", at }) });
  });

  it("clamps a desk clock that ran before its last sync or after the receipt", async () => {
    const h = harness();
    await h.room.send(late("c1", "ann", LAST_SYNC - 86_400_000));
    await h.room.send(late("c2", "bob", EARLY + 86_400_000));
    const at = (m: string) => h.stored.flatMap((c) => (c.type === "checkin" && c.checkIn.memberId === m ? [c.checkIn.at] : []));
    expect(at("ann")).toEqual([LAST_SYNC]);
    expect(at("bob")).toEqual([EARLY]);
  });

  it("says a member frozen while the desk was offline needs attention", async () => {
    const h = harness();
    h.status.set("ann", "frozen");
    expect(await h.room.send(late("c1", "ann", EARLY - 10 * MINUTE))).toMatchObject({
      ok: true, result: { status: "denied", reason: "MEMBERSHIP_FROZEN", provisional: true, needsAttention: true },
    });
  });

  it("applies a resent command id once", async () => {
    const h = harness();
    const first = await h.room.send(late("c1", "ann", EARLY - 10 * MINUTE));
    const again = await h.room.send(late("c1", "ann", EARLY - 10 * MINUTE));
    expect(again).toEqual(first);
    expect(h.stored.filter((c) => c.type === "checkin")).toHaveLength(1);
  });

  it("sends a class check-in to the class room as of the desk's time, under an id derived from the desk's", async () => {
    const h = harness();
    const at = SESSION_START - 5 * MINUTE; // the class was open then; it closed before the receipt
    expect(await h.room.send(late("c9", "booked", at, true, false))).toMatchObject({ ok: true, result: { status: "checked_in", className: "WOD", needsAttention: false } });
    expect(h.asked).toEqual([expect.objectContaining({ commandId: "desk-c9", type: "class:checkIn", payload: { sessionId: "session-1", memberId: "booked", source: "offline_desk" }, offline: { asOf: at, deviceAt: at, receivedAt: EARLY } })]);
  });
});
