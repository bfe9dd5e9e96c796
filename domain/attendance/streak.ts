/**
 * Attendance streaks: consecutive local days with at least one attendance.
 */
import type { AttendanceEvent, Instant } from "../model.js";
import { addDays, localDate } from "../schedule/timeZone.js";

/**
 * The member's current streak in days: consecutive local days (gym zone) with ≥ 1
 * attendance, ending today — or yesterday, so the streak isn't broken before today's class.
 * 0 when neither today nor yesterday has an attendance.
 */
export function currentStreak(attendance: readonly Pick<AttendanceEvent, "at">[], now: Instant, timeZone: string): number {
  const days = new Set(attendance.filter((a) => a.at <= now).map((a) => localDate(a.at, timeZone)));
  const today = localDate(now, timeZone);
  let day = days.has(today) ? today : addDays(today, -1);
  let streak = 0;
  while (days.has(day)) {
    streak += 1;
    day = addDays(day, -1);
  }
  return streak;
}
