/**
 * Where the owner's report spends its time: seeds the reports scenario's gym (5,000 members, two years of classes)
 * into `spotter_bench_reports` once (kept between runs; `--fresh` seeds again), then times each part of
 * `gym:ownerReport` for 730 days, `--n` times each, and prints the median and p95 per part.
 * `node --import tsx scripts/bench/repro/reportsProfile.ts [--fresh] [--n 20]`
 */
import { parseArgs } from "node:util";
import { ownerReport } from "../../../app/reports/ownerReport.js";
import { openDatabase } from "../../../server/db/orm.js";
import { reportStore } from "../../../server/persistence/reportStore.js";
import { freshDatabase, seedGym } from "../lib/data.js";
import { pool } from "../lib/pg.js";
import { Rng } from "../lib/seeded.js";
import { pct, sorted } from "../lib/stats.js";
import { seedHistory } from "../scenarios/reports.js";

const { values } = parseArgs({ options: { fresh: { type: "boolean" }, n: { type: "string" } } });
const url = "postgres://postgres@127.0.0.1:5432/spotter_bench_reports";
const n = Number(values.n ?? 20);

const probe = pool(url.replace(/\/[^/]+$/, "/postgres"), 1);
const exists =
  (await probe.query<{ n: number }>(`select count(*)::int as n from pg_database where datname = 'spotter_bench_reports'`, [])).rows[0]!.n >
  0;
await probe.end();
if (values.fresh || !exists) {
  const fresh = await freshDatabase(url);
  const rng = new Rng("reports-profile");
  const gym = await seedGym(fresh.pool, rng, "reports-profile", 5_000);
  await fresh.pool.query(`update gym_membership set joined_at = now() - interval '800 days' where gym_id = $1`, [gym.gymId]);
  await seedHistory({ db: fresh.pool } as never, gym.gymId, gym.locationId);
  await fresh.pool.end();
}
const db = await openDatabase({ kind: "postgres", url });
const [gym] = await db.orm.em.fork().getConnection().execute<{ id: string }[]>(`select id from gym limit 1`);
const store = reportStore(db.orm);
const gymId = gym!.id;
const time = async (name: string, f: () => Promise<unknown>) => {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await f();
    ms.push(performance.now() - t0);
  }
  const s = sorted(ms);
  console.log(`${name.padEnd(24)} median ${pct(s, 50).toFixed(1)} ms  p95 ${pct(s, 95).toFixed(1)} ms`);
};
const now = Date.now();
const from = now - 730 * 86_400_000;
const zone = "Europe/Berlin";
await time("whole report", () => ownerReport(store, gymId, now, 730));
await time("sessionCounts", () => store.sessionCounts(gymId, from, now, zone, now));
await time("riskCandidates", () => store.riskCandidates(gymId, now, 14));
await time("trialFunnel", () => store.trialFunnel(gymId, from));
await time("cohorts", () => store.cohorts(gymId, from, zone));
await time("moneyByWeek", () => store.moneyByWeek(gymId, from, zone));
await time("kpiDays", () => store.kpiDays(gymId, new Date(from).toISOString().slice(0, 10), now, zone));
await db.close();
