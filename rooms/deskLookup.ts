import type { ScheduleEntry } from "../domain/views/gymView.js";
import { personOf, type ResidentMember, type ResidentStandings } from "./residentStandings.js";
import type { MemberStanding } from "../domain/class/index.js";
import type { CheckInSource } from "../domain/model.js";
import type { Person } from "../domain/views/people.js";

/** A member found at the desk by id or by their signed code. */
export interface DeskMember {
  standing: MemberStanding;
  person: Person;
  /** Last accepted open-gym check-in, to swallow double scans. */
  lastOpenGymAt: number | null;
  /** While frozen: the last frozen day, told at the desk ("Membership frozen until 12 Jan"). */
  frozenUntil?: string | null;
}

/** What a desk check-in looked up before its turn: the member, and their booked session today. */
export interface DeskLookup {
  member: DeskMember | null;
  target: { sessionId: string; open: boolean; className: string } | null;
}

/** `gym:checkIn` payload (validated by the transport). */
export type DeskCheckIn = ({ memberId: string } | { code: string }) & { source?: CheckInSource; openGym?: boolean };

/** What the desk needs to look members up in memory: the gym's resident standings and the check-in code check. */
export interface ResidentDesk {
  resident: ResidentStandings;
  /** The user id a signed check-in code names, or null (forged, expired). Ed25519 verification is asynchronous. */
  userOfCode(code: string): Promise<string | null> | string | null;
}

/** Bookings the desk considers: ±6 h around now, nearest first (as the database lookup did). */
const NEAR_MS = 6 * 3_600_000;

/**
 * A desk check-in's member and booked session from memory: the member and their bookings from the
 * resident standings, the session's status and name from the gym room's schedule. `undefined` when
 * the booked session lies outside the schedule the room holds (late last night): ask the database.
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
  if (!m) return { member: null, target: null };
  const member = {
    standing: { memberId: m.memberId, gymId, role: m.role, status: m.status, entitlement: m.entitlement, credits: m.credits, creditsExpireAt: m.creditsExpireAt, bookingsThisWeek: 0 },
    person: personOf(m),
    lastOpenGymAt: m.lastOpenGymAt,
    frozenUntil: m.frozenUntil,
  };
  if (m.status !== "active" || cmd.openGym) return { member, target: null };
  const near = nearBookings(m, now);
  if (near.some((b) => !schedule.get(b.sessionId))) return undefined;
  const live = near.filter((b) => schedule.get(b.sessionId)!.status === "scheduled").slice(0, 3);
  if (live.length === 0) return { member, target: null };
  const open = live.find((b) => now >= b.checkInOpensAt && now <= b.checkInClosesAt);
  const pick = open ?? live[0]!;
  return { member, target: { sessionId: pick.sessionId, open: open !== undefined, className: schedule.get(pick.sessionId)!.className } };
}

function nearBookings(m: ResidentMember, now: number) {
  return m.bookings
    .filter((b) => (b.status === "booked" || b.status === "checked_in") && Math.abs(b.startsAt - now) <= NEAR_MS)
    .sort((a, b) => Math.abs(a.startsAt - now) - Math.abs(b.startsAt - now));
}
