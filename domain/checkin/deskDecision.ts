/**
 * The front desk's decision, in one place: the gym room decides with it online, and an offline desk decides
 * with it on the device from its snapshot (docs/domain.md "When the desk is offline"). Pure: the member, their
 * bookings near now, the rules and the time come in; a verdict with its reason goes out.
 */
import type { CheckInDenial, Instant, MembershipStatus, SessionStatus } from "../model.js";
import { membershipDenial } from "./denials.js";

const MINUTE = 60_000;

/** What the desk knows of a member (from the server, or from the device's snapshot). */
export interface DeskMemberFacts {
  memberId: string;
  gymId: string;
  status: MembershipStatus;
  /** Display name, no photo. */
  name: string;
  /** While frozen: the last frozen day ("2027-01-12"). */
  frozenUntil?: string | null;
  /** Last accepted open-gym check-in, to swallow double scans. */
  lastOpenGymAt: Instant | null;
}

/** One of the member's live bookings (booked or checked in), with the session's status and check-in window. */
export interface DeskBooking {
  sessionId: string;
  className: string;
  sessionStatus: SessionStatus;
  bookingStatus: "booked" | "checked_in";
  startsAt: Instant;
  checkInOpensAt: Instant;
  checkInClosesAt: Instant;
}

/** The rules the desk decides by. */
export interface DeskRules {
  /** Bookings this far either side of now are considered (the nearest first). */
  nearMinutes: number;
  /** Repeated open-gym scans within this many minutes count as the same visit. */
  openGymDedupeMinutes: number;
}

/** Repeated open-gym scans within this many minutes count as the same visit. */
export const OpenGymDedupeMinutes = 10;

export const DefaultDeskRules: DeskRules = { nearMinutes: 6 * 60, openGymDedupeMinutes: OpenGymDedupeMinutes };

/** Input of {@link decideDeskCheckIn}. */
export interface DeskDecisionInput {
  gymId: string;
  /** Null when the name or code matched nobody. */
  member: DeskMemberFacts | null;
  /** The member's bookings (any; the function keeps the live ones near now). */
  bookings: readonly DeskBooking[];
  /** Staff asked for open gym, not a class. */
  openGym: boolean;
  rules: DeskRules;
  now: Instant;
}

/**
 * The desk's verdict. `class` and `already_in_class` go to the class room online (it records them); offline the
 * desk shows them as provisional ✔.
 */
export type DeskVerdict =
  | { verdict: "class"; sessionId: string; className: string }
  | { verdict: "already_in_class"; sessionId: string; className: string }
  | { verdict: "open_gym" }
  | { verdict: "already_checked_in" }
  | { verdict: "denied"; reason: CheckInDenial; sessionId: string | null; className: string | null };

/**
 * A rule about the member alone, checked before any booking (membership status today; a signed waiver may join).
 * Returns the refusal, or null to let the member through.
 */
export type DeskMemberRule = (member: DeskMemberFacts, now: Instant) => CheckInDenial | null;

/** The member rules, in order: the first refusal wins. */
export const DeskMemberRules: readonly DeskMemberRule[] = [(m) => membershipDenial(m.status)];

/**
 * Decides a desk check-in.
 *
 * @example decideDeskCheckIn({ gymId, member, bookings: [], openGym: true, rules: DefaultDeskRules, now }) // { verdict: "open_gym" }
 */
export function decideDeskCheckIn(input: DeskDecisionInput, memberRules: readonly DeskMemberRule[] = DeskMemberRules): DeskVerdict {
  const { member, now, rules } = input;
  // A member of another gym is treated as unknown (no existence leak).
  if (member === null || member.gymId !== input.gymId) return denied("UNKNOWN_MEMBER");
  for (const rule of memberRules) {
    const reason = rule(member, now);
    if (reason !== null) return denied(reason);
  }
  if (input.openGym) {
    const last = member.lastOpenGymAt;
    return last !== null && now - last >= 0 && now - last < rules.openGymDedupeMinutes * MINUTE
      ? { verdict: "already_checked_in" }
      : { verdict: "open_gym" };
  }
  const live = nearLiveBookings(input.bookings, now, rules);
  if (live.length === 0) return denied("NO_BOOKING");
  const open = live.find((b) => now >= b.checkInOpensAt && now <= b.checkInClosesAt);
  if (!open) return denied("OUTSIDE_CHECK_IN_WINDOW", live[0]!);
  const at = { sessionId: open.sessionId, className: open.className };
  return open.bookingStatus === "checked_in" ? { verdict: "already_in_class", ...at } : { verdict: "class", ...at };
}

/**
 * When the server decides a check-in an offline desk sends late: the desk's clock, clamped to [its last sync,
 * receipt] — a desk clock can be wrong, but it cannot claim a time before it last heard the server or after now.
 */
export function offlineDecisionTime(o: { deviceAt: Instant; lastSyncAt: Instant }, receivedAt: Instant): Instant {
  const floor = Math.min(o.lastSyncAt, receivedAt);
  return Math.min(Math.max(o.deviceAt, floor), receivedAt);
}

/** Whether a verdict lets the member in (what the desk shows as ✔). */
export function admits(v: DeskVerdict): boolean {
  return v.verdict !== "denied";
}

/** The live bookings of scheduled sessions within the rules' reach of now, nearest first (at most three, as the desk always looked). */
export function nearLiveBookings(bookings: readonly DeskBooking[], now: Instant, rules: DeskRules): DeskBooking[] {
  return bookings
    .filter((b) => b.sessionStatus === "scheduled" && Math.abs(b.startsAt - now) <= rules.nearMinutes * MINUTE)
    .sort((a, b) => Math.abs(a.startsAt - now) - Math.abs(b.startsAt - now) || a.sessionId.localeCompare(b.sessionId))
    .slice(0, 3);
}

function denied(reason: CheckInDenial, at?: DeskBooking): DeskVerdict {
  return { verdict: "denied", reason, sessionId: at?.sessionId ?? null, className: at?.className ?? null };
}
