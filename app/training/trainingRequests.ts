/**
 * Workout logs, challenges and gym leaderboards as use cases (`domain/protocol/queries.ts`, issue 8): each one call
 * of the {@link TrainingStore} port, one transaction.
 */
import { DomainError } from "../../domain/errors.js";
import type { RequestPayload, RequestType } from "../../domain/protocol/requests.js";
import { CoachRoles, isStaffRole } from "../../domain/roles.js";
import type { GymRequest, UserRequest } from "../requestContext.js";
import type { TrainingPorts } from "./ports.js";

type In<K extends RequestType> = GymRequest<RequestPayload<K>>;

/** Who reviews held submissions (and sees names and amounts in the queue): not the front desk. */
const reviews = (role: string) => (CoachRoles as readonly string[]).includes(role);

/** Log a free workout in one of my gyms (room `user:<me>`; the gym is in the payload). */
export async function logWorkout(p: TrainingPorts, c: UserRequest<RequestPayload<"user:logWorkout">>) {
  const refused = await p.membership.check(c.userId, c.payload.gymId);
  if (refused) return refused;
  const { gymId, ...workout } = c.payload;
  const logged = await p.store.logWorkout({
    gymId,
    memberId: c.userId,
    commandId: c.commandId,
    workout,
    now: p.now(),
    ...(p.workoutLimits ? { limits: p.workoutLimits } : {}),
  });
  if (!(logged instanceof DomainError)) p.memberChanged?.(gymId, c.userId);
  return logged;
}

/** A gym leaderboard; `watch: true` also subscribes to `board:changed` (`false` stops it). */
export function leaderboard(p: TrainingPorts, c: In<"gym:leaderboard">) {
  const { watch, ...query } = c.payload;
  // Subscribe before reading: a change committed in between still arrives as `board:changed`.
  if (watch === true) c.live?.watchBoards(c.gymId);
  if (watch === false) c.live?.unwatchBoards(c.gymId);
  return p.store.leaderboard(c.gymId, c.userId, isStaffRole(c.role), query, p.now());
}

export const createChallenge = (p: TrainingPorts, c: In<"gym:createChallenge">) =>
  p.store.createChallenge(c.gymId, c.userId, c.payload, p.now(), c.commandId);

export const challenges = (p: TrainingPorts, c: In<"gym:challenges">) =>
  p.store.listChallenges(c.gymId, c.userId, reviews(c.role), p.now());

export const joinChallenge = (p: TrainingPorts, c: In<"gym:joinChallenge">) =>
  p.store.joinChallenge(c.gymId, c.userId, c.payload.challengeId, p.now());

export const leaveChallenge = (p: TrainingPorts, c: In<"gym:leaveChallenge">) =>
  p.store.leaveChallenge(c.gymId, c.userId, c.payload.challengeId, p.now());

export const reviewSubmission = (p: TrainingPorts, c: In<"gym:reviewSubmission">) =>
  p.store.reviewSubmission(c.gymId, c.userId, c.payload.submissionId, c.payload.approve, p.now(), c.commandId);
