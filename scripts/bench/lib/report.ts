/** Figures, correctness checks, medians across runs, the printed table and the JSON lines. */
import { median } from "./stats.js";

/** A goal on the value itself or on the same-run ratio (Spotter ÷ baseline). */
export interface Target {
  op: "<" | "<=" | ">=";
  value: number;
  on: "value" | "ratio";
}

/** One measured number of one run, with the same run's baseline when there is one. */
export interface Figure {
  scenario: string;
  metric: string;
  value: number;
  unit: string;
  baseline: number | null;
  /** What the baseline was (shown once per scenario). */
  against?: string;
  /** Every target listed must hold (e.g. "ratio <= 1.0 and < 20 ms"). */
  target?: Target | Target[];
  /** Set when the load generator, not the system under test, limited this run's figure (see lib/generators.ts). */
  generatorBound?: boolean;
  /**
   * A rate figure that the arrival schedule, not a server, limited: the systems named ("Spotter", "baseline", …)
   * answered at ≥ 90 % of the offered rate (see lib/pressRun.ts). When the better system is named, the ratio
   * is capped by the schedule and says nothing about capacity.
   */
  arrivalBound?: string;
}

export interface Check {
  scenario: string;
  name: string;
  ok: boolean;
  detail: string;
}

/** A CPU profile a scenario wrote, with the window and the answers to charge its layers to (see profile.ts). */
export interface ProfileRef {
  label: string;
  dir: string;
  /** The measured window on the profile's clock (µs of CLOCK_MONOTONIC, as `process.hrtime`). */
  fromUs: number;
  toUs: number;
  answers: number;
  /** The main thread's CPU time over the window (schedstat), which the layers' shares divide. */
  mainThreadCpuMs: number;
  /** The whole process's CPU time over the window (all threads: GC helpers, libuv pool, loader). */
  processCpuMs: number;
}

export interface Outcome {
  figures: Figure[];
  checks: Check[];
  profiles?: ProfileRef[];
}

export interface Row extends Figure {
  ratio: number | null;
  runs: number;
  /** Runs in which the figure was generator-bound. */
  bound: number;
  /** Runs in which the figure was arrival-bound, and which systems were (union over those runs). */
  arrival: number;
  arrivalWho: string;
}

/** Medians over runs: value and baseline separately, the ratio as the median of same-run ratios. */
export function combine(runs: Figure[][]): Row[] {
  const keyed = new Map<string, Figure[]>();
  for (const run of runs)
    for (const f of run) keyed.set(`${f.scenario}\u0000${f.metric}`, [...(keyed.get(`${f.scenario}\u0000${f.metric}`) ?? []), f]);
  return [...keyed.values()].map((fs) => {
    const withBase = fs.filter((f) => f.baseline !== null && Number.isFinite(f.baseline) && f.baseline !== 0);
    return {
      ...fs[0]!,
      value: median(fs.map((f) => f.value)),
      baseline: withBase.length ? median(withBase.map((f) => f.baseline!)) : null,
      ratio: withBase.length ? median(withBase.map((f) => f.value / f.baseline!)) : null,
      runs: fs.length,
      bound: fs.filter((f) => f.generatorBound).length,
      arrival: fs.filter((f) => f.arrivalBound).length,
      arrivalWho: [...new Set(fs.flatMap((f) => (f.arrivalBound ? f.arrivalBound.split(" and ") : [])))].join(" and "),
    };
  });
}

const fmt = (x: number | null, unit = ""): string => {
  if (x === null || Number.isNaN(x)) return "—";
  const s = Math.abs(x) >= 100 ? Math.round(x).toLocaleString("en-US") : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2);
  return unit ? `${s} ${unit}` : s;
};

const targets = (r: Figure): Target[] => (r.target === undefined ? [] : Array.isArray(r.target) ? r.target : [r.target]);

function metOne(r: Row, t: Target): boolean | null {
  const x = t.on === "ratio" ? r.ratio : r.value;
  if (x === null || Number.isNaN(x)) return null;
  return t.op === "<" ? x < t.value : t.op === "<=" ? x <= t.value : x >= t.value;
}

/** True when every target holds, false when one fails, null when one cannot be judged (no baseline, NaN). */
export function met(r: Row): boolean | null {
  const ts = targets(r);
  if (ts.length === 0) return null;
  const each = ts.map((t) => metOne(r, t));
  return each.includes(false) ? false : each.includes(null) ? null : true;
}

function targetText(r: Row): string {
  const ts = targets(r);
  const arrival = r.arrival ? `; ARRIVAL-BOUND (${r.arrivalWho}) in ${r.arrival}/${r.runs} runs` : "";
  const bound = `${r.bound ? `; generator-bound in ${r.bound}/${r.runs} runs` : ""}${arrival}`;
  if (ts.length === 0) return bound.slice(2);
  const t = ts.map((x) => `${x.on === "ratio" ? "ratio " : ""}${x.op} ${fmt(x.value)}`).join(" and ");
  const m = met(r);
  return `${t} ${m === null ? "?" : m ? "met" : "NOT met"}${bound}`;
}

export const NotBuilt = [
  ["6 leaderboard", "full rebuild of 50,000 members; incremental update"],
  ["7 feed", "page of 50 cards, gym with 200,000 events"],
] as const;

/** The printed table (Markdown, so it pastes into docs/benchmarks.md as is). */
export function table(rows: Row[]): string {
  const head = ["scenario", "metric", "Spotter", "baseline", "ratio", "runs", "target"];
  const lines = rows.map((r) => [
    r.scenario,
    r.metric,
    fmt(r.value, r.unit),
    fmt(r.baseline, r.baseline === null ? "" : r.unit),
    fmt(r.ratio),
    String(r.runs),
    targetText(r),
  ]);
  for (const [s, what] of NotBuilt) if (!rows.some((r) => r.scenario === s)) lines.push([s, what, "not built yet", "—", "—", "0", ""]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [row(head), row(widths.map((w) => "-".repeat(w))), ...lines.map(row)].join("\n");
}

/** Which baseline each scenario compares with. */
export function baselines(rows: Row[]): string {
  const seen = new Map<string, string>();
  for (const r of rows) if (r.against && !seen.has(r.scenario)) seen.set(r.scenario, r.against);
  return [...seen].map(([s, a]) => `- ${s}: ${a}`).join("\n");
}

/** One JSON line per figure: {scenario, metric, value, unit, baseline, ratio}. */
export function jsonLines(rows: Row[]): string {
  return rows
    .map((r) =>
      JSON.stringify({
        scenario: r.scenario,
        metric: r.metric,
        value: r.value,
        unit: r.unit,
        baseline: r.baseline,
        ratio: r.ratio,
        met: met(r),
        generatorBound: r.bound,
        arrivalBound: r.arrival,
      }),
    )
    .join("\n");
}
