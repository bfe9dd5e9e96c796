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

/** Where, when and how large a new session is: what a schedule or a staff member says of it. */
export type SessionPlace = Pick<ClassSession, "gymId" | "locationId" | "classTypeId" | "coachId" | "scheduleId" | "roomId" | "capacity"> & {
  durationMinutes: number;
};

/** A scheduled session at `startsAt`, with the policy settings it keeps. */
export function scheduledSession(id: string, place: SessionPlace, startsAt: Instant, fields: PolicyFields): ClassSession {
  return {
    id,
    gymId: place.gymId,
    locationId: place.locationId,
    classTypeId: place.classTypeId,
    coachId: place.coachId,
    scheduleId: place.scheduleId,
    roomId: place.roomId,
    startsAt,
    endsAt: startsAt + place.durationMinutes * 60_000,
    capacity: place.capacity,
    status: "scheduled",
    cancelReason: null,
    ...fields,
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
  const place: SessionPlace = { ...schedule, scheduleId: schedule.id, roomId: schedule.roomId ?? null };
  // Start a day before `from` (local) so long-running schedules don't walk their whole past.
  const firstNeeded = addDays(localDate(range.from, defaults.timeZone), -1);
  const first = schedule.startDate > firstNeeded ? schedule.startDate : firstNeeded;
  for (let date = first; date <= schedule.endDate; date = addDays(date, 1)) {
    if (!weekdays.has(weekdayOf(date)) || exceptions.has(date)) continue;
    const startsAt = zonedInstant(date, schedule.startTime, defaults.timeZone);
    if (startsAt < range.from) continue;
    if (startsAt >= range.to) break;
    sessions.push(scheduledSession(newId(), place, startsAt, fields));
  }
  return sessions;
}
