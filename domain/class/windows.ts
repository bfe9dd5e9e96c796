/**
 * The instants at which a session's booking, cancel, promotion and check-in rules change.
 */
import type { ClassSession, Instant } from "../model.js";

const MINUTE = 60_000;

/** The rule boundaries of one session, as instants. */
export interface ClassWindows {
  /** Booking (and joining the waitlist) is possible from here ... */
  bookingOpensAt: Instant;
  /** ... until (exclusive) here. */
  bookingClosesAt: Instant;
  /** A cancel at or after this instant is a late cancel. */
  lateCancelAt: Instant;
  /** Freed spots are promoted automatically only before this instant. */
  autoPromoteUntil: Instant;
  /** Check-in is accepted from here ... */
  checkInOpensAt: Instant;
  /** ... until (inclusive) here. */
  checkInClosesAt: Instant;
}

/** Computes the session's windows from its minute settings. */
export function classWindows(session: ClassSession): ClassWindows {
  const start = session.startsAt;
  return {
    bookingOpensAt: start - session.bookingOpensMinutes * MINUTE,
    bookingClosesAt: start - session.bookingClosesMinutes * MINUTE,
    lateCancelAt: start - session.lateCancelMinutes * MINUTE,
    autoPromoteUntil: start - session.autoPromoteCutoffMinutes * MINUTE,
    checkInOpensAt: start - session.checkInOpensMinutes * MINUTE,
    checkInClosesAt: start + session.checkInClosesMinutes * MINUTE,
  };
}

/** A no-show can be marked once the class has started (server rule; the roster disables the button before). */
export function noShowAllowed(s: { startsAt: Instant }, now: Instant): boolean {
  return now >= s.startsAt;
}
