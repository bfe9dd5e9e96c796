/**
 * A class's workout of the day and its results: the class leaderboard's part of the class state, its events, its fold
 * and its ranking. The two commands that change it are class commands (`domain/class/workout.ts`).
 */
import type { Instant } from "../model.js";
import { compareKeys, rankKey, type Division, type RankKey, type Score, type ScoreType } from "./scores.js";

/** The workout of the day of one session. */
export interface ClassWorkout {
  id: string;
  gymId: string;
  sessionId: string;
  title: string;
  /** The movements, reps and standards, as the coach wrote them ("" when none; absent on rows written before it existed). */
  description?: string;
  scoreType: ScoreType;
  /** Divisions results may be logged in (at least one). */
  divisions: Division[];
  setBy: string;
  setAt: Instant;
}

/** One member's result for a session's workout; logging again replaces it (same id, new submission time). */
export interface WorkoutResult {
  id: string;
  gymId: string;
  sessionId: string;
  workoutId: string;
  memberId: string;
  score: Score;
  division: Division;
  submittedAt: Instant;
  loggedBy: string;
}

/** The class leaderboard's part of the class state. */
export interface ClassBoard {
  workout: ClassWorkout | null;
  results: readonly WorkoutResult[];
}

export const emptyBoard: ClassBoard = { workout: null, results: [] };

/** Events of the class leaderboard (class state events; persisted in the class commit). */
export type BoardEvent = { type: "workout.set"; workout: ClassWorkout } | { type: "result.logged"; result: WorkoutResult };

/** Folds one board event. */
export function applyBoardEvent(board: ClassBoard, event: BoardEvent): ClassBoard {
  if (event.type === "workout.set") return { ...board, workout: event.workout };
  const others = board.results.filter((r) => r.id !== event.result.id);
  return { ...board, results: [...others, event.result] };
}

/** The board's results of its current workout, best first (a full rebuild; see `Ranking` for incremental). */
export function rankedResults(board: ClassBoard): WorkoutResult[] {
  const workout = board.workout;
  if (workout === null) return [];
  const keyed = board.results.filter((r) => r.workoutId === workout.id).map((r): [RankKey, WorkoutResult] => [resultKey(r), r]);
  return keyed.sort((a, b) => compareKeys(a[0], b[0])).map(([, r]) => r);
}

/** A result's comparable key. */
export function resultKey(result: WorkoutResult): RankKey {
  return rankKey(result.memberId, result.score, result.division, result.submittedAt);
}
