import { DomainError } from "../domain/errors.js";
import type { ClassSession, ClassType, RecurringSchedule } from "../domain/model.js";
import type { CommandPayload } from "../domain/protocol/commands.js";
import { generateSessions } from "../domain/schedule/generateSessions.js";
import { checkRefs, newClassType, sessionFields, type ScheduleContext } from "../domain/schedule/newClasses.js";
import { zonedInstant } from "../domain/schedule/timeZone.js";
import type { CatalogChange } from "../domain/schedule/catalog.js";
import { scheduleEntry, type GymRoomModel, type ScheduleEntry } from "../domain/views/gymView.js";
import { touched, type ViewChange } from "../domain/views/sections.js";

export type { ScheduleContext } from "../domain/schedule/newClasses.js";

export type ScheduleDecision = { classType: ClassType } | { sessions: ClassSession[]; schedule?: RecurringSchedule };

/** Decides `schedule:createClassType`, `schedule:createSession` and `schedule:createSeries`. */
export function decideSchedule(ctx: ScheduleContext, type: string, payload: unknown, now: number): ScheduleDecision | DomainError {
  switch (type) {
    case "schedule:createClassType": {
      const p = payload as CommandPayload<"schedule:createClassType">;
      return { classType: newClassType(ctx, p, ctx.newId()) };
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
        roomId: p.roomId ?? null,
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
    room: (id: string) => ctx.rooms[id]?.name,
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
  if (change.kind === "room") {
    const { id, locationId, name, archived } = change.room;
    const rooms = { ...state.rooms };
    if (archived) delete rooms[id];
    else rooms[id] = { locationId, name };
    return { state: { ...state, rooms }, touched: touched([]) };
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
