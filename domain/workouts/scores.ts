/**
 * Score types of a workout, their direction, and the one comparable key every leaderboard sorts by.
 */

/** How a workout is scored. `for_time` is lower-is-better; every other type is higher-is-better. */
export const ScoreTypes = ["for_time", "reps", "load", "rounds_reps", "distance", "calories"] as const;
export type ScoreType = (typeof ScoreTypes)[number];

/** Divisions, best first: every Rx result ranks above every scaled one. */
export const Divisions = ["rx", "scaled"] as const;
export type Division = (typeof Divisions)[number];

/** A result's score; `type` must match the workout's score type. Whole units keep keys exact. */
export type Score =
  | { type: "for_time"; ms: number }
  | { type: "reps"; reps: number }
  /** Grams, so 102.5 kg is exact. */
  | { type: "load"; grams: number }
  | { type: "rounds_reps"; rounds: number; reps: number }
  | { type: "distance"; meters: number }
  | { type: "calories"; calories: number };

/** Whether a smaller value is the better score. */
export function lowerIsBetter(type: ScoreType): boolean {
  return type === "for_time";
}

/** Reps of a partial round are always fewer than this, so rounds + reps fit one number. */
export const MaxRepsPerRound = 10_000;

/** The score as one number in its natural unit (ms, reps, grams, rounds·10⁴+reps, meters, calories). */
export function scoreValue(score: Score): number {
  switch (score.type) {
    case "for_time":
      return score.ms;
    case "reps":
      return score.reps;
    case "load":
      return score.grams;
    case "rounds_reps":
      return score.rounds * MaxRepsPerRound + score.reps;
    case "distance":
      return score.meters;
    case "calories":
      return score.calories;
  }
}

/** What a leaderboard sorts by. Total over distinct members: two keys are equal only for the same member. */
export interface RankKey {
  memberId: string;
  division: Division;
  /** Direction-adjusted: smaller is always better (higher-is-better scores are negated). */
  better: number;
  /** When the result was submitted; the earlier of two equal scores ranks first. */
  submittedAt: number;
}

/** A result's comparable key. */
export function rankKey(memberId: string, score: Score, division: Division, submittedAt: number): RankKey {
  const value = scoreValue(score);
  return { memberId, division, better: lowerIsBetter(score.type) ? value : -value, submittedAt };
}

/**
 * Leaderboard order: Rx before scaled, better score first, then earlier submission, then member id.
 * Negative when `a` ranks above `b`; zero only for the same member.
 */
export function compareKeys(a: RankKey, b: RankKey): number {
  if (a.division !== b.division) return a.division === "rx" ? -1 : 1;
  if (a.better !== b.better) return a.better < b.better ? -1 : 1;
  if (a.submittedAt !== b.submittedAt) return a.submittedAt < b.submittedAt ? -1 : 1;
  return a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0;
}

/** A score for people: "12:34.5", "150 reps", "102.5 kg", "7 + 12", "5000 m", "84 cal". */
export function formatScore(score: Score): string {
  switch (score.type) {
    case "for_time": {
      const tenths = Math.round(score.ms / 100);
      const minutes = Math.floor(tenths / 600);
      const seconds = Math.floor((tenths % 600) / 10);
      const rest = tenths % 10;
      return `${minutes}:${String(seconds).padStart(2, "0")}${rest ? `.${rest}` : ""}`;
    }
    case "reps":
      return `${score.reps} reps`;
    case "load":
      return `${score.grams / 1000} kg`;
    case "rounds_reps":
      return `${score.rounds} + ${score.reps}`;
    case "distance":
      return `${score.meters} m`;
    case "calories":
      return `${score.calories} cal`;
  }
}
