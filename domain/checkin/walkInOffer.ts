/**
 * What the desk offers a member who isn't booked in a class now (issue 18, "Walk-ins"): the class it would check them
 * into — today's class whose check-in window is open, nearest its start — to book (or waitlist, when full) and check
 * in in one step. Pure: the gym's schedule lines and the time come in.
 */
import { checkInWindowState } from "./checkInWindow.js";
import type { Instant, SessionStatus } from "../model.js";

/** The class the desk offers to book a member into and check them in (the `walkIn` of a NO_BOOKING answer). */
export interface WalkInOffer {
  sessionId: string;
  className: string;
  startsAt: Instant;
  /** No spot left: the offer is the waitlist. */
  full: boolean;
}

/** A schedule line as the offer reads it (a `ScheduleEntry`; lines without a check-in window are never offered). */
export interface WalkInLine {
  id: string;
  className: string;
  status: SessionStatus;
  startsAt: Instant;
  checkInOpensAt?: Instant | undefined;
  checkInClosesAt?: Instant | undefined;
  spotsLeft: number;
}

/** The classes open for check-in at `now`, nearest their start first (ties by id): what a walk-in can be booked into. */
export function openForCheckIn<L extends WalkInLine>(lines: Iterable<L>, now: Instant): L[] {
  const open = (l: L) =>
    l.status === "scheduled" &&
    l.checkInOpensAt !== undefined &&
    l.checkInClosesAt !== undefined &&
    checkInWindowState({ status: l.status, checkInOpensAt: l.checkInOpensAt, checkInClosesAt: l.checkInClosesAt }, now) === "open";
  return [...lines]
    .filter(open)
    .sort((a, b) => Math.abs(a.startsAt - now) - Math.abs(b.startsAt - now) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The class open for check-in at `now`, nearest its start (ties by id), or null when none is.
 *
 * @example walkInOffer(Object.values(view.schedule), now) // { sessionId, className: "WOD", startsAt, full: false }
 */
export function walkInOffer(lines: Iterable<WalkInLine>, now: Instant): WalkInOffer | null {
  const best = openForCheckIn(lines, now)[0];
  return best ? { sessionId: best.id, className: best.className, startsAt: best.startsAt, full: best.spotsLeft <= 0 } : null;
}
