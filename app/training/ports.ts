/**
 * What the training requests (workout logs, challenges, gym leaderboards) need; `server/persistence/trainingRequestStore.ts`
 * implements it over PostgreSQL, each call one transaction.
 */
import type { NewChallenge } from "../../domain/challenges/challenge.js";
import type { DomainError } from "../../domain/errors.js";
import type { RequestPayload } from "../../domain/protocol/requests.js";
import type { DailyVolumeLimits } from "../../domain/workouts/dailyVolume.js";
import type { LoggedWorkout } from "../../domain/workouts/prs.js";
import type { Clock } from "../requestContext.js";

/** A store's answer: the result, or a refusal. */
type Answer = Promise<object | DomainError>;

export type BoardQuery = Omit<RequestPayload<"gym:leaderboard">, "watch">;

export interface TrainingStore {
  /** All of it (workout, exercises, sets) or nothing; a retry with the same command id answers the first result. */
  logWorkout(input: {
    gymId: string;
    memberId: string;
    commandId: string | null;
    workout: LoggedWorkout & { title?: string | undefined };
    now: number;
    limits?: DailyVolumeLimits;
  }): Answer;
  leaderboard(gymId: string, userId: string, staff: boolean, query: BoardQuery, now: number): Answer;
  createChallenge(gymId: string, userId: string, input: NewChallenge, now: number, commandId: string | null): Answer;
  listChallenges(gymId: string, userId: string, reviewer: boolean, now: number): Answer;
  joinChallenge(gymId: string, memberId: string, challengeId: string, now: number): Answer;
  leaveChallenge(gymId: string, memberId: string, challengeId: string, now: number): Answer;
  reviewSubmission(
    gymId: string,
    reviewerId: string,
    submissionId: string,
    approve: boolean,
    now: number,
    commandId: string | null,
  ): Answer;
}

/** The gym-room rule for a request that names its gym in the payload: another gym (or none) NOT_FOUND, a cancelled membership FORBIDDEN. */
export interface GymMembershipCheck {
  check(userId: string, gymId: string): Promise<DomainError | null>;
}

export interface TrainingPorts {
  store: TrainingStore;
  membership: GymMembershipCheck;
  now: Clock;
  /** What one member may log in 24 hours (the store's default when absent). */
  workoutLimits?: DailyVolumeLimits | undefined;
  /** A logged workout moves the member's stored streak: resident copies on every node read it again. */
  memberChanged?: ((gymId: string, memberId: string) => void) | undefined;
}
