/**
 * What the one-server scripts share (coldJoin.ts, hops.ts, diagnose.ts, repro/*, …): a fresh bench database of
 * their own, and one Spotter server on uWS over it with a Redis of its own (see `benchRedis`).
 */
import { benchDatabaseUrl, freshDatabase, type BenchDatabase } from "./data.js";
import { benchRedis } from "./benchRedis.js";
import { startSpotter, type Proc, type SpotterOptions } from "./procs.js";

/** A fresh database `<BENCH_DATABASE_URL's>_<prefix>_<pid>` (default server: the local PostgreSQL), dropped by its `drop`. */
export function scriptDatabase(prefix: string): Promise<BenchDatabase> {
  const base = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/spotter_bench";
  return freshDatabase(benchDatabaseUrl(base, `${prefix}_${process.pid}`));
}

/**
 * One Spotter server on uWS over `databaseUrl` and REDIS_URL (default: a `redis-server` of its own), on no pinned core.
 * PROFILE=dir writes its V8 CPU profile there when it stops; `more` overrides any of it.
 */
export async function startScriptSpotter(databaseUrl: string, jwtSecret: string, more: Partial<SpotterOptions> = {}): Promise<Proc> {
  const redis = await benchRedis();
  const proc = await startSpotter({
    databaseUrl,
    redisUrl: redis.url,
    jwtSecret,
    transport: "uws",
    cpus: undefined,
    ...(process.env.PROFILE ? { cpuProfDir: process.env.PROFILE } : {}),
    ...more,
  }).catch((err: unknown) => {
    redis.stop();
    throw err;
  });
  return { ...proc, stop: () => proc.stop().finally(redis.stop) };
}
