/**
 * Today's classes and what they hold, from the gym's live schedule: the one count the dashboard's
 * "Booked today" card, its class table and the member app's "booked / capacity" all agree on.
 */
import { localDate } from "../schedule/timeZone.js";
import type { ScheduleEntry } from "./gymView.js";

export interface TodayTotals {
  /** Today's sessions in the gym's zone, by start time (cancelled ones included, so staff see them). */
  classes: ScheduleEntry[];
  /** Spots taken (booked or checked in) in today's classes that are not cancelled. */
  booked: number;
  /** Spots offered by today's classes that are not cancelled. */
  capacity: number;
  /** Of `booked`, members already checked in. */
  checkedIn: number;
}

/** Sums today's (gym-zone) classes; `keep` narrows them (a coach's own classes). */
export function todayTotals(
  schedule: Readonly<Record<string, ScheduleEntry>>,
  timeZone: string,
  now: number,
  keep: (s: ScheduleEntry) => boolean = () => true,
): TodayTotals {
  const today = localDate(now, timeZone);
  const classes = Object.values(schedule)
    .filter((s) => localDate(s.startsAt, timeZone) === today && keep(s))
    .sort((a, b) => a.startsAt - b.startsAt || a.className.localeCompare(b.className));
  const live = classes.filter((s) => s.status !== "cancelled");
  return {
    classes,
    booked: live.reduce((n, s) => n + s.booked, 0),
    capacity: live.reduce((n, s) => n + s.capacity, 0),
    checkedIn: live.reduce((n, s) => n + s.checkedIn, 0),
  };
}
