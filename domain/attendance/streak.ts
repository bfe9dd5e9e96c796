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

/** A member's streak: the current run and the longest run ever, by the one rule of {@link currentStreak}. */
export interface Streak {
  current: number;
  /** The longest run of consecutive active days up to `now`; never below `current`. */
  best: number;
}

/**
 * The one streak definition every screen and answer uses: consecutive local days (gym zone) with at least
 * one active moment (a class attended or a workout logged), current (ending today or yesterday) and best.
 *
 * @example streakOf([...attendance.map((a) => a.at), ...logs.map((l) => l.performedAt)], now, gym.timeZone)
 */
export function streakOf(activeAt: readonly Instant[], now: Instant, timeZone: string): Streak {
  const current = currentStreak(
    activeAt.map((at) => ({ at })),
    now,
    timeZone,
  );
  const days = [...new Set(activeAt.filter((at) => at <= now).map((at) => localDate(at, timeZone)))].sort();
  let best = 0;
  let run = 0;
  for (let i = 0; i < days.length; i++) {
    run = i > 0 && addDays(days[i - 1]!, 1) === days[i] ? run + 1 : 1;
    best = Math.max(best, run);
  }
  return { current, best: Math.max(best, current) };
}

/**
 * The streak on an active day `today`, from the stored streak and the stored last active day — the
 * incremental form of {@link streakOf}'s current run, so the after-commit step stores what `streakOf` would
 * compute from the whole history (property-tested against it). An already counted day keeps the streak.
 */
export function nextStreak(stored: { streak: number; lastActiveDay: string | null }, today: string): number {
  if (stored.lastActiveDay === today) return stored.streak;
  return stored.lastActiveDay === addDays(today, -1) ? stored.streak + 1 : 1;
}

/** A streak as it is stored and held in memory: the run of consecutive active days ending at `lastActiveDay`. */
export interface StoredStreak {
  streak: number;
  /** Gym date "YYYY-MM-DD" of the last active day; null before any. */
  lastActiveDay: string | null;
}

/** The stored form from a member's active days (gym dates, any order): what {@link nextStreak} day by day would have stored. */
export function storedStreakOf(days: readonly string[]): StoredStreak {
  const sorted = [...new Set(days)].sort();
  const last = sorted[sorted.length - 1];
  if (last === undefined) return { streak: 0, lastActiveDay: null };
  let streak = 1;
  for (let i = sorted.length - 1; i > 0 && addDays(sorted[i - 1]!, 1) === sorted[i]; i--) streak += 1;
  return { streak, lastActiveDay: last };
}

/** The stored streak after an active day `day` (a check-in or a logged workout); an earlier or already counted day changes nothing. */
export function activeOn(stored: StoredStreak, day: string): StoredStreak {
  if (stored.lastActiveDay !== null && day <= stored.lastActiveDay) return stored;
  return { streak: nextStreak(stored, day), lastActiveDay: day };
}

/**
 * How a check-in answer's streak reads, the same at the desk and in the member app.
 * @example streakLabel(5) // "🔥 5-day streak"
 */
export function streakLabel(days: number): string {
  return `🔥 ${days}-day streak`;
}
