/**
 * Gym challenges: "12 classes in 4 weeks", "100 km rowed", "50 t lifted". Staff create one with a
 * start and an end; members join (and may leave) before the end; progress counts from attendance
 * (attendance challenges) or from logged workouts (distance, volume). A logged workout that adds an
 * implausible amount at once is held for staff review instead of counting. Pure.
 */
import { DomainError } from "../errors.js";
import type { Instant } from "../model.js";
import { distanceOf, volumeOf } from "../workouts/freeWorkout.js";
import { movementKey, type LoggedWorkout } from "../workouts/prs.js";
import type { Score } from "../workouts/scores.js";

export const ChallengeKinds = ["attendance", "distance", "volume"] as const;
/** attendance: classes attended (count); distance: meters; volume: kilograms lifted (reps × load). */
export type ChallengeKind = (typeof ChallengeKinds)[number];

export interface Challenge {
  id: string;
  gymId: string;
  title: string;
  kind: ChallengeKind;
  /** In the kind's unit: classes, meters, kilograms. */
  target: number;
  /** Distance/volume: only this movement counts ("Row"); null = every movement. */
  movement: string | null;
  startsAt: Instant;
  endsAt: Instant;
  createdBy: string;
  createdAt: Instant;
}

export const ParticipantStatuses = ["joined", "left", "completed"] as const;
export type ParticipantStatus = (typeof ParticipantStatuses)[number];

export interface ChallengeParticipant {
  id: string;
  challengeId: string;
  gymId: string;
  memberId: string;
  status: ParticipantStatus;
  joinedAt: Instant;
  /** Counted progress in the challenge's unit. */
  progress: number;
  completedAt: Instant | null;
}

export const SubmissionStatuses = ["counted", "held", "approved", "rejected"] as const;
/** counted/approved add to progress; held waits for staff; rejected never counts. */
export type SubmissionStatus = (typeof SubmissionStatuses)[number];

export interface ChallengeSubmission {
  id: string;
  challengeId: string;
  gymId: string;
  memberId: string;
  /** Where it came from: a logged workout, or a class result (a distance-scored workout of the day). */
  workoutLogId: string | null;
  resultId: string | null;
  amount: number;
  status: SubmissionStatus;
  createdAt: Instant;
  reviewedBy: string | null;
  reviewedAt: Instant | null;
}

/**
 * The most one logged workout may add before it is held for review, per kind: 42,195 m (a marathon)
 * and 50,000 kg. Attendance is recorded by check-ins, which staff and the check-in window already
 * vouch for, so it is never held.
 */
export const MaxPerSubmission: Readonly<Record<Exclude<ChallengeKind, "attendance">, number>> = {
  distance: 42_195,
  volume: 50_000,
};

/** The longest challenge staff may set up (a year). */
export const MaxChallengeDays = 366;

export interface NewChallenge {
  title: string;
  kind: ChallengeKind;
  target: number;
  movement?: string | undefined;
  startsAt: Instant;
  endsAt: Instant;
}

/** Validates a new challenge's dates; the end lies in the future and after the start. */
export function checkNewChallenge(c: NewChallenge, now: Instant): DomainError | null {
  const fields: Record<string, string> = {};
  if (c.endsAt <= c.startsAt) fields.endsAt = "The end must be after the start";
  else if (c.endsAt - c.startsAt > MaxChallengeDays * 86_400_000) fields.endsAt = `A challenge runs at most ${MaxChallengeDays} days`;
  if (c.endsAt <= now) fields.endsAt ??= "The end must be in the future";
  if (c.kind === "attendance" && c.movement !== undefined) fields.movement = "Attendance challenges count classes, not a movement";
  return Object.keys(fields).length ? new DomainError("VALIDATION_FAILED", undefined, { fields }) : null;
}

/** Whether members may still join or leave (before the end). */
export function isOpen(c: Pick<Challenge, "endsAt">, now: Instant): boolean {
  return now < c.endsAt;
}

/** Whether something that happened at `at` counts for the challenge (inside [start, end)). */
export function inWindow(c: Pick<Challenge, "startsAt" | "endsAt">, at: Instant): boolean {
  return at >= c.startsAt && at < c.endsAt;
}

/**
 * What a logged workout adds to a distance or volume challenge (in its unit; volume in whole kg,
 * rounded down), or 0 when nothing in it counts.
 */
export function contributionOf(c: Pick<Challenge, "kind" | "movement">, workout: LoggedWorkout): number {
  const movement = c.movement ?? undefined;
  if (c.kind === "distance") return distanceOf(workout, movement);
  if (c.kind === "volume") return Math.floor(volumeOf(workout, movement) / 1_000);
  return 0;
}

/**
 * What a class result adds to a challenge: a distance-scored workout of the day counts its meters for a
 * distance challenge — for one with a movement only when the workout's title names it as a word ("5k Row"
 * for "row"). Every other result adds nothing (a time or a load is not a distance).
 */
export function resultContribution(c: Pick<Challenge, "kind" | "movement">, workoutTitle: string, score: Score): number {
  if (c.kind !== "distance" || score.type !== "distance") return 0;
  if (c.movement === null) return score.meters;
  const words = ` ${movementKey(workoutTitle).replace(/[^a-z0-9 ]+/g, " ")} `;
  return words.includes(` ${movementKey(c.movement)} `) ? score.meters : 0;
}

/** A submission's fate: counted at once, or held for staff when it jumps implausibly. */
export function submissionStatus(kind: ChallengeKind, amount: number): "counted" | "held" {
  if (kind === "attendance") return "counted";
  return amount > MaxPerSubmission[kind] ? "held" : "counted";
}

/** Progress from the amounts of counted and approved submissions. */
export function progressOf(submissions: readonly Pick<ChallengeSubmission, "amount" | "status">[]): number {
  return submissions.reduce((sum, s) => (s.status === "counted" || s.status === "approved" ? sum + s.amount : sum), 0);
}

/** Whether a participant who was not yet complete has reached the target now. */
export function completesNow(p: Pick<ChallengeParticipant, "status">, progress: number, target: number): boolean {
  return p.status === "joined" && progress >= target;
}
