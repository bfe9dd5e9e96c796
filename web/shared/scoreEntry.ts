/**
 * Score entry for people: labels per score type, parsing what was typed ("12:34", "102.5", 7 + 12)
 * into the protocol's whole units (ms, grams, meters), and the rows a leaderboard shows.
 */
import type { PublicResultLine, StaffResultLine } from "../../domain/views/leaderboardView.js";
import { scoreValue, type Division, type Score, type ScoreType } from "../../domain/workouts/scores.js";

export const ScoreTypeLabels: Record<ScoreType, string> = {
  for_time: "For time",
  reps: "Reps",
  load: "Load",
  rounds_reps: "Rounds + reps",
  distance: "Distance",
  calories: "Calories",
};

export const DivisionLabels: Record<Division, string> = { rx: "Rx", scaled: "Scaled" };

/** The raw text of each input of a score type (see {@link scoreInputs}). */
export type ScoreText = Partial<Record<"time" | "count" | "kg" | "rounds" | "reps" | "meters", string>>;

/** One input of a score form: its key in {@link ScoreText}, label and keyboard. */
export interface ScoreInput {
  key: keyof ScoreText;
  label: string;
  inputMode: "numeric" | "decimal";
  placeholder: string;
}

/** The inputs a score type needs, in order. */
export function scoreInputs(type: ScoreType): ScoreInput[] {
  switch (type) {
    case "for_time":
      return [{ key: "time", label: "Time (mm:ss)", inputMode: "decimal", placeholder: "12:34" }];
    case "reps":
      return [{ key: "count", label: "Reps", inputMode: "numeric", placeholder: "150" }];
    case "load":
      return [{ key: "kg", label: "Load (kg)", inputMode: "decimal", placeholder: "102.5" }];
    case "rounds_reps":
      return [
        { key: "rounds", label: "Rounds", inputMode: "numeric", placeholder: "7" },
        { key: "reps", label: "Extra reps", inputMode: "numeric", placeholder: "12" },
      ];
    case "distance":
      return [{ key: "meters", label: "Distance (m)", inputMode: "numeric", placeholder: "5000" }];
    case "calories":
      return [{ key: "count", label: "Calories", inputMode: "numeric", placeholder: "84" }];
  }
}

export type ParsedScore = { ok: true; score: Score } | { ok: false; field: keyof ScoreText; message: string };

const DAY_MS = 24 * 3_600_000;

function whole(text: string | undefined, field: keyof ScoreText, label: string, max: number): number | ParsedScore {
  const t = (text ?? "").trim();
  if (!/^\d+$/.test(t)) return { ok: false, field, message: `${label}: enter a whole number` };
  const n = Number(t);
  return n > max ? { ok: false, field, message: `${label}: at most ${max}` } : n;
}

/** "12:34", "12:34.5" or "1:02:03" → milliseconds; null when it is not a time. */
export function parseTime(text: string): number | null {
  const m = /^(?:(\d+):)?(\d+):([0-5]\d)(?:[.,](\d{1,3}))?$/.exec(text.trim());
  if (!m) return null;
  const [, h = "0", min = "0", s = "0", frac = ""] = m;
  if (m[1] !== undefined && Number(min) > 59) return null;
  return ((Number(h) * 60 + Number(min)) * 60 + Number(s)) * 1000 + Number(frac.padEnd(3, "0"));
}

/** What was typed, as a score of `type` in whole units — or which field is wrong, in words. */
export function parseScore(type: ScoreType, text: ScoreText): ParsedScore {
  const ok = (score: Score): ParsedScore => ({ ok: true, score });
  switch (type) {
    case "for_time": {
      const ms = parseTime(text.time ?? "");
      if (ms === null) return { ok: false, field: "time", message: "Time: use mm:ss, e.g. 12:34" };
      if (ms < 1 || ms > DAY_MS) return { ok: false, field: "time", message: "Time: between 0:01 and 24 hours" };
      return ok({ type, ms });
    }
    case "load": {
      const t = (text.kg ?? "").trim().replace(",", ".");
      if (!/^\d+(\.\d{1,3})?$/.test(t)) return { ok: false, field: "kg", message: "Load: kilograms, e.g. 102.5" };
      const grams = Math.round(Number(t) * 1000);
      return grams > 1_000_000 ? { ok: false, field: "kg", message: "Load: at most 1000 kg" } : ok({ type, grams });
    }
    case "rounds_reps": {
      const rounds = whole(text.rounds, "rounds", "Rounds", 1_000);
      if (typeof rounds !== "number") return rounds;
      const reps = (text.reps ?? "").trim() === "" ? 0 : whole(text.reps, "reps", "Extra reps", 9_999);
      return typeof reps === "number" ? ok({ type, rounds, reps }) : reps;
    }
    case "distance": {
      const meters = whole(text.meters, "meters", "Distance", 1_000_000);
      return typeof meters === "number" ? ok({ type, meters }) : meters;
    }
    case "reps":
    case "calories": {
      const n = whole(text.count, "count", type === "reps" ? "Reps" : "Calories", 100_000);
      if (typeof n !== "number") return n;
      return ok(type === "reps" ? { type, reps: n } : { type, calories: n });
    }
  }
}

/** One leaderboard line on screen. */
export interface BoardRow {
  key: string;
  rank: number;
  name: string;
  division: Division;
  display: string;
  /** Same division and score as the line above or below: the earlier submission ranks first. */
  tied: boolean;
  mine: boolean;
}

type Line = Pick<StaffResultLine | PublicResultLine, "rank" | "division" | "score" | "display">;

/** Lines (any order) → rows best first, with ties marked. */
export function boardRows<L extends Line>(
  lines: readonly L[],
  label: (line: L) => { key: string; name: string; mine?: boolean },
): BoardRow[] {
  const sorted = [...lines].sort((a, b) => a.rank - b.rank);
  const same = (a: L | undefined, b: L | undefined) =>
    !!a && !!b && a.division === b.division && scoreValue(a.score) === scoreValue(b.score);
  return sorted.map((l, i) => {
    const { key, name, mine = false } = label(l);
    return {
      key,
      rank: l.rank,
      name,
      division: l.division,
      display: l.display,
      tied: same(sorted[i - 1], l) || same(l, sorted[i + 1]),
      mine,
    };
  });
}
