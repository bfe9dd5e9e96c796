import { EntitySchema } from "@mikro-orm/core";
import type { Challenge, ChallengeParticipant, ChallengeSubmission } from "../../../domain/challenges/challenge.js";
import type {
  MemberProgressRecord,
  PersonalBestRecord,
  WorkoutExerciseRecord,
  WorkoutLogRecord,
  WorkoutSetRecord,
} from "../../../domain/workouts/freeWorkout.js";
import { EpochMsType } from "../EpochMsType.js";

/** A free workout a member logged; exercises and sets are stored with it in one transaction. */
export const WorkoutLogEntity = new EntitySchema<WorkoutLogRecord>({
  name: "WorkoutLog",
  tableName: "workout_log",
  indexes: [{ properties: ["gymId", "performedAt"] }, { properties: ["memberId", "performedAt"] }],
  uniques: [{ properties: ["memberId", "commandId"] }],
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    memberId: { type: "uuid" },
    title: { type: "string", length: 200, nullable: true },
    performedAt: { type: EpochMsType },
    commandId: { type: "string", length: 64, nullable: true },
    volume: { type: "double" },
    distanceMeters: { type: "double" },
    prCount: { type: "integer" },
    xp: { type: "integer" },
    result: { type: "json" },
  },
});

export const WorkoutExerciseEntity = new EntitySchema<WorkoutExerciseRecord>({
  name: "WorkoutExercise",
  tableName: "workout_exercise",
  indexes: [{ properties: ["logId"] }, { properties: ["memberId"] }],
  properties: {
    id: { type: "uuid", primary: true },
    logId: { type: "uuid" },
    memberId: { type: "uuid" },
    position: { type: "integer" },
    movement: { type: "string", length: 80 },
  },
});

export const WorkoutSetEntity = new EntitySchema<WorkoutSetRecord>({
  name: "WorkoutSet",
  tableName: "workout_set",
  indexes: [{ properties: ["logId"] }, { properties: ["memberId"] }],
  properties: {
    id: { type: "uuid", primary: true },
    logId: { type: "uuid" },
    exerciseId: { type: "uuid" },
    memberId: { type: "uuid" },
    position: { type: "integer" },
    reps: { type: "integer", nullable: true },
    grams: { type: "integer", nullable: true },
    ms: { type: "integer", nullable: true },
    meters: { type: "integer", nullable: true },
    isPr: { type: "boolean" },
  },
});

/** A member's best per record key (movement + kind + reps or distance); updated in the same commit as the log. */
export const PersonalBestEntity = new EntitySchema<PersonalBestRecord>({
  name: "PersonalBest",
  tableName: "personal_best",
  uniques: [{ properties: ["memberId", "recordKey"] }],
  properties: {
    id: { type: "uuid", primary: true },
    memberId: { type: "uuid" },
    recordKey: { type: "string", length: 120 },
    movement: { type: "string", length: 80 },
    kind: { type: "string", length: 8 },
    value: { type: "integer" },
    setId: { type: "uuid" },
    achievedAt: { type: EpochMsType },
  },
});

export const MemberProgressEntity = new EntitySchema<MemberProgressRecord>({
  name: "MemberProgress",
  tableName: "member_progress",
  uniques: [{ properties: ["gymId", "memberId"] }],
  indexes: [{ properties: ["memberId"] }],
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    memberId: { type: "uuid" },
    xp: { type: "integer" },
    workouts: { type: "integer" },
    streak: { type: "integer" },
    bestStreak: { type: "integer" },
    lastActiveDay: { type: "string", length: 10, nullable: true },
    updatedAt: { type: EpochMsType },
  },
});

export const ChallengeEntity = new EntitySchema<Challenge>({
  name: "Challenge",
  tableName: "challenge",
  indexes: [{ properties: ["gymId", "endsAt"] }],
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    title: { type: "string", length: 120 },
    kind: { type: "string", length: 16 },
    target: { type: "integer" },
    movement: { type: "string", length: 80, nullable: true },
    startsAt: { type: EpochMsType },
    endsAt: { type: EpochMsType },
    createdBy: { type: "uuid" },
    createdAt: { type: EpochMsType },
  },
});

export const ChallengeParticipantEntity = new EntitySchema<ChallengeParticipant>({
  name: "ChallengeParticipant",
  tableName: "challenge_participant",
  uniques: [{ properties: ["challengeId", "memberId"] }],
  indexes: [{ properties: ["gymId", "memberId"] }, { properties: ["memberId"] }],
  properties: {
    id: { type: "uuid", primary: true },
    challengeId: { type: "uuid" },
    gymId: { type: "uuid" },
    memberId: { type: "uuid" },
    status: { type: "string", length: 16 },
    joinedAt: { type: EpochMsType },
    progress: { type: "integer" },
    completedAt: { type: EpochMsType, nullable: true },
  },
});

export const ChallengeSubmissionEntity = new EntitySchema<ChallengeSubmission>({
  name: "ChallengeSubmission",
  tableName: "challenge_submission",
  indexes: [{ properties: ["challengeId", "memberId"] }, { properties: ["gymId", "status"] }, { properties: ["memberId"] }],
  properties: {
    id: { type: "uuid", primary: true },
    challengeId: { type: "uuid" },
    gymId: { type: "uuid" },
    memberId: { type: "uuid" },
    workoutLogId: { type: "uuid", nullable: true },
    resultId: { type: "uuid", nullable: true },
    amount: { type: "integer" },
    status: { type: "string", length: 16 },
    createdAt: { type: EpochMsType },
    reviewedBy: { type: "uuid", nullable: true },
    reviewedAt: { type: EpochMsType, nullable: true },
  },
});
