/**
 * Turning a weekly recurring schedule into concrete class sessions.
 */
import type { ClassSession, GymPolicy, Instant, PromotionMode, RecurringSchedule } from "../model.js";
import { addDays, localDate, weekdayOf, zonedInstant } from "./timeZone.js";

/** The gym facts a session copies when it is scheduled. */
export interface SessionDefaults {
  timeZone: string;
  policy: GymPolicy;
  /** The class type's override of the gym's promotion mode, if any. */
  promotionMode?: PromotionMode | null;
}

/** Fields of a new session that come from the gym policy. */
export type PolicyFields = Pick<
  ClassSession,
  | "promotionMode"
  | "bookingOpensMinutes"
  | "bookingClosesMinutes"
  | "lateCancelMinutes"
  | "autoPromoteCutoffMinutes"
  | "checkInOpensMinutes"
  | "checkInClosesMinutes"
  | "waitlistLimit"
  | "offerClaimMinutes"
>;

/** Copies the policy settings a session keeps (so later policy edits don't move booked classes). */
export function policyFields(policy: GymPolicy, promotionMode?: PromotionMode | null): PolicyFields {
  return {
    promotionMode: promotionMode ?? policy.promotionMode,
    bookingOpensMinutes: policy.bookingOpensMinutes,
    bookingClosesMinutes: policy.bookingClosesMinutes,
    lateCancelMinutes: policy.lateCancelMinutes,
    autoPromoteCutoffMinutes: policy.autoPromoteCutoffMinutes,
    checkInOpensMinutes: policy.checkInOpensMinutes,
    checkInClosesMinutes: policy.checkInClosesMinutes,
    waitlistLimit: policy.waitlistLimit,
    offerClaimMinutes: policy.offerClaimMinutes,
  };
}

/**
 * Sessions of `schedule` starting in `[from, to)`: every listed weekday between its start and
 * end dates (inclusive, local), except exception dates, at the local start time in the gym's
 * zone (DST-correct). Ids come from `newId`, in chronological order, so output is deterministic.
 *
 * @example
 * generateSessions(schedule, { timeZone: "Europe/Berlin", policy }, { from, to }, () => crypto.randomUUID());
 */
export function generateSessions(
  schedule: RecurringSchedule,
  defaults: SessionDefaults,
  range: { from: Instant; to: Instant },
  newId: () => string,
): ClassSession[] {
  const sessions: ClassSession[] = [];
  const exceptions = new Set(schedule.exceptions);
  const weekdays = new Set(schedule.weekdays);
  const fields = policyFields(defaults.policy, defaults.promotionMode);
  // Start a day before `from` (local) so long-running schedules don't walk their whole past.
  const firstNeeded = addDays(localDate(range.from, defaults.timeZone), -1);
  const first = schedule.startDate > firstNeeded ? schedule.startDate : firstNeeded;
  for (let date = first; date <= schedule.endDate; date = addDays(date, 1)) {
    if (!weekdays.has(weekdayOf(date)) || exceptions.has(date)) continue;
    const startsAt = zonedInstant(date, schedule.startTime, defaults.timeZone);
    if (startsAt < range.from) continue;
    if (startsAt >= range.to) break;
    sessions.push({
      id: newId(),
      gymId: schedule.gymId,
      locationId: schedule.locationId,
      classTypeId: schedule.classTypeId,
      coachId: schedule.coachId,
      scheduleId: schedule.id,
      roomId: schedule.roomId ?? null,
      startsAt,
      endsAt: startsAt + schedule.durationMinutes * 60_000,
      capacity: schedule.capacity,
      status: "scheduled",
      cancelReason: null,
      ...fields,
    });
  }
  return sessions;
}
