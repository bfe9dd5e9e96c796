/**
 * One member of a gym as a node keeps them in memory (what a booking, a check-in or an access check decides on), where
 * such copies come from, and how a committed booking changes a copy. `residentStandings.ts` keeps them per gym.
 */
import type { StoredStreak } from "../domain/attendance/streak.js";
import type { ClassSession, Entitlement, MembershipStatus, Role } from "../domain/model.js";
import { bookingsInWeek, type HeldBooking } from "../domain/class/standingChanges.js";
import type { MemberStanding } from "../domain/class/index.js";
import type { PlanTerms } from "../domain/class/state.js";
import type { RequiredConsentKind } from "../domain/privacy.js";
import type { WaiverStanding } from "../domain/admin/waivers.js";
import type { Person } from "../domain/views/people.js";
import { mapObjects, objectList } from "../domain/shapes.js";

/** A booking held in memory, with its session's check-in window (for the desk). */
export interface ResidentBooking extends HeldBooking {
  checkInOpensAt: number;
  checkInClosesAt: number;
}

/** One member of a gym as a node keeps them in memory: what a booking, a check-in or an access check decides on. */
export interface ResidentMember {
  memberId: string;
  role: Role;
  status: MembershipStatus;
  planName: string | null;
  /** The plan's kind (`trial`: rosters mark the person "Trial"); absent on plans made before kinds existed. */
  planKind?: string | null;
  entitlement: Entitlement | null;
  /** The plan's days and class types (absent: no plan, or a copy from before plans had them — any day, every type). */
  plan?: PlanTerms;
  credits: number | null;
  creditsExpireAt: number | null;
  missingConsents: readonly RequiredConsentKind[];
  /** The gym's enforced waiver versions and the ones this member signed; absent when the gym enforces none. */
  waiver?: WaiverStanding;
  name: string;
  email: string;
  phone: string | null;
  visible: boolean;
  notes: string;
  /** While frozen: the last frozen day (gym date), for "Membership frozen until 12 Jan". */
  frozenUntil: string | null;
  /** Last open-gym visit (swallows double scans at the desk). */
  lastOpenGymAt: number | null;
  /** The active-day streak as stored (kept current by this node's check-ins), so a check-in answers it without a read. */
  streak: StoredStreak;
  /** Bookings at sessions from the horizon on (a week back), any status but cancelled. */
  bookings: ResidentBooking[];
}

export interface ResidentGymData {
  timeZone: string;
  members: ResidentMember[];
  /** The gym's sessions from the horizon on, when the source reads them (access checks of their rooms need no query). */
  sessionIds?: string[];
}

/** Where resident standings come from (one statement per gym over PostgreSQL; a map in tests). */
export interface StandingsSource {
  /** Every member of the gym in ONE read, with bookings at sessions starting at or after `since`; null if no such gym. */
  loadGym(gymId: string, since: number): Promise<ResidentGymData | null>;
  /** Some members again, in one read (after an invalidation or a refused commit). Absent ids are no longer members. */
  loadMembers(gymId: string, memberIds: string[], since: number): Promise<ResidentMember[]>;
  /** Every member's access-deciding fields as {@link accessKey} spells them, in one small read (reconciliation). */
  accessKeys?(gymId: string): Promise<Map<string, string>>;
}

/** What decides a member's access and bookings besides what commits guard: role, status, plan, credits. */
export function accessKey(m: Pick<ResidentMember, "role" | "status" | "planName" | "credits">): string {
  return `${m.role}|${m.status}|${m.planName ?? ""}|${m.credits ?? ""}`;
}

/** The member's standing for one session (weekly count of that session's week, in the gym's `timeZone`) and who they are. */
export function standingOf(
  m: ResidentMember,
  session: Pick<ClassSession, "id" | "gymId" | "startsAt">,
  timeZone: string | undefined,
): { standing: MemberStanding; person: Person } {
  const weekly = m.entitlement?.kind === "weekly" && timeZone ? bookingsInWeek(m.bookings, session.id, session.startsAt, timeZone) : 0;
  return {
    standing: {
      memberId: m.memberId,
      gymId: session.gymId,
      role: m.role,
      status: m.status,
      entitlement: m.entitlement,
      ...(m.plan ? { plan: m.plan } : {}),
      credits: m.credits,
      creditsExpireAt: m.creditsExpireAt,
      bookingsThisWeek: weekly,
      missingConsents: [...m.missingConsents],
      ...(m.waiver ? { waiver: m.waiver } : {}),
    },
    person: personOf(m),
  };
}

/** Who the member is, as class rooms show them. */
export function personOf(m: ResidentMember): Person {
  return {
    name: m.name,
    email: m.email,
    phone: m.phone,
    visible: m.visible,
    membershipStatus: m.status,
    notes: m.notes,
    ...(m.planKind === "trial" ? { trial: true } : {}),
  };
}

/** The member's bookings with one session's booking set to `status` (gone when cancelled). */
export function withBooking(bookings: ResidentBooking[], session: ClassSession, status: HeldBooking["status"]): ResidentBooking[] {
  // Pushed into an object-elements list: a gym's members load with empty SMI-element lists, and `[...rest, b]` over
  // both kinds threw this away ("wrong map") at every new gym (domain/shapes.ts).
  const out = objectList<ResidentBooking>();
  for (const b of bookings) if (b.sessionId !== session.id) out.push(b);
  if (status === "cancelled") return out;
  const window = checkInWindow(session);
  out.push(residentBooking(session.id, status, session.startsAt, window.checkInOpensAt, window.checkInClosesAt));
  return out;
}

/** A resident booking, every one built here with its fields in one order (one object shape for the hot paths). */
export function residentBooking(
  sessionId: string,
  status: HeldBooking["status"],
  startsAt: number,
  checkInOpensAt: number,
  checkInClosesAt: number,
): ResidentBooking {
  return { sessionId, status, startsAt, checkInOpensAt, checkInClosesAt };
}

/** The member's bookings after a session moved. */
export function rescheduled(bookings: ResidentBooking[], session: ClassSession): ResidentBooking[] {
  const window = checkInWindow(session);
  return mapObjects(bookings, (b) =>
    b.sessionId === session.id
      ? residentBooking(b.sessionId, b.status, session.startsAt, window.checkInOpensAt, window.checkInClosesAt)
      : b,
  );
}

/** The same window as `classWindows`, kept with each booking so the desk needs no session read. */
export function checkInWindow(s: Pick<ClassSession, "startsAt" | "checkInOpensMinutes" | "checkInClosesMinutes">): {
  checkInOpensAt: number;
  checkInClosesAt: number;
} {
  return { checkInOpensAt: s.startsAt - s.checkInOpensMinutes * 60_000, checkInClosesAt: s.startsAt + s.checkInClosesMinutes * 60_000 };
}
