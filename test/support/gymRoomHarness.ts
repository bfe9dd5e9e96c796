/** A gym room over an in-memory store, for desk check-in tests: members by id with a status (and, for the offline replay, its changes), one booked class, a fake clock. */
import type { Ack, RoomId } from "../../domain/protocol/envelope.js";
import type { GymRoomState } from "../../domain/views/gymView.js";
import type { MembershipStatus } from "../../domain/model.js";
import { GymRoom, type DeskMember, type GymChange, type GymStore } from "../../rooms/GymRoom.js";
import type { Caller, RoomMessage } from "../../rooms/ports.js";
import { aMember, aPolicy, EARLY, GYM, MINUTE, OTHER_GYM, sequentialIds } from "./domainBuilders.js";
import { testRuntime } from "./roomRuntime.js";

export const deskCaller: Caller = { userId: "desk-1", membership: { gymId: GYM, role: "front_desk", status: "active" } };
/** "booked" has a class starting an hour before EARLY, its check-in open from 30 minutes before to 30 after. */
export const SESSION_START = EARLY - 60 * MINUTE;

export function gymRoomHarness() {
  const status = new Map<string, MembershipStatus>();
  const lastOpenGym = new Map<string, number>();
  /** Status changes per member, oldest first: the status before each and when it changed. */
  const statusChanges = new Map<string, { at: number; from: MembershipStatus }[]>();
  const stored: GymChange[] = [];
  const asked: RoomMessage[] = [];
  let now = EARLY;
  const member = (memberId: string): DeskMember => ({
    standing: aMember({ memberId, status: status.get(memberId) ?? "active", ...(memberId === "stranger" ? { gymId: OTHER_GYM } : {}) }),
    person: { name: memberId, email: "", phone: "", visible: true, membershipStatus: status.get(memberId) ?? "active", notes: "" },
    lastOpenGymAt: lastOpenGym.get(memberId) ?? null,
  });
  const store: GymStore = {
    async loadGym() {
      const state: GymRoomState = {
        gym: { id: GYM, name: "Gym", timeZone: "Europe/Berlin", currency: "EUR" },
        policy: aPolicy(),
        locations: {},
        classTypes: {},
        coaches: {},
        scheduleUntil: EARLY + 86_400_000,
        schedule: {},
        checkIns: [],
        kpis: { checkIns: 0, bookings: 0, noShows: 0, attendanceRate: null, feesCents: 0 },
      };
      return { state, fence: 1, processed: [] };
    },
    async findMember(_gym, who) {
      return "memberId" in who && who.memberId !== "nobody" ? member(who.memberId) : null;
    },
    async findBookings(_gym, memberId) {
      return memberId === "booked"
        ? [
            {
              sessionId: "session-1",
              className: "WOD",
              sessionStatus: "scheduled",
              bookingStatus: "booked",
              startsAt: SESSION_START,
              checkInOpensAt: SESSION_START - 30 * MINUTE,
              checkInClosesAt: SESSION_START + 30 * MINUTE,
            },
          ]
        : [];
    },
    async statusChangesAfter(_gym, memberId, at) {
      return (statusChanges.get(memberId) ?? []).filter((c) => c.at > at);
    },
    async commitGym(_room, changes) {
      stored.push(...changes);
    },
  };
  const ask = async (_room: RoomId, message: RoomMessage): Promise<Ack<unknown>> => {
    asked.push(message);
    return { ok: true, result: { status: "checked_in" } };
  };
  const room = new GymRoom(
    `gym:${GYM}` as RoomId,
    testRuntime(() => now, sequentialIds("g")),
    store,
    GYM,
    ask,
  );
  /** Changes a member's status at `at` (the change is remembered for as-of reads). */
  const setStatus = (memberId: string, next: MembershipStatus, at = now) => {
    const list = statusChanges.get(memberId) ?? [];
    list.push({ at, from: status.get(memberId) ?? "active" });
    statusChanges.set(memberId, list);
    status.set(memberId, next);
  };
  return { room, status, setStatus, lastOpenGym, stored, asked, setNow: (t: number) => (now = t) };
}

/** A desk's `gym:checkIn` command as the room receives it. */
export const deskCommand = (commandId: string, payload: Record<string, unknown>): Extract<RoomMessage, { kind: "command" }> => ({
  kind: "command",
  caller: deskCaller,
  commandId,
  type: "gym:checkIn",
  receivedAt: EARLY,
  payload,
});
