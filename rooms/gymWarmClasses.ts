import type { GymRoomState } from "../domain/views/gymView.js";

/** At most this many of a gym's classes load with its room (see {@link classesOpenForCheckIn}). */
export const CHECK_IN_WARM_MAX = 8;

/**
 * The classes a gym room starts when it loads (a desk or a staff screen opened the gym): those open for check-in now
 * with members booked and not yet checked in, soonest first. The desk's first check-in into each then finds its
 * class room in memory, instead of paying the room's load inside the scan's answer (the first check-in into each
 * of 5 open classes was 2–4× a warm one). Bounded, like a member's room warming their next classes.
 */
export function classesOpenForCheckIn(state: Pick<GymRoomState, "schedule">, now: number, max = CHECK_IN_WARM_MAX): string[] {
  return Object.values(state.schedule)
    .filter(
      (s) =>
        s.status === "scheduled" &&
        s.booked > s.checkedIn && // `booked` counts the checked-in too
        s.checkInOpensAt !== undefined &&
        s.checkInClosesAt !== undefined &&
        s.checkInOpensAt <= now &&
        now <= s.checkInClosesAt,
    )
    .sort((a, b) => a.startsAt - b.startsAt)
    .slice(0, max)
    .map((s) => s.id);
}
