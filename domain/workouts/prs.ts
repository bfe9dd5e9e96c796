/**
 * Personal records over one logged workout, per member and movement.
 *
 * Record kinds: the heaviest load at a rep count (`reps` + `grams`), the best time (`ms`, per
 * distance when `meters` is given) and the most reps (`reps` without load). Per record key, only
 * the workout's best set can be a PR (the first of equal sets), and only when it strictly beats the
 * member's previous best or there is none yet. A tie with the previous best is not a PR.
 */

/** One set: reps × load, or a time (optionally over a distance). */
export interface LoggedSet {
  reps?: number;
  grams?: number;
  ms?: number;
  meters?: number;
}

export interface LoggedExercise {
  movement: string;
  sets: readonly LoggedSet[];
}

/** A free workout as logged (validated by `WorkoutLogSchema`). */
export interface LoggedWorkout {
  exercises: readonly LoggedExercise[];
}

export const PrKinds = ["load", "time", "reps"] as const;
export type PrKind = (typeof PrKinds)[number];

/** Which record a set competes for, if any. */
export interface RecordRef {
  /** Stable key: `<movement>|load|<reps>`, `<movement>|time|<meters>` or `<movement>|reps`. */
  key: string;
  movement: string;
  kind: PrKind;
  /** Higher is better for load and reps; lower for time. */
  value: number;
}

/** A member's best value per record key. */
export type PersonalBests = Readonly<Record<string, number>>;

/** A PR set: where it is in the workout and what it beat. */
export interface PrHit extends RecordRef {
  exercise: number;
  set: number;
  /** The best before this workout; null for a first record. */
  previous: number | null;
}

export interface PrDetection {
  /** `marks[exercise][set]`: whether that set is a PR. */
  marks: boolean[][];
  prs: PrHit[];
  /** The member's bests after this workout. */
  bests: Record<string, number>;
}

/** Movement names compare without case or extra spaces ("Back  Squat" = "back squat"). */
export function movementKey(movement: string): string {
  return movement.trim().toLowerCase().replace(/\s+/g, " ");
}

/** The record a set competes for, or null (e.g. a distance without a time). */
export function recordOf(movement: string, set: LoggedSet): RecordRef | null {
  const m = movementKey(movement);
  if (set.ms !== undefined) return { key: `${m}|time|${set.meters ?? 0}`, movement: m, kind: "time", value: set.ms };
  if (set.reps !== undefined && set.grams !== undefined)
    return { key: `${m}|load|${set.reps}`, movement: m, kind: "load", value: set.grams };
  if (set.reps !== undefined) return { key: `${m}|reps`, movement: m, kind: "reps", value: set.reps };
  return null;
}

const beats = (kind: PrKind, value: number, best: number): boolean => (kind === "time" ? value < best : value > best);

/** Marks the PR sets of a workout against the member's previous bests. Pure; `bests` is not changed. */
export function detectPrs(workout: LoggedWorkout, bests: PersonalBests): PrDetection {
  const marks = workout.exercises.map((e) => e.sets.map(() => false));
  const top = new Map<string, PrHit>();
  workout.exercises.forEach((exercise, e) =>
    exercise.sets.forEach((set, s) => {
      const ref = recordOf(exercise.movement, set);
      if (!ref) return;
      const seen = top.get(ref.key);
      if (seen === undefined || beats(ref.kind, ref.value, seen.value))
        top.set(ref.key, { ...ref, exercise: e, set: s, previous: bests[ref.key] ?? null });
    }),
  );
  const prs: PrHit[] = [];
  const next: Record<string, number> = { ...bests };
  for (const hit of top.values()) {
    if (hit.previous !== null && !beats(hit.kind, hit.value, hit.previous)) continue;
    prs.push(hit);
    marks[hit.exercise]![hit.set] = true;
    next[hit.key] = hit.value;
  }
  prs.sort((a, b) => a.exercise - b.exercise || a.set - b.set);
  return { marks, prs, bests: next };
}

/** The one feed event of a workout with PRs (however many it holds), or null without any. */
export interface PrFeedEvent {
  type: "pr";
  count: number;
  movements: string[];
}

export function prFeedEvent(detection: PrDetection): PrFeedEvent | null {
  if (detection.prs.length === 0) return null;
  return { type: "pr", count: detection.prs.length, movements: [...new Set(detection.prs.map((p) => p.movement))] };
}
