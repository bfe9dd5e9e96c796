/**
 * `node --import tsx scripts/bench/leaderboard.ts [--members 50000] [--updates 10000] [--runs 7]`
 *
 * Leaderboard figures (a helper, not a timed test): a full rebuild of `members` results, incremental
 * `Ranking.update`s (a member's new score moves them), `rank` lookups and a top-25 page, each the
 * median of `runs` runs. `Ranking` is an order-statistic treap, so update, rank and page are O(log n).
 * Also checks that the incrementally kept order equals a rebuild of the same data, and that two
 * rebuilds (from differently ordered input) agree. Seeded, so every run ranks the same data.
 */
import { parseArgs } from "node:util";
import { Ranking } from "../../domain/workouts/ranking.js";
import { compareKeys, rankKey, type RankKey } from "../../domain/workouts/scores.js";
import { mulberry32 } from "../../server/demo/prng.js";

const { values } = parseArgs({
  options: {
    members: { type: "string", default: "50000" },
    updates: { type: "string", default: "10000" },
    runs: { type: "string", default: "7" },
  },
});
const members = Number(values.members);
const updates = Number(values.updates);
const runs = Number(values.runs);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A for-time board with many equal scores (whole seconds) and equal submission instants, so tie-breaks do work. */
function keys(seed: number, n: number): RankKey[] {
  const rnd = mulberry32(seed);
  return Array.from({ length: n }, (_, i) =>
    rankKey(
      `m${String(i).padStart(6, "0")}`,
      { type: "for_time", ms: (180 + Math.floor(rnd() * 900)) * 1000 },
      rnd() < 0.6 ? "rx" : "scaled",
      1_700_000_000_000 + Math.floor(rnd() * 3_600) * 1000,
    ),
  );
}

const data = keys(1, members);
const rebuildMs: number[] = [];
for (let r = 0; r < runs; r++) {
  const input = r % 2 === 0 ? data : [...data].reverse();
  const t0 = performance.now();
  Ranking.rebuild(input);
  rebuildMs.push(performance.now() - t0);
}

const updateUs: number[] = [];
let agrees = true;
for (let r = 0; r < runs; r++) {
  const ranking = Ranking.rebuild(data);
  const current = new Map(data.map((k) => [k.memberId, k]));
  const moves = keys(100 + r, updates).map((k, i) => ({
    ...k,
    memberId: data[(i * 7919) % members]!.memberId,
    submittedAt: k.submittedAt + 3_600_000,
  }));
  const t0 = performance.now();
  for (const k of moves) ranking.update(k);
  updateUs.push(((performance.now() - t0) * 1000) / updates);
  for (const k of moves) current.set(k.memberId, k);
  const rebuilt = Ranking.rebuild(current.values()).order();
  agrees &&= JSON.stringify(ranking.order()) === JSON.stringify(rebuilt);
}
const rankUs: number[] = [];
const pageUs: number[] = [];
const board = Ranking.rebuild(data);
for (let r = 0; r < runs; r++) {
  let t0 = performance.now();
  let sum = 0;
  for (let i = 0; i < updates; i++) sum += board.rank(data[(i * 7919) % members]!.memberId) ?? 0;
  rankUs.push(((performance.now() - t0) * 1000) / updates);
  t0 = performance.now();
  for (let i = 0; i < 1_000; i++) sum += board.slice((i * 37) % members, 25).length;
  pageUs.push(performance.now() - t0);
  if (sum < 0) console.log(sum);
}

// The ordinary way, same data, same run: an array re-sorted after every score change (a page is then a slice).
const resortMs: number[] = [];
const baselineUpdates = Math.min(updates, 40);
for (let r = 0; r < runs; r++) {
  const arr = [...data];
  const where = new Map(arr.map((k, i) => [k.memberId, i]));
  const moves = keys(100 + r, baselineUpdates).map((k, i) => ({
    ...k,
    memberId: data[(i * 7919) % members]!.memberId,
    submittedAt: k.submittedAt + 3_600_000,
  }));
  arr.sort(compareKeys);
  arr.forEach((k, i) => where.set(k.memberId, i));
  const t0 = performance.now();
  for (const k of moves) {
    arr[where.get(k.memberId)!] = k;
    arr.sort(compareKeys);
    for (let i = 0; i < arr.length; i++) where.set(arr[i]!.memberId, i);
  }
  resortMs.push((performance.now() - t0) / baselineUpdates);
}
const sortMs: number[] = [];
for (let r = 0; r < runs; r++) {
  const input = r % 2 === 0 ? [...data] : [...data].reverse();
  const t0 = performance.now();
  input.sort(compareKeys);
  sortMs.push(performance.now() - t0);
}

const twoRebuilds = JSON.stringify(Ranking.rebuild(data).order()) === JSON.stringify(Ranking.rebuild([...data].reverse()).order());

console.log(`Leaderboard, ${members.toLocaleString("en")} members, ${runs} runs (median), node ${process.version}`);
console.log(
  `  full rebuild:        ${median(rebuildMs).toFixed(1)} ms   (min ${Math.min(...rebuildMs).toFixed(1)}, max ${Math.max(...rebuildMs).toFixed(1)})`,
);
console.log(`  incremental update:  ${median(updateUs).toFixed(2)} µs per update (${updates.toLocaleString("en")} updates per run)`);
console.log(`  rank lookup:         ${median(rankUs).toFixed(2)} µs per lookup; a 25-entry page: ${median(pageUs).toFixed(2)} µs`);
console.log(`  baseline sort:       ${median(sortMs).toFixed(1)} ms (Array.sort of the same keys)`);
console.log(
  `  baseline re-sort update: ${(median(resortMs) * 1000).toFixed(0)} µs per update (re-sort the array after each of ${baselineUpdates})`,
);
console.log(`  incremental = rebuild after all updates: ${agrees}; two rebuilds identical: ${twoRebuilds}`);
if (!agrees || !twoRebuilds) process.exitCode = 1;
