import type { ScheduleEntry } from "../domain/views/gymView.js";
import { personOf } from "./residentMember.js";
import type { ResidentStandings } from "./residentStandings.js";
import type { MemberStanding } from "../domain/class/index.js";
import type { CheckInSource } from "../domain/model.js";
import type { Person } from "../domain/views/people.js";
import { DefaultDeskRules, type DeskBooking } from "../domain/checkin/deskDecision.js";

/** A member found at the desk by id or by their signed code. */
export interface DeskMember {
  standing: MemberStanding;
  person: Person;
  /** Last accepted open-gym check-in, to swallow double scans. */
  lastOpenGymAt: number | null;
  /** While frozen: the last frozen day, told at the desk ("Membership frozen until 12 Jan"). */
  frozenUntil?: string | null;
  /** Waiver versions the member signed, when the lookup read them (what a desk's saved member list is told). */
  signedWaivers?: string[];
}

/** What a desk check-in looked up before its turn: the member, and their live bookings near now. */
export interface DeskLookup {
  member: DeskMember | null;
  bookings: DeskBooking[];
}

/** `gym:checkIn` payload (validated by the transport). */
export type DeskCheckIn = ({ memberId: string } | { code: string }) & {
  source?: CheckInSource;
  openGym?: boolean;
  offline?: OfflineDeskCheckIn;
  override?: { reason: string };
};

/** What an offline desk says of a check-in it decided and now sends (`gym:checkIn` `offline`). */
export interface OfflineDeskCheckIn {
  deviceAt: number;
  lastSyncAt: number;
  admitted: boolean;
  reason: string | null;
}

/** What the desk needs to look members up in memory: the gym's resident standings and the check-in code check. */
export interface ResidentDesk {
  resident: ResidentStandings;
  /** The user id a signed check-in code names, or null (forged, expired). Ed25519 verification is asynchronous. */
  userOfCode(code: string): Promise<string | null> | string | null;
}

/**
 * A desk check-in's member and bookings from memory: the member and their bookings from the resident standings,
 * the session's status and name from the gym room's schedule. `undefined` when a booking near now lies outside the
 * schedule the room holds (late last night): ask the database.
 */
export async function residentDeskLookup(
  desk: ResidentDesk,
  gymId: string,
  schedule: { get(id: string): ScheduleEntry | undefined },
  cmd: DeskCheckIn,
  now: number,
): Promise<DeskLookup | undefined> {
  const userId = "code" in cmd ? await desk.userOfCode(cmd.code) : cmd.memberId;
  const m = userId ? await desk.resident.member(gymId, userId.toLowerCase()) : null;
  if (!m) return { member: null, bookings: [] };
  const member = {
    standing: {
      memberId: m.memberId,
      gymId,
      role: m.role,
      status: m.status,
      entitlement: m.entitlement,
      credits: m.credits,
      creditsExpireAt: m.creditsExpireAt,
      bookingsThisWeek: 0,
      ...(m.waiver ? { waiver: m.waiver } : {}),
    },
    person: personOf(m),
    lastOpenGymAt: m.lastOpenGymAt,
    frozenUntil: m.frozenUntil,
  };
  if (m.status !== "active" || cmd.openGym) return { member, bookings: [] };
  const near = m.bookings.filter(
    (b) => (b.status === "booked" || b.status === "checked_in") && Math.abs(b.startsAt - now) <= DefaultDeskRules.nearMinutes * 60_000,
  );
  if (near.some((b) => !schedule.get(b.sessionId))) return undefined;
  const bookings = near.map((b): DeskBooking => {
    const s = schedule.get(b.sessionId)!;
    return {
      sessionId: b.sessionId,
      className: s.className,
      sessionStatus: s.status,
      bookingStatus: b.status as DeskBooking["bookingStatus"],
      startsAt: b.startsAt,
      checkInOpensAt: b.checkInOpensAt,
      checkInClosesAt: b.checkInClosesAt,
    };
  });
  return { member, bookings };
}
