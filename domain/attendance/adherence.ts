/**
 * Weekly adherence: how many classes a member attended against their plan's weekly target.
 */
import type { AttendanceEvent, Instant } from "../model.js";
import { addDays, isoWeekBounds, startOfLocalDay } from "../schedule/timeZone.js";

/** Attendance counted for one ISO week. */
export interface WeekAttendance {
  /** Local Monday, "YYYY-MM-DD". */
  monday: string;
  attended: number;
}

/** Result of {@link weeklyAdherence}. */
export interface Adherence {
  weeks: WeekAttendance[];
  attended: number;
  target: number;
  /** attended / target (may exceed 1); null when the target is 0. */
  ratio: number | null;
}

/**
 * Adherence over the last `weeks` complete ISO weeks before the current one (gym zone), or
 * ending with the current week when `includeCurrentWeek` is set: attended / (weeklyTarget × weeks).
 * Several attendances on one day all count (two classes are two classes).
 */
export function weeklyAdherence(
  attendance: readonly Pick<AttendanceEvent, "at">[],
  options: { now: Instant; timeZone: string; weeklyTarget: number; weeks: number; includeCurrentWeek?: boolean },
): Adherence {
  const { now, timeZone, weeklyTarget } = options;
  const current = isoWeekBounds(now, timeZone).monday;
  const lastMonday = options.includeCurrentWeek === true ? current : addDays(current, -7);
  const weeks: WeekAttendance[] = [];
  for (let i = options.weeks - 1; i >= 0; i -= 1) {
    const monday = addDays(lastMonday, -7 * i);
    const start = startOfLocalDay(monday, timeZone);
    const end = startOfLocalDay(addDays(monday, 7), timeZone);
    weeks.push({ monday, attended: attendance.filter((a) => a.at >= start && a.at < end && a.at <= now).length });
  }
  const attended = weeks.reduce((sum, w) => sum + w.attended, 0);
  const target = weeklyTarget * options.weeks;
  return { weeks, attended, target, ratio: target > 0 ? attended / target : null };
}
