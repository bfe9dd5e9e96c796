/**
 * The class leaderboard's two commands: staff set the workout of the day, members (or staff) log results. The board's
 * state, events and fold are the workouts area's (`domain/workouts/classBoard.ts`), which class state holds.
 */
import { DomainError } from "../errors.js";
import type { ClassCommandPayload } from "../protocol/commands.js";
import { rankedResults, type ClassWorkout, type WorkoutResult } from "../workouts/classBoard.js";
import { Divisions, type Division } from "../workouts/scores.js";
import { startDraft, type Outcome } from "./draft.js";
import { checkStaff, resolveMember } from "./guards.js";
import { liveBookingOf, type ClassState, type CommandContext } from "./state.js";

/** `class:setWorkout`. */
export type SetWorkout = ClassCommandPayload<"class:setWorkout">;

/**
 * Staff set (or change) the session's workout. Once results are logged the score type is fixed and
 * no division in use may be dropped, so no result is left unrankable.
 */
export function setWorkout(state: ClassState, command: SetWorkout, ctx: CommandContext): Outcome<{ workoutId: string }> {
  const refused = checkStaff(state, ctx, command.sessionId);
  if (refused) return refused;
  if (state.session.status === "cancelled") return new DomainError("CLASS_CANCELLED");
  const divisions = [...new Set<Division>(command.divisions ?? Divisions)];
  const { workout, results } = state.board;
  if (workout && results.length > 0) {
    if (command.scoreType !== workout.scoreType)
      return invalid("scoreType", "Results are already logged with this score type — it can't change now");
    const dropped = results.find((r) => !divisions.includes(r.division));
    if (dropped) return invalid("divisions", `Results are already logged in ${dropped.division}`);
  }
  const draft = startDraft(state, ctx);
  const next: ClassWorkout = {
    id: workout?.id ?? ctx.newId(),
    gymId: state.session.gymId,
    sessionId: state.session.id,
    title: command.title.trim(),
    description: command.description?.trim() ?? workout?.description ?? "",
    scoreType: command.scoreType,
    divisions,
    setBy: ctx.actor.userId,
    setAt: ctx.now,
  };
  draft.emit({ type: "workout.set", workout: next });
  return draft.done({ workoutId: next.id });
}

/** `class:logResult`. Staff may log for any member of the gym by passing `memberId`. */
export type LogResult = ClassCommandPayload<"class:logResult">;

/**
 * Logs (or replaces) a member's result. Members log their own once the class has started and only
 * while booked or checked in; staff may log for anyone in the gym. The score must be of the
 * workout's type and the division one the workout offers.
 */
export function logResult(state: ClassState, command: LogResult, ctx: CommandContext): Outcome<{ resultId: string; rank: number }> {
  const who = resolveMember(state, ctx, command);
  if (who instanceof DomainError) return who;
  if (state.session.status === "cancelled") return new DomainError("CLASS_CANCELLED");
  const { workout } = state.board;
  if (workout === null) return new DomainError("NOT_FOUND", "The coach hasn't set this class's workout yet.");
  if (ctx.now < state.session.startsAt) return new DomainError("CLASS_NOT_STARTED", "Results can be logged once the class has started.");
  const memberId = who.standing.memberId;
  if (who.self && ctx.actor.role === "member" && !liveBookingOf(state, memberId)) return new DomainError("NOT_BOOKED");
  if (command.score.type !== workout.scoreType) return invalid("score.type", `This workout is scored as ${workout.scoreType}`);
  if (!workout.divisions.includes(command.division)) return invalid("division", `Choose one of: ${workout.divisions.join(", ")}`);
  const previous = state.board.results.find((r) => r.memberId === memberId && r.workoutId === workout.id);
  const result: WorkoutResult = {
    id: previous?.id ?? ctx.newId(),
    gymId: state.session.gymId,
    sessionId: state.session.id,
    workoutId: workout.id,
    memberId,
    score: command.score,
    division: command.division,
    submittedAt: ctx.now,
    loggedBy: ctx.actor.userId,
  };
  const draft = startDraft(state, ctx);
  draft.emit({ type: "result.logged", result });
  const rank = rankedResults(draft.state.board).findIndex((r) => r.id === result.id) + 1;
  return draft.done({ resultId: result.id, rank });
}

function invalid(field: string, message: string): DomainError {
  return new DomainError("VALIDATION_FAILED", undefined, { fields: { [field]: message } });
}
