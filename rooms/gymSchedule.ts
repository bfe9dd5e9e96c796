import { DomainError } from "../domain/errors.js";
import type { ClassSession, ClassType, GymPolicy, RecurringSchedule } from "../domain/model.js";
import type { CommandPayload } from "../domain/protocol/commands.js";
import { generateSessions, policyFields } from "../domain/schedule/generateSessions.js";
import { zonedInstant } from "../domain/schedule/timeZone.js";
import type { CatalogChange } from "../domain/schedule/catalog.js";
import { scheduleEntry, type GymRoomModel, type ScheduleEntry } from "../domain/views/gymView.js";
import { touched, type ViewChange } from "../domain/views/sections.js";

/** What the gym's schedule commands need to know and decide with. */
export interface ScheduleContext {
  gymId: string;
  timeZone: string;
  policy: GymPolicy;
  classTypes: Readonly<Record<string, ClassType>>;
  locations: Readonly<Record<string, string>>;
  coaches: Readonly<Record<string, string>>;
  newId: () => string;
}

export type ScheduleDecision = { classType: ClassType } | { sessions: ClassSession[]; schedule?: RecurringSchedule };

function checkRefs(
  ctx: ScheduleContext,
  p: { classTypeId: string; locationId: string; coachId?: string | null | undefined },
): DomainError | null {
  const type = ctx.classTypes[p.classTypeId];
  if (!type)
    return new DomainError("NOT_FOUND", "That class type doesn't exist in this gym.", { fields: { classTypeId: "Unknown class type" } });
  if (type.archived)
    return new DomainError("VALIDATION_FAILED", `${type.name} is archived — restore it to schedule new classes.`, {
      fields: { classTypeId: "Archived" },
    });
  if (!(p.locationId in ctx.locations))
    return new DomainError("NOT_FOUND", "That location doesn't exist in this gym (or is archived).", {
      fields: { locationId: "Unknown location" },
    });
  if (p.coachId && !(p.coachId in ctx.coaches))
    return new DomainError("NOT_FOUND", "That coach doesn't work at this gym.", { fields: { coachId: "Unknown coach" } });
  return null;
}

function sessionFields(ctx: ScheduleContext, p: CommandPayload<"schedule:createSession">, startsAt: number, id: string): ClassSession {
  const type = ctx.classTypes[p.classTypeId]!;
  return {
    id,
    gymId: ctx.gymId,
    locationId: p.locationId,
    classTypeId: p.classTypeId,
    coachId: p.coachId ?? null,
    scheduleId: null,
    startsAt,
    endsAt: startsAt + p.durationMinutes * 60_000,
    capacity: p.capacity,
    status: "scheduled",
    cancelReason: null,
    ...policyFields(ctx.policy, type.promotionMode),
    ...(p.settings ?? {}),
  };
}

/** Decides `schedule:createClassType`, `schedule:createSession` and `schedule:createSeries`. */
export function decideSchedule(ctx: ScheduleContext, type: string, payload: unknown, now: number): ScheduleDecision | DomainError {
  switch (type) {
    case "schedule:createClassType": {
      const p = payload as CommandPayload<"schedule:createClassType">;
      const classType: ClassType = {
        id: ctx.newId(),
        gymId: ctx.gymId,
        name: p.name,
        description: p.description ?? "",
        color: p.color ?? "#4a5568",
        promotionMode: p.promotionMode ?? null,
      };
      return { classType };
    }
    case "schedule:createSession": {
      const p = payload as CommandPayload<"schedule:createSession">;
      const bad = checkRefs(ctx, p);
      if (bad) return bad;
      if (p.startsAt < now)
        return new DomainError("VALIDATION_FAILED", "A class can't start in the past.", { fields: { startsAt: "In the past" } });
      return { sessions: [sessionFields(ctx, p, p.startsAt, ctx.newId())] };
    }
    case "schedule:createSeries": {
      const p = payload as CommandPayload<"schedule:createSeries">;
      const bad = checkRefs(ctx, p);
      if (bad) return bad;
      const schedule: RecurringSchedule = {
        id: ctx.newId(),
        gymId: ctx.gymId,
        locationId: p.locationId,
        classTypeId: p.classTypeId,
        coachId: p.coachId ?? null,
        weekdays: p.weekdays,
        startTime: p.startTime,
        durationMinutes: p.durationMinutes,
        capacity: p.capacity,
        startDate: p.startDate,
        endDate: p.endDate,
        exceptions: p.exceptions ?? [],
      };
      const type = ctx.classTypes[p.classTypeId]!;
      const from = Math.max(now, zonedInstant(p.startDate, "00:00", ctx.timeZone));
      const sessions = generateSessions(
        schedule,
        { timeZone: ctx.timeZone, policy: ctx.policy, promotionMode: type.promotionMode },
        { from, to: Number.MAX_SAFE_INTEGER },
        ctx.newId,
      ).map((s) => ({ ...s, ...(p.settings ?? {}) }));
      if (sessions.length === 0)
        return new DomainError("VALIDATION_FAILED", "That series has no class dates in the future.", { fields: { weekdays: "No dates" } });
      return { sessions, schedule };
    }
    default:
      return new DomainError("VALIDATION_FAILED", `Unknown command ${type} for a gym.`);
  }
}

/** The schedule line of a freshly created session (no bookings yet). */
export function newScheduleEntry(ctx: ScheduleContext, s: ClassSession): ScheduleEntry {
  const names = {
    classType: (id: string) => ctx.classTypes[id],
    location: (id: string) => ctx.locations[id],
    coach: (id: string) => ctx.coaches[id],
  };
  return scheduleEntry(s, names, { booked: 0, checkedIn: 0, waitlist: 0, spotsLeft: s.capacity });
}

/**
 * A catalogue change staff saved: the gym's details, a location (an archived one leaves the places to schedule in;
 * classes already there keep its name) or a class type (its classes on the schedule take the new name and colour).
 */
export function withCatalog(state: GymRoomModel, change: CatalogChange): { state: GymRoomModel; touched: ViewChange } {
  if (change.kind === "gym") return { state: { ...state, gym: { ...state.gym, ...change.gym } }, touched: touched(["gym"]) };
  if (change.kind === "location") {
    const { id, name, archived } = change.location;
    const locations = { ...state.locations };
    if (archived) delete locations[id];
    else locations[id] = name;
    return { state: { ...state, locations }, touched: touched(["locations"]) };
  }
  const t = change.classType;
  let schedule = state.schedule;
  const lines: string[] = [];
  for (const [id, entry] of state.schedule.entries())
    if (entry.classTypeId === t.id && (entry.className !== t.name || entry.color !== t.color)) {
      schedule = schedule.set(id, { ...entry, className: t.name, color: t.color });
      lines.push(id);
    }
  return {
    state: { ...state, classTypes: { ...state.classTypes, [t.id]: t }, schedule },
    touched: touched([], { classTypes: [t.id], schedule: lines }),
  };
}
