/** What every scenario gets from the harness, and how it starts the systems under test. */
import type { Pool } from "./pg.js";
import { startBaseline, startSpotter, type Proc } from "./procs.js";
import { startWorker, type Worker } from "./rpc.js";

export interface BenchContext {
  quick: boolean;
  /** 0-based run number; seeds derive from it so every run is reproducible and distinct. */
  run: number;
  db: Pool;
  dbUrl: string;
  redisUrl: string;
  secret: string;
  /** Cores for server processes and for load generators (taskset lists; undefined = not pinned). */
  serverCpus: string | undefined;
  clientCpus: string | undefined;
  /** When set, the booking storm's Spotter server writes a CPU profile here. */
  profileDir: string | undefined;
  /** Overrides from the command line: storm members, fan-out watcher counts. */
  members: number | undefined;
  watchers: number[] | undefined;
  /**
   * `--warm` (`--warm-storms N`, default 8): the storm first runs N unmeasured storms of the same shape, each on
   * another gym of the same server, so the measured one sees a server whose code is compiled and whose pools are
   * full (a gym's server runs for days). One warm storm was not enough: V8 still finished 108 optimising compiles
   * during the measured storm (0.25 ms per answer on its background threads); after three, 51. Both systems get it.
   * 0: cold.
   */
  warm?: number;
  /** `--systems`: only these systems, where a scenario supports choosing (fan-out). */
  systems?: System[] | undefined;
  log(message: string): void;
}

export type System = "spotter" | "spotter-node" | "baseline" | "noop";

export const SystemLabels: Record<System, string> = {
  spotter: "Spotter (uWS, production mode, PostgreSQL + Redis)",
  "spotter-node": "Spotter with TRANSPORT=node (Socket.IO on node:http)",
  baseline: "row-lock baseline: node:http + Socket.IO + pg, one transaction with SELECT … FOR UPDATE per request",
  noop: "no-op Socket.IO server on uWS (io.attachApp, no database): Socket.IO's own cost, the ceiling",
};

/** Starts one system under test on the server cores (optionally profiled, optionally with lib/serverProbe.ts). */
export function startSystem(ctx: BenchContext, system: System, cpuProfDir?: string, probeFile?: string): Promise<Proc> {
  if (system === "noop")
    return startBaseline("noop", { JWT_SECRET: ctx.secret }, ctx.serverCpus, {
      ...(cpuProfDir ? { cpuProfDir } : {}),
      ...(probeFile ? { probeFile } : {}),
    });
  if (system === "baseline") {
    const env = { DATABASE_URL: ctx.dbUrl, JWT_SECRET: ctx.secret, POOL_MAX: "10" };
    return startBaseline("server", env, ctx.serverCpus, { ...(cpuProfDir ? { cpuProfDir } : {}), ...(probeFile ? { probeFile } : {}) });
  }
  return startSpotter({
    databaseUrl: ctx.dbUrl,
    redisUrl: ctx.redisUrl,
    jwtSecret: ctx.secret,
    transport: system === "spotter" ? "uws" : "node",
    cpus: ctx.serverCpus,
    ...(cpuProfDir ? { cpuProfDir } : {}),
    ...(probeFile ? { probeFile } : {}),
  });
}

/** `count` load-generator processes of one kind on the client cores. */
export function startWorkers(ctx: BenchContext, kind: "storm" | "watch" | "drive", count: number): Worker[] {
  return Array.from({ length: count }, () => startWorker(kind, ctx.clientCpus));
}

export async function stopAll(workers: Worker[]): Promise<void> {
  await Promise.all(workers.map((w) => w.stop()));
}

/** Splits `xs` into `n` nearly equal consecutive parts. */
export function split<T>(xs: T[], n: number): T[][] {
  const size = Math.ceil(xs.length / n);
  return Array.from({ length: n }, (_, i) => xs.slice(i * size, (i + 1) * size)).filter((p) => p.length > 0);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
