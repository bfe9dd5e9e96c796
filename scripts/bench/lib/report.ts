/** Figures, correctness checks, medians across runs, the printed table and the JSON lines. */
import { median } from "./stats.js";

/** One measured number of one run, with the same run's baseline when there is one. */
export interface Figure {
  scenario: string;
  metric: string;
  value: number;
  unit: string;
  baseline: number | null;
  /** What the baseline was (shown once per scenario). */
  against?: string;
  target?: { op: "<" | "<=" | ">="; value: number; on: "value" | "ratio" };
}

export interface Check {
  scenario: string;
  name: string;
  ok: boolean;
  detail: string;
}

export interface Outcome {
  figures: Figure[];
  checks: Check[];
}

export interface Row extends Figure {
  ratio: number | null;
  runs: number;
}

/** Medians over runs: value and baseline separately, the ratio as the median of same-run ratios. */
export function combine(runs: Figure[][]): Row[] {
  const keyed = new Map<string, Figure[]>();
  for (const run of runs) for (const f of run) keyed.set(`${f.scenario}\u0000${f.metric}`, [...(keyed.get(`${f.scenario}\u0000${f.metric}`) ?? []), f]);
  return [...keyed.values()].map((fs) => {
    const withBase = fs.filter((f) => f.baseline !== null && Number.isFinite(f.baseline) && f.baseline !== 0);
    return {
      ...fs[0]!,
      value: median(fs.map((f) => f.value)),
      baseline: withBase.length ? median(withBase.map((f) => f.baseline!)) : null,
      ratio: withBase.length ? median(withBase.map((f) => f.value / f.baseline!)) : null,
      runs: fs.length,
    };
  });
}

const fmt = (x: number | null, unit = ""): string => {
  if (x === null || Number.isNaN(x)) return "—";
  const s = Math.abs(x) >= 100 ? Math.round(x).toLocaleString("en-US") : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2);
  return unit ? `${s} ${unit}` : s;
};

export function met(r: Row): boolean | null {
  if (!r.target) return null;
  const x = r.target.on === "ratio" ? r.ratio : r.value;
  if (x === null || Number.isNaN(x)) return null;
  return r.target.op === "<" ? x < r.target.value : r.target.op === "<=" ? x <= r.target.value : x >= r.target.value;
}

function targetText(r: Row): string {
  if (!r.target) return "";
  const t = `${r.target.on === "ratio" ? "ratio " : ""}${r.target.op} ${fmt(r.target.value)}`;
  const m = met(r);
  return `${t} ${m === null ? "?" : m ? "met" : "NOT met"}`;
}

export const NotBuilt = [
  ["6 leaderboard", "full rebuild of 50,000 members; incremental update"],
  ["7 feed", "page of 50 cards, gym with 200,000 events"],
] as const;

/** The printed table (Markdown, so it pastes into docs/benchmarks.md as is). */
export function table(rows: Row[]): string {
  const head = ["scenario", "metric", "Spotter", "baseline", "ratio", "runs", "target"];
  const lines = rows.map((r) => [r.scenario, r.metric, fmt(r.value, r.unit), fmt(r.baseline, r.baseline === null ? "" : r.unit), fmt(r.ratio), String(r.runs), targetText(r)]);
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
    .map((r) => JSON.stringify({ scenario: r.scenario, metric: r.metric, value: r.value, unit: r.unit, baseline: r.baseline, ratio: r.ratio }))
    .join("\n");
}
