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
 * A free workout: exercises with their sets. Validated whole: one invalid set refuses all of it.
 *
 * @example
 * { exercises: [{ movement: "Back squat", sets: [{ reps: 5, grams: 100_000 }] }, { movement: "Row", sets: [{ meters: 2000, ms: 430_000 }] }] }
 */
export const WorkoutLogSchema = z.strictObject({
  title: Name(200).optional(),
  exercises: z
    .array(z.strictObject({ movement: Name(80), sets: z.array(LoggedSetSchema).min(1).max(50) }))
    .min(1)
    .max(30),
});
