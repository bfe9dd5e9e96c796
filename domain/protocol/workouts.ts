/**
 * Zod schemas of workout payloads: scores, class workouts and results, free workout logs.
 */
import { z } from "zod";
import { Divisions, MaxRepsPerRound, ScoreTypes } from "../workouts/scores.js";
import { Name } from "./fields.js";

const Count = (max: number) => z.int().min(0).max(max);
const DayMs = 24 * 3_600_000;

/**
 * A score, tagged with its type; whole units only (ms, reps, grams, meters, calories).
 *
 * @example
 * { type: "for_time", ms: 754_500 }   // 12:34.5
 * { type: "rounds_reps", rounds: 7, reps: 12 }
 */
export const ScoreSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("for_time"), ms: z.int().min(1).max(DayMs) }),
  z.strictObject({ type: z.literal("reps"), reps: Count(100_000) }),
  z.strictObject({ type: z.literal("load"), grams: Count(1_000_000) }),
  z.strictObject({ type: z.literal("rounds_reps"), rounds: Count(1_000), reps: Count(MaxRepsPerRound - 1) }),
  z.strictObject({ type: z.literal("distance"), meters: Count(1_000_000) }),
  z.strictObject({ type: z.literal("calories"), calories: Count(100_000) }),
]);

export const ScoreTypeField = z.enum(ScoreTypes);
export const DivisionField = z.enum(Divisions);
/** Divisions a workout offers: one or both, no repeats. */
export const DivisionsField = z
  .array(DivisionField)
  .min(1)
  .max(Divisions.length)
  .refine((d) => new Set(d).size === d.length, "Divisions must be unique");

/** One set of a free workout: reps (× load), or a time (over a distance), or a distance. */
export const LoggedSetSchema = z
  .strictObject({
    reps: z.int().min(1).max(10_000).optional(),
    grams: z.int().min(0).max(1_000_000).optional(),
    ms: z.int().min(1).max(DayMs).optional(),
    meters: z.int().min(1).max(1_000_000).optional(),
  })
  .refine((s) => s.reps !== undefined || s.ms !== undefined || s.meters !== undefined, "A set needs reps, a time or a distance")
  .refine((s) => s.grams === undefined || s.reps !== undefined, { path: ["reps"], message: "A load needs its reps" });

/**
 * The size of one free workout: generous for any real session, small enough that one log is cheap to store,
 * rank and export (30 exercises × 50 sets at 40 logs a second filled a member with 70,000 sets in 3 s).
 * Daily volume per member is capped at logging time (see `dailyVolumeRefusal`).
 */
export const WorkoutSizeLimits = { exercisesPerLog: 20, setsPerExercise: 30, setsPerLog: 100 } as const;

/**
 * A free workout: exercises with their sets. Validated whole: one invalid set refuses all of it.
 *
 * @example
 * { exercises: [{ movement: "Back squat", sets: [{ reps: 5, grams: 100_000 }] }, { movement: "Row", sets: [{ meters: 2000, ms: 430_000 }] }] }
 */
export const WorkoutLogSchema = z.strictObject({
  title: Name(200).optional(),
  exercises: z
    .array(
      z.strictObject({
        movement: Name(80),
        sets: z
          .array(LoggedSetSchema)
          .min(1)
          .max(WorkoutSizeLimits.setsPerExercise, `At most ${WorkoutSizeLimits.setsPerExercise} sets per exercise`),
      }),
    )
    .min(1)
    .max(WorkoutSizeLimits.exercisesPerLog, `At most ${WorkoutSizeLimits.exercisesPerLog} exercises per workout`)
    .refine(
      (exercises) => exercises.reduce((n, e) => n + e.sets.length, 0) <= WorkoutSizeLimits.setsPerLog,
      `At most ${WorkoutSizeLimits.setsPerLog} sets per workout — log the rest as another workout`,
    ),
});
