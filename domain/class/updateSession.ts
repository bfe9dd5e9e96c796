/**
 * Staff edits of a scheduled session: coach, time, duration, capacity and rule settings.
 */
import { DomainError } from "../errors.js";
import type { ClassSession } from "../model.js";
import { startDraft, type Outcome } from "./draft.js";
import { checkScheduled, checkStaff } from "./guards.js";
import { fillOpenSpots } from "./promotion.js";
import type { ClassState, CommandContext } from "./state.js";
import type { ClassCommandPayload } from "../protocol/commands.js";

/** `schedule:updateSession`. Absent fields stay as they are. */
export type UpdateSession = ClassCommandPayload<"schedule:updateSession">;

/**
 * Applies the edit as one `session.updated`. Like a capacity change, a larger class promotes
 * from the waitlist and a smaller one never removes anyone. A class can't be moved into the past.
 */
export function updateSession(
  state: ClassState,
  command: UpdateSession,
  ctx: CommandContext,
): Outcome<{ sessionId: string; promoted: number }> {
  const refused = checkStaff(state, ctx, command.sessionId) ?? checkScheduled(state);
  if (refused) return refused;
  const s = state.session;
  const startsAt = command.startsAt ?? s.startsAt;
  if (command.startsAt !== undefined && command.startsAt < ctx.now) {
    return new DomainError("VALIDATION_FAILED", "A class can't be moved into the past.", { fields: { startsAt: "In the past" } });
  }
  const duration = command.durationMinutes !== undefined ? command.durationMinutes * 60_000 : s.endsAt - s.startsAt;
  const next: ClassSession = {
    ...s,
    ...(command.settings ?? {}),
    coachId: command.coachId !== undefined ? command.coachId : s.coachId,
    startsAt,
    endsAt: startsAt + duration,
    capacity: command.capacity ?? s.capacity,
  };
  const draft = startDraft(state, ctx);
  draft.emit({ type: "session.updated", session: next });
  const promoted = next.capacity > s.capacity ? fillOpenSpots(draft) : 0;
  return draft.done({ sessionId: s.id, promoted });
}
