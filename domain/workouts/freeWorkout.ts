/**
 * A free workout log (`user:logWorkout`): what it adds up to — volume, distance, XP — and the
 * streak of active days it extends. Pure; PR detection itself is `detectPrs` (prs.ts).
 */
import { currentStreak } from "../attendance/streak.js";
import type { Instant } from "../model.js";
import { movementKey, type LoggedWorkout } from "./prs.js";

/** Total volume in grams × reps (Σ reps × grams over loaded sets); 1 kg × 1 rep = 1,000. */
export function volumeOf(workout: LoggedWorkout, movement?: string): number {
  const only = movement === undefined ? null : movementKey(movement);
  let total = 0;
  for (const e of workout.exercises) {
    if (only !== null && movementKey(e.movement) !== only) continue;
    for (const s of e.sets) if (s.reps !== undefined && s.grams !== undefined) total += s.reps * s.grams;
  }
  return total;
}

/** Total distance in meters over the sets that carry one (optionally of one movement). */
export function distanceOf(workout: LoggedWorkout, movement?: string): number {
  const only = movement === undefined ? null : movementKey(movement);
  let total = 0;
  for (const e of workout.exercises) {
    if (only !== null && movementKey(e.movement) !== only) continue;
    for (const s of e.sets) total += s.meters ?? 0;
  }
  return total;
}

/** XP rules, in one place so the docs and the code say the same. */
export const Xp = {
  /** Every logged workout. */
  perWorkout: 10,
  /** Every set, up to {@link Xp.maxSetXp} per workout (so a 50-set log isn't worth 5 workouts). */
  perSet: 1,
  maxSetXp: 20,
  /** Every PR in the workout. */
  perPr: 5,
  /** A class result (`class:logResult`), first time per class; replacing it earns nothing more. */
  perClassResult: 10,
} as const;

/** XP a free workout earns: 10 + 1 per set (at most 20) + 5 per PR. */
export function xpForWorkout(workout: LoggedWorkout, prCount: number): number {
  const sets = workout.exercises.reduce((n, e) => n + e.sets.length, 0);
  return Xp.perWorkout + Math.min(sets * Xp.perSet, Xp.maxSetXp) + prCount * Xp.perPr;
}

/** Streak lengths (days) that make a feed event when first reached. */
export const StreakMilestones = [7, 14, 30, 60, 100, 365] as const;

/**
 * The member's streak of active days — a class attendance or a logged workout — in the gym's zone,
 * ending today or yesterday (the same rule as the attendance streak).
 */
export function activeStreak(activeAt: readonly Instant[], now: Instant, timeZone: string): number {
  return currentStreak(
    activeAt.map((at) => ({ at })),
    now,
    timeZone,
  );
}

/** The milestone this workout reached: the largest one in (before, after], or null. */
export function streakMilestoneReached(before: number, after: number): number | null {
  const hit = StreakMilestones.filter((m) => m > before && m <= after);
  return hit.length ? hit[hit.length - 1]! : null;
}

/** A stored free workout (one per `user:logWorkout`). */
export interface WorkoutLogRecord {
  id: string;
  gymId: string;
  memberId: string;
  title: string | null;
  performedAt: Instant;
  /** The client's command id: a retry answers the first log instead of storing a second. */
  commandId: string | null;
  /** grams × reps */
  volume: number;
  distanceMeters: number;
  prCount: number;
  xp: number;
  /** The answer the member got, given again to a retry. */
  result: Record<string, unknown>;
}

export interface WorkoutExerciseRecord {
  id: string;
  logId: string;
  memberId: string;
  position: number;
  movement: string;
}

export interface WorkoutSetRecord {
  id: string;
  logId: string;
  exerciseId: string;
  memberId: string;
  position: number;
  reps: number | null;
  grams: number | null;
  ms: number | null;
  meters: number | null;
  isPr: boolean;
}

/** A member's best per record (`recordOf(...).key`): heaviest load at a rep count, best time per distance, most reps. */
export interface PersonalBestRecord {
  id: string;
  memberId: string;
  recordKey: string;
  movement: string;
  kind: "load" | "time" | "reps";
  value: number;
  setId: string;
  achievedAt: Instant;
}

/** A member's XP and active-day streak in one gym, updated in the same commit as each log. */
export interface MemberProgressRecord {
  id: string;
  gymId: string;
  memberId: string;
  xp: number;
  workouts: number;
  streak: number;
  bestStreak: number;
  /** The local date (gym zone) of the last active day counted into `streak`; null before the first. */
  lastActiveDay: string | null;
  updatedAt: Instant;
}
