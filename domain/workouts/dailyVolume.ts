/**
 * How much one member may log in a day: a bound on what one account can make the server store, rank and export.
 */
import { DomainError } from "../errors.js";

/** Free-workout logs and sets one member may store in any 24 hours (all gyms together). */
export interface DailyVolumeLimits {
  logsPerDay: number;
  setsPerDay: number;
}

/** The defaults: far above any real training day (`MAX_WORKOUT_LOGS_PER_DAY`, `MAX_WORKOUT_SETS_PER_DAY`). */
export const DefaultDailyVolumeLimits: DailyVolumeLimits = { logsPerDay: 20, setsPerDay: 500 };

/** The 24 hours the daily limits count over, ending now. */
export const DailyVolumeWindowMs = 24 * 3_600_000;

/**
 * Refuses a workout of `sets` sets when, with what the member stored in the last 24 hours, it passes a limit.
 *
 * @example
 * dailyVolumeRefusal({ logs: 20, sets: 60 }, 5, DefaultDailyVolumeLimits) // LIMIT_EXCEEDED: 20 workouts a day
 */
export function dailyVolumeRefusal(used: { logs: number; sets: number }, sets: number, limits: DailyVolumeLimits): DomainError | null {
  if (used.logs + 1 > limits.logsPerDay)
    return new DomainError(
      "LIMIT_EXCEEDED",
      `You've logged ${limits.logsPerDay} workouts in the last 24 hours — that's the most Spotter takes; log more tomorrow.`,
      {
        details: { limit: "logsPerDay", max: limits.logsPerDay, used: used.logs },
      },
    );
  if (used.sets + sets > limits.setsPerDay) {
    const left = Math.max(0, limits.setsPerDay - used.sets);
    return new DomainError(
      "LIMIT_EXCEEDED",
      `That would pass ${limits.setsPerDay} sets in 24 hours — you can log ${left} more set${left === 1 ? "" : "s"} today.`,
      { details: { limit: "setsPerDay", max: limits.setsPerDay, used: used.sets } },
    );
  }
  return null;
}
