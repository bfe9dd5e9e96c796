/**
 * What a new class must reference and how it is filled in, shared by the gym room's `schedule:create*` commands and
 * the history import (`app/setup/importClasses.ts`): a class type that is not archived, a location that is not
 * archived (and, when named, a room of it that is not archived), a coach of the gym; the gym's policy copied in at creation (docs/domain.md "Settings and their defaults").
 */
import { DomainError } from "../errors.js";
import type { ClassSession, ClassType, GymPolicy } from "../model.js";
import { policyFields, scheduledSession, type PolicyFields } from "./generateSessions.js";

/**
 * A new class as staff (`schedule:createSession`) or an import describe it: what it references, when, how long and
 * how large, and the policy settings it sets for itself.
 */
export interface NewClass {
  classTypeId: string;
  locationId: string;
  roomId?: string | null | undefined;
  coachId?: string | null | undefined;
  startsAt: number;
  durationMinutes: number;
  capacity: number;
  settings?: Partial<PolicyFields> | undefined;
}

/** A new class type as `schedule:createClassType` describes it. */
export interface NewClassType {
  name: string;
  description?: string | undefined;
  color?: string | undefined;
  promotionMode?: ClassType["promotionMode"] | undefined;
}

/** What the gym's schedule commands need to know and decide with. */
export interface ScheduleContext {
  gymId: string;
  timeZone: string;
  policy: GymPolicy;
  classTypes: Readonly<Record<string, ClassType>>;
  /** Locations that take new classes (not archived), id → name. */
  locations: Readonly<Record<string, string>>;
  /** Rooms that take new classes (not archived), id → their location and name. */
  rooms: Readonly<Record<string, { locationId: string; name: string }>>;
  coaches: Readonly<Record<string, string>>;
  newId: () => string;
}

/** Why a new class can't reference these, or null. */
export function checkRefs(
  ctx: ScheduleContext,
  p: { classTypeId: string; locationId: string; roomId?: string | null | undefined; coachId?: string | null | undefined },
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
  if (p.roomId && ctx.rooms[p.roomId]?.locationId !== p.locationId)
    return new DomainError("VALIDATION_FAILED", `Pick a room of ${ctx.locations[p.locationId]} — that one isn't there (or is archived).`, {
      fields: { roomId: "Not a room of this location" },
    });
  if (p.coachId && !(p.coachId in ctx.coaches))
    return new DomainError("NOT_FOUND", "That coach doesn't work at this gym.", { fields: { coachId: "Unknown coach" } });
  return null;
}

/** A new class at `startsAt` with the gym's policy (and the payload's own settings) copied in; scheduled. */
export function sessionFields(ctx: ScheduleContext, p: Omit<NewClass, "startsAt">, startsAt: number, id: string): ClassSession {
  const type = ctx.classTypes[p.classTypeId]!;
  const place = { ...p, gymId: ctx.gymId, coachId: p.coachId ?? null, scheduleId: null, roomId: p.roomId ?? null };
  return { ...scheduledSession(id, place, startsAt, policyFields(ctx.policy, type.promotionMode)), ...(p.settings ?? {}) };
}

/**
 * A class brought over from another system (`importClasses`): the same references and fields as a new class, but it
 * may lie in the past — then it is `completed` once it ended (a history, not something to book).
 */
export function importedClass(ctx: ScheduleContext, p: NewClass, id: string, now: number): ClassSession | DomainError {
  const bad = checkRefs(ctx, p);
  if (bad) return bad;
  const s = sessionFields(ctx, p, p.startsAt, id);
  return s.endsAt < now ? { ...s, status: "completed" } : s;
}

/** A new class type of the gym (grey unless a colour is given; the gym's promotion mode unless it sets its own). */
export function newClassType(ctx: Pick<ScheduleContext, "gymId">, p: NewClassType, id: string): ClassType {
  return {
    id,
    gymId: ctx.gymId,
    name: p.name,
    description: p.description ?? "",
    color: p.color ?? "#4a5568",
    promotionMode: p.promotionMode ?? null,
  };
}
