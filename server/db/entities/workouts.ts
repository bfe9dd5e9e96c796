import { EntitySchema } from "@mikro-orm/core";
import type { ClassWorkout, WorkoutResult } from "../../../domain/workouts/classBoard.js";
import { EpochMsType } from "../EpochMsType.js";

/** A session's workout of the day (at most one per session). */
export const ClassWorkoutEntity = new EntitySchema<ClassWorkout>({
  name: "ClassWorkout",
  tableName: "class_workout",
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    sessionId: { type: "uuid", unique: true },
    title: { type: "string", length: 200 },
    description: { type: "text", default: "" },
    scoreType: { type: "string", length: 16 },
    divisions: { type: "json" },
    setBy: { type: "uuid" },
    setAt: { type: EpochMsType },
  },
});

/** One member's result for a session's workout; logging again updates the row. */
export const WorkoutResultEntity = new EntitySchema<WorkoutResult>({
  name: "WorkoutResult",
  tableName: "workout_result",
  // A class room loads its session's results; a member's history is read by member.
  indexes: [{ properties: ["sessionId"] }, { properties: ["gymId", "memberId", "submittedAt"] }],
  uniques: [{ properties: ["workoutId", "memberId"] }],
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    sessionId: { type: "uuid" },
    workoutId: { type: "uuid" },
    memberId: { type: "uuid" },
    score: { type: "json" },
    division: { type: "string", length: 16 },
    submittedAt: { type: EpochMsType },
    loggedBy: { type: "uuid" },
  },
});
