/** Percentiles (nearest rank) and medians over plain number arrays. */

/** Sorts a copy ascending. */
export function sorted(xs: ArrayLike<number>): Float64Array {
  return Float64Array.from(xs).sort();
}

/** Nearest-rank percentile of an ascending array; NaN when empty. */
export function pct(asc: ArrayLike<number>, p: number): number {
  if (asc.length === 0) return NaN;
  const rank = Math.min(asc.length, Math.max(1, Math.ceil((p / 100) * asc.length)));
  return asc[rank - 1]!;
}

export function median(xs: number[]): number {
  const ok = xs.filter((x) => Number.isFinite(x));
  return ok.length === 0 ? NaN : pct(sorted(ok), 50);
}

/** p50 / p99 / max of a latency sample. */
export function summary(xs: ArrayLike<number>): { p50: number; p99: number; max: number; n: number } {
  const asc = sorted(xs);
  return { p50: pct(asc, 50), p99: pct(asc, 99), max: asc.length ? asc[asc.length - 1]! : NaN, n: asc.length };
}

/** Merges sample arrays from several workers. */
export function concat(parts: ArrayLike<number>[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p as ArrayLike<number>, at);
    at += p.length;
  }
  return out;
}
