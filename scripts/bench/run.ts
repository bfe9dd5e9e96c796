/**
 * `npm run bench [-- --quick] [--json] [--runs N] [--only storm,ceiling,window,schedule,fanout,suite,leaderboard,feed,cluster,gymdelta,export,revoke,import,reports,notices] [--profile] [--pin 0/1|none]
 *   [--members N] [--watchers 1000,5000] [--systems spotter,noop]` (fan-out: spotter, spotter-node, baseline, noop)
 *
 * Starts everything it needs on loopback: a fresh PostgreSQL database (BENCH_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/spotter_bench, suffixed with this process id and dropped at the end) migrated with `npm run migrate`'s code, Spotter in
 * production mode (REDIS_URL, default redis://127.0.0.1:6379) and the baseline servers pinned to
 * core 0, load generators in separate processes pinned to core 1 (`--pin server/client`, or `none`).
 * Prints one table of medians over the runs (ratios are medians of same-run ratios) and the
 * correctness checks; exits 1 if a check fails.
 *
 * `--warm [--warm-storms N]`: the storm is measured after N unmeasured storms on other gyms of the same server (BenchContext.warm).
 * The storm logs its server's CPU per answer by thread ("main", then t1–t4: V8's workers — GC helpers and optimising
 * compiles —, later threads libuv's pool). BENCH_SERVER_STDOUT=<file> appends the servers' stdout there (V8's
 * --trace-opt, --trace-gc-nvp); lib/gcProbe.ts counts collections and marks each thousand commands in it.
 *
 * BENCH_SPOTTER_NODE_FLAGS adds node flags to every Spotter server it starts (e.g. `--max-semi-space-size=64`, or
 * `--import ./scripts/bench/lib/allocProbe.ts` for an allocation profile that counts what the GC already took).
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { benchDatabaseUrl, freshDatabase } from "./lib/data.js";
import type { BenchContext, System } from "./lib/context.js";
import { baselines, combine, jsonLines, table, type Check, type Figure, type Outcome, type ProfileRef } from "./lib/report.js";
import { fanout } from "./scenarios/fanout.js";
import { exportScenario } from "./scenarios/export.js";
import { importScenario } from "./scenarios/import.js";
import { feed } from "./scenarios/feed.js";
import { cluster } from "./scenarios/cluster.js";
import { gymDelta } from "./scenarios/gymDelta.js";
import { leaderboard } from "./scenarios/leaderboard.js";
import { revoke } from "./scenarios/revoke.js";
import { ownerReports } from "./scenarios/reports.js";
import { notices } from "./scenarios/notices.js";
import { latencySuite } from "./scenarios/suite.js";
import { storm } from "./scenarios/storm.js";
import { ceiling } from "./scenarios/ceiling.js";
import { bookingWindow } from "./scenarios/window.js";
import { scheduleSize } from "./scenarios/schedule.js";
import { layersPerAnswer, summarizeProfile } from "./profile.js";
import { benchRedis } from "./lib/benchRedis.js";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    runs: { type: "string" },
    only: { type: "string" },
    profile: { type: "boolean", default: false },
    pin: { type: "string", default: "0/1" },
    members: { type: "string" },
    watchers: { type: "string" },
    systems: { type: "string" },
    warm: { type: "boolean", default: false },
    "warm-storms": { type: "string" },
  },
});
const quick = values.quick!;
/** `--warm` runs this many unmeasured storms first (`--warm-storms N`): see BenchContext.warm. */
// 8, not 3: after 3 storms V8 was still compiling (42–88 optimising compiles in the measured storm; 11 after 8).
const DefaultWarmStorms = 8;
const runs = Math.max(1, Math.min(9, Number(values.runs ?? (quick ? 1 : 3))));
const only = new Set(
  (
    values.only ?? "storm,ceiling,window,schedule,fanout,suite,leaderboard,feed,cluster,gymdelta,export,revoke,import,reports,notices"
  ).split(","),
);
const started = Date.now();
const log = (m: string) => process.stderr.write(`[bench +${((Date.now() - started) / 1000).toFixed(0)}s] ${m}\n`);

const Scenarios: Record<string, (ctx: BenchContext) => Promise<Outcome>> = {
  storm,
  ceiling,
  window: bookingWindow,
  schedule: scheduleSize,
  fanout,
  suite: latencySuite,
  leaderboard,
  feed,
  cluster,
  gymdelta: gymDelta,
  export: exportScenario,
  revoke,
  import: importScenario,
  reports: ownerReports,
  notices,
};

const dbUrl = benchDatabaseUrl(process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/spotter_bench", String(process.pid));
const redis = await benchRedis(log);
const redisUrl = redis.url;
const [serverCpus, clientCpus] = values.pin === "none" || availableParallelism() < 2 ? [undefined, undefined] : values.pin!.split("/");
const load0 = loadavg();
const profileDir = values.profile ? join(tmpdir(), `spotter-bench-prof-${process.pid}`) : undefined;
if (profileDir) mkdirSync(profileDir, { recursive: true });

const resultsFile = join(tmpdir(), `spotter-bench-${process.pid}.jsonl`);
log(`fresh database ${new URL(dbUrl).pathname.slice(1)}; ${runs} run(s), ${quick ? "quick" : "full"} sizes`);
const bench = await freshDatabase(dbUrl);
const db = bench.pool;
const figures: Figure[][] = [];
const checks: Check[] = [];
const profiles: ProfileRef[] = [];
try {
  for (let run = 0; run < runs; run++) {
    const ctx: BenchContext = {
      quick,
      run,
      db,
      dbUrl,
      redisUrl,
      secret: "bench-secret-".padEnd(40, "x"),
      serverCpus,
      clientCpus,
      profileDir: run === 0 ? profileDir : undefined,
      members: values.members ? Number(values.members) : undefined,
      watchers: values.watchers?.split(",").map(Number),
      systems: values.systems?.split(",") as System[] | undefined,
      warm: values.warm ? Math.max(1, Number(values["warm-storms"] ?? DefaultWarmStorms)) : 0,
      log: (m) => log(`run ${run + 1}/${runs} ${m}`),
    };
    const mine: Figure[] = [];
    for (const [name, scenario] of Object.entries(Scenarios)) {
      if (!only.has(name)) continue;
      try {
        const out = await scenario(ctx);
        mine.push(...out.figures);
        profiles.push(...(out.profiles ?? []));
        checks.push(...out.checks.map((c) => ({ ...c, scenario: `${c.scenario} run ${run + 1}` })));
        appendFileSync(resultsFile, `${JSON.stringify({ run, name, ...out })}\n`);
      } catch (err) {
        // A scenario that cannot finish is a failed check, not a lost run.
        log(`${name} failed: ${(err as Error).stack ?? String(err)}`);
        checks.push({
          scenario: `${name} run ${run + 1}`,
          name: "scenario finished",
          ok: false,
          detail: (err as Error).message.split("\n")[0]!.slice(0, 300),
        });
      }
    }
    figures.push(mine);
  }
} finally {
  redis.stop();
  await bench.drop();
}

const rows = combine(figures);
const failed = checks.filter((c) => !c.ok);
if (values.json) {
  console.log(jsonLines(rows));
} else {
  console.log(
    `\n${table(rows)}\n\nratio = Spotter ÷ baseline of the same run (median over runs): above 1 is better for rates, below 1 for times and costs.`,
  );
  if (rows.some((r) => r.arrival))
    console.log(
      "ARRIVAL-BOUND: the named system answered at ≥ 90 % of the rate the presses were offered (presses ÷ their spread), so its rate is the schedule's, not its capacity; a ratio can be at most offered ÷ the other's rate.",
    );
  console.log(`Baselines:\n${baselines(rows)}`);
  const cores = (c: string | undefined) => (c === undefined ? "any core" : `core ${c}`);
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(" ");
  console.log(
    `Cores: server processes on ${cores(serverCpus)}, load generators on ${cores(clientCpus)}, PostgreSQL and Redis unpinned (${availableParallelism()} cores).`,
  );
  console.log(`Machine load average (1/5/15 min): ${load(load0)} at start, ${load(loadavg())} at end.`);
  console.log(`\nCorrectness: ${checks.length - failed.length}/${checks.length} checks passed`);
  for (const c of failed.length || runs > 1 ? failed : checks)
    console.log(`  ${c.ok ? "ok  " : "FAIL"} ${c.scenario}: ${c.name} (${c.detail})`);
  if (profileDir) {
    // The summary of the first profiled Spotter run (its measured window), then every profiled run by layer.
    const first = profiles.find((p) => p.label.endsWith("spotter")) ?? profiles[0];
    if (first) console.log(`\n${summarizeProfile(first.dir, 15, first)}`);
    for (const p of profiles) console.log(`\n${layersPerAnswer(p)}`);
  }
}
log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; per-run figures in ${resultsFile}`);
process.exit(failed.length ? 1 : 0);
