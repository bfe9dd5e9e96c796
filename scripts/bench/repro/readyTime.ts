/**
 * A node's ready time and its warm-up's parts (issue 15, branch wt/fresh): starts `server/main.ts` as the bench does
 * (production mode, fresh database, its own Redis) `N` times (default 3), each time timing spawn → `/health` 200 and
 * reading the `warmed up (ms)` log line. Run from the repo root: `node --import tsx scripts/bench/repro/readyTime.ts [N]`.
 */
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchRedis } from "../lib/benchRedis.js";
import { benchDatabaseUrl, freshDatabase } from "../lib/data.js";
import { startSpotter } from "../lib/procs.js";

const n = Number(process.argv[2] ?? 3);
const url = benchDatabaseUrl(process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/spotter_bench", `ready${process.pid}`);
const db = await freshDatabase(url);
const redis = await benchRedis();
const log = join(tmpdir(), `spotter-ready-${process.pid}.log`);
process.env.BENCH_SERVER_STDOUT = log;
try {
  for (let i = 0; i < n; i++) {
    rmSync(log, { force: true });
    const t0 = performance.now();
    const proc = await startSpotter({
      databaseUrl: url,
      redisUrl: redis.url,
      jwtSecret: "ready-time-secret-ready-time-secret",
      transport: "uws",
      cpus: undefined,
      env: { LOG_LEVEL: "info" },
    });
    const ready = performance.now() - t0;
    await proc.stop();
    const line = readFileSync(log, "utf8")
      .split("\n")
      .find((l) => l.includes("warmed up (ms)"));
    const took = line ? (JSON.parse(line) as { took: unknown }).took : null;
    console.log(`start ${i + 1}: healthy after ${Math.round(ready)} ms; warm-up ${JSON.stringify(took)}`);
  }
} finally {
  rmSync(log, { force: true });
  await db.drop();
  redis.stop();
}
