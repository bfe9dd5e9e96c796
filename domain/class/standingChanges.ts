import type { BookingStatus, Instant } from "../model.js";
import { isoWeekBounds } from "../schedule/timeZone.js";
import type { ClassStateEvent } from "./events.js";
import { WeeklyCountedStatuses, type MemberStanding } from "./state.js";

/** A member's booking as resident memory keeps it: enough to count a week and find today's class. */
export interface HeldBooking {
  sessionId: string;
  startsAt: Instant;
  status: BookingStatus;
}

const counted = new Set<BookingStatus>(WeeklyCountedStatuses);

/**
 * The member's bookings that count against a weekly plan at OTHER sessions in the ISO week (gym time
 * zone) of `startsAt` — the same rule as `MemberStanding.bookingsThisWeek`.
 */
export function bookingsInWeek(bookings: readonly HeldBooking[], sessionId: string, startsAt: Instant, timeZone: string): number {
  if (bookings.length === 0) return 0;
  const week = isoWeekBounds(startsAt, timeZone);
  let n = 0;
  for (const b of bookings)
    if (b.sessionId !== sessionId && counted.has(b.status) && b.startsAt >= week.start && b.startsAt < week.end) n++;
  return n;
}

/**
 * How a batch of class events moves each member's credits: the credits a room decided, minus what it
 * believed before (its loaded standing, or the refreshed one the batch carries). Deltas, not values:
 * two rooms that each took one credit from the same pack must take two.
 */
export function creditDeltas(members: Readonly<Record<string, MemberStanding>>, events: readonly ClassStateEvent[]): Map<string, number> {
  const known = new Map<string, number | null>(Object.values(members).map((m) => [m.memberId, m.credits]));
  const deltas = new Map<string, number>();
  for (const e of events) {
    if (e.type === "standing.updated") known.set(e.standing.memberId, e.standing.credits);
    else if (e.type === "credits.changed") {
      deltas.set(e.memberId, (deltas.get(e.memberId) ?? 0) + e.credits - (known.get(e.memberId) ?? 0));
      known.set(e.memberId, e.credits);
    }
  }
  return deltas;
}
