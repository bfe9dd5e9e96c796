/**
 * The class aggregate's state: one session with everything needed to decide its commands.
 */
import type {
  AttendanceEvent,
  Booking,
  BookingStatus,
  CheckIn,
  ClassSession,
  Entitlement,
  Fee,
  GymPolicy,
  Instant,
  MembershipStatus,
  Role,
  WaitlistEntry,
  WaitlistStatus,
} from "../model.js";
import { equalJson } from "../equal.js";
import type { RequiredConsentKind } from "../privacy.js";
import type { WaiverStanding } from "../admin/waivers.js";
import type { ClassBoard } from "../workouts/classBoard.js";

/**
 * The member's current plan as a booking is judged by it (docs/domain.md "Plans, packs and the ledger"): the days it
 * entitles and the class types it covers. The class's own date (gym time) decides, not the day the member books.
 */
export interface PlanTerms {
  /** First day the plan entitles (gym date, inclusive); null = no start day. */
  startsOn: string | null;
  /** Last day it entitles (inclusive); null = open-ended. */
  endsOn: string | null;
  /** Class types it covers; empty = every type. */
  classTypeIds: readonly string[];
}

/**
 * What the class needs to know about one member to decide. A room loads it from the
 * membership row and its plan (`GymMembership` + `MembershipPlan.entitlement`).
 */
export interface MemberStanding {
  /** The member's user id (bookings' `memberId`). */
  memberId: string;
  gymId: string;
  role: Role;
  status: MembershipStatus;
  /** The plan's entitlement; null when the member has no plan. */
  entitlement: Entitlement | null;
  /** The plan's days and class types; absent = any day, every class type. */
  plan?: PlanTerms;
  /** Remaining pack credits (null when not on a pack). Kept current by `credits.changed`. */
  credits: number | null;
  /** When pack credits expire; null = never. */
  creditsExpireAt: Instant | null;
  /**
   * Weekly plans: bookings in statuses {@link WeeklyCountedStatuses} at OTHER sessions in the
   * ISO week (gym time zone, see `isoWeekBounds`) of this session's start. 0 for other plans.
   */
  bookingsThisWeek: number;
  /** Required policies (terms, privacy) whose current version the member has not accepted; absent or empty = may book. */
  missingConsents?: readonly RequiredConsentKind[];
  /** The gym's enforced waiver versions and those the member signed; absent = nothing enforced. */
  waiver?: WaiverStanding;
}

/** Booking statuses that count against a weekly plan's classes per week. */
export const WeeklyCountedStatuses = ["booked", "checked_in", "late_cancelled", "no_show"] as const satisfies readonly BookingStatus[];

/** The money facts of the gym policy the class needs. */
export type FeePolicy = Pick<GymPolicy, "currency" | "lateCancelFeeCents" | "noShowFeeCents">;

/**
 * Everything one class room holds. Plain data; never mutated — commands return events and
 * `applyClassEvent` returns a new state.
 */
export interface ClassState {
  session: ClassSession;
  /** IANA zone of the gym; used for member-facing times in messages and for the class's date. */
  timeZone: string;
  /** The class type's name, for words ("Your plan doesn't cover Open Gym"); absent = "this class". */
  classTypeName?: string;
  feePolicy: FeePolicy;
  /** All bookings of the session, any status. */
  bookings: readonly Booking[];
  /** All waitlist entries of the session, any status. */
  waitlist: readonly WaitlistEntry[];
  /** Standings of members involved (booked, waitlisted, or acting), keyed by member id. */
  members: Readonly<Record<string, MemberStanding>>;
  fees: readonly Fee[];
  checkIns: readonly CheckIn[];
  attendance: readonly AttendanceEvent[];
  /** The workout of the day and its results (the class leaderboard). */
  board: ClassBoard;
}

/** Who performs a command. `system` is used by room timers (offer expiry, closing). */
export interface Actor {
  userId: string;
  role: Role | "system";
  gymId: string;
}

/** Everything a command gets from outside: the clock, id source and actor. */
export interface CommandContext {
  now: Instant;
  newId: () => string;
  actor: Actor;
  /** A check-in an offline desk sent late: its clock and the server's receipt, recorded with it (`now` is the clamped instant). */
  offline?: {
    deviceAt: Instant;
    receivedAt: Instant;
    /** The membership's status as of `now` (domain `statusAsOf`), not today's. */ status?: MembershipStatus;
  };
}

/** Statuses of waitlist entries still in the queue. */
export const OpenWaitlistStatuses = ["waiting", "offered"] as const satisfies readonly WaitlistStatus[];

/** Whether a booking holds a spot (booked or checked in). */
export function isLive(booking: Booking): boolean {
  return booking.status === "booked" || booking.status === "checked_in";
}

/** Whether a waitlist entry is still in the queue (waiting or offered). */
export function isOpenEntry(entry: WaitlistEntry): boolean {
  return entry.status === "waiting" || entry.status === "offered";
}

/** The member's live booking in this session, if any. */
export function liveBookingOf(state: ClassState, memberId: string): Booking | undefined {
  return state.bookings.find((b) => b.memberId === memberId && isLive(b));
}

/** The member's open waitlist entry in this session, if any. */
export function openEntryOf(state: ClassState, memberId: string): WaitlistEntry | undefined {
  return state.waitlist.find((e) => e.memberId === memberId && isOpenEntry(e));
}

/** Open entries in queue order (position 1 first). */
export function queue(state: ClassState): WaitlistEntry[] {
  return state.waitlist.filter(isOpenEntry).sort((a, b) => a.position - b.position);
}

/** Spots taken: live bookings plus spots held for open offers. */
export function heldSpots(state: ClassState): number {
  const live = state.bookings.filter(isLive).length;
  const offered = state.waitlist.filter((e) => e.status === "offered").length;
  return live + offered;
}

/** Spots still free (never negative, even after capacity was lowered below the roster). */
export function spotsLeft(state: ClassState): number {
  return Math.max(0, state.session.capacity - heldSpots(state));
}

/**
 * A state with one member's standing added or replaced (e.g. when a new member acts).
 * Equivalent to applying a `standing.updated` event.
 */
export function withMember(state: ClassState, standing: MemberStanding): ClassState {
  return { ...state, members: { ...state.members, [standing.memberId]: standing } };
}

/**
 * True when `b` says nothing `a` does not (field by field, nested plans and waivers too): a room that already holds
 * the standing keeps its state, instead of copying its members (O(roster)) to put an equal one in.
 */
export function sameStanding(a: MemberStanding | undefined, b: MemberStanding): boolean {
  return a !== undefined && equalJson(a, b);
}
