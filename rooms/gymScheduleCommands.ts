/**
 * The gym room's schedule commands: creating class types, sessions and recurring series (owners and admins only),
 * decided by `decideSchedule` and shown on the week's schedule when they fall inside it.
 */
import { DomainError } from "../domain/errors.js";
import type { GymRoomModel } from "../domain/views/gymView.js";
import { touched } from "../domain/views/sections.js";
import type { GymChange } from "./gymPorts.js";
import { decideSchedule, newScheduleEntry } from "./gymSchedule.js";
import type { Caller, RoomRuntime } from "./ports.js";
import { fail, type Outcome } from "./outcome.js";

/** Creating class types, sessions and series: owners and admins only. */
export function scheduleCommand(
  gymId: string,
  rt: Pick<RoomRuntime, "now" | "newId">,
  state: GymRoomModel,
  caller: Caller,
  type: string,
  payload: unknown,
): Outcome<GymRoomModel, GymChange> {
  if (caller.membership?.role !== "owner" && caller.membership?.role !== "admin")
    return { state, changes: [], reply: fail("FORBIDDEN", "Only owners and admins can change the schedule.") };
  const ctx = {
    gymId,
    timeZone: state.gym.timeZone,
    policy: state.policy,
    classTypes: state.classTypes,
    locations: state.locations,
    rooms: state.rooms ?? {},
    coaches: state.coaches,
    newId: rt.newId,
  };
  const decided = decideSchedule(ctx, type, payload, rt.now());
  if (decided instanceof DomainError) return { state, changes: [], reply: { ok: false, error: decided.toAck() } };
  if ("classType" in decided) {
    const t = decided.classType;
    const next = { ...state, classTypes: { ...state.classTypes, [t.id]: t } };
    return {
      state: next,
      touched: touched([], { classTypes: [t.id] }),
      changes: [{ type: "classType", classType: t }],
      reply: { ok: true, result: { classTypeId: t.id } },
    };
  }
  let schedule = state.schedule;
  const shown = decided.sessions.filter((s) => s.startsAt < state.scheduleUntil);
  for (const s of shown) schedule = schedule.set(s.id, newScheduleEntry(ctx, s));
  const changes: GymChange[] = decided.schedule ? [{ type: "schedule", schedule: decided.schedule }] : [];
  changes.push(...decided.sessions.map((session): GymChange => ({ type: "session", session })));
  const result = { sessionIds: decided.sessions.map((s) => s.id), scheduleId: decided.schedule?.id ?? null };
  return {
    state: { ...state, schedule },
    touched: touched([], { schedule: shown.map((s) => s.id) }),
    changes,
    reply: { ok: true, result },
  };
}
