/** Server processes for the bench: Spotter (production mode) and the baseline servers, pinned to cores. */
import { spawn } from "node:child_process";
import { appendFileSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { newSigningKeyPem } from "../../../server/checkin/codeKeys.js";
import { productionNodeFlags, repoRoot, serverEnv } from "../../lib/serverProcess.js";

/** One check-in signing key for every Spotter process of a bench run (codes cross nodes). */
const benchSigningKey = newSigningKeyPem();

/** Prefixes `command` with `taskset -c <cpus>` when cpus are given. */
export function pinned(cpus: string | undefined, command: string[]): string[] {
  return cpus === undefined ? command : ["taskset", "-c", cpus, ...command];
}

const TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far; NaN when it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return NaN;
  }
}

/** Seconds the process's main thread has spent on a CPU (the thread a CPU profile samples). */
export function mainThreadCpuSeconds(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, "utf8").split(" ")[0]) / 1e9;
  } catch {
    return NaN;
  }
}

/**
 * CPU seconds per thread of a live process, keyed "main" and "t<n>" by creation order (Node names every thread "node":
 * t1–t4 are V8's platform workers — parallel/concurrent GC and concurrent compilation —, later ones libuv's pool,
 * the inspector and addons' threads).
 */
export function threadCpuSeconds(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  let tids: number[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`)
      .map(Number)
      .sort((a, b) => a - b);
  } catch {
    return out;
  }
  for (const [i, tid] of tids.entries()) {
    try {
      const s = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]) / 1e9;
      out.set(tid === pid ? "main" : `t${i}`, s);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

/** `after − before` per thread, in ms per answer, busiest first ("main 0.210, t2 0.120, …"). */
export function threadCpuPerAnswer(before: Map<string, number>, after: Map<string, number>, answers: number): string {
  return [...after]
    .map(([name, s]) => [name, ((s - (before.get(name) ?? 0)) * 1000) / Math.max(1, answers)] as const)
    .filter(([, ms]) => ms >= 0.0005)
    .sort((a, b) => b[1] - a[1])
    .map(([name, ms]) => `${name} ${ms.toFixed(3)}`)
    .join(", ");
}

/** Seconds the process's main thread has spent runnable but waiting for a CPU (other processes had it). */
export function runQueueWaitSeconds(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, "utf8").split(" ")[1]) / 1e9;
  } catch {
    return NaN;
  }
}

/** Resident set size in bytes; NaN when the process is gone. */
export function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** A free loopback port (asked from the OS, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Proc {
  name: string;
  pid: number;
  url: string;
  stop(): Promise<{ code: number | null; stderr: string }>;
}

/** Spawns `command` and waits until GET `url`/health answers 200 (the process logs at warn level only). */
export async function startHttpProcess(name: string, command: string[], env: Record<string, string>, port: number): Promise<Proc> {
  const child = spawn(command[0]!, command.slice(1), { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  const out = process.env.BENCH_SERVER_STDOUT; // e.g. V8's --trace-opt / --trace-gc lines, whole, for reading after the run
  child.stdout!.setEncoding("utf8").on("data", (s: string) => {
    if (out) appendFileSync(out, s);
    stderr = (stderr + s).slice(-20_000);
  });
  child.stderr!.setEncoding("utf8").on("data", (s: string) => void (stderr = (stderr + s).slice(-20_000)));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  let dead = false;
  void exited.then(() => (dead = true));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (dead) throw new Error(`${name} exited before it was healthy:\n${stderr}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${name} not healthy within 60 s:\n${stderr}`);
    }
    const ok = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    name,
    pid: child.pid!,
    url,
    stop: async () => {
      if (!dead) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
        await exited;
        clearTimeout(timer);
      }
      return { code: await exited, stderr };
    },
  };
}

export interface SpotterOptions {
  databaseUrl: string;
  redisUrl: string;
  jwtSecret: string;
  transport: "uws" | "node";
  cpus: string | undefined;
  /** Write a V8 CPU profile into this directory when the server exits. */
  cpuProfDir?: string;
  /** More environment for the server (e.g. LEASE_MS). */
  env?: Record<string, string>;
  /** Preload lib/serverProbe.ts and have it write arrivals and round trips here at exit. */
  probeFile?: string;
}

/** The probe's environment: where to write, and SERVER_PROBE_SAMPLES passed on from the bench's own. */
function probeEnv(probeFile: string | undefined): Record<string, string> {
  if (!probeFile) return {};
  const samples = process.env.SERVER_PROBE_SAMPLES;
  return { SERVER_PROBE_FILE: probeFile, ...(samples ? { SERVER_PROBE_SAMPLES: samples } : {}) };
}

/** Node flags for a measured server: a CPU profile into `cpuProfDir`, the probe writing to `probeFile`. */
function measuredFlags(cpuProfDir: string | undefined, probeFile: string | undefined): string[] {
  return [
    ...(cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfDir}`] : []),
    "--import",
    "tsx",
    ...(probeFile ? ["--import", "./scripts/bench/lib/serverProbe.ts"] : []),
  ];
}

/** Starts `server/main.ts` in production mode with the rate limiter opened up for load. */
export async function startSpotter(o: SpotterOptions): Promise<Proc> {
  const port = await freePort();
  const extra = process.env.BENCH_SPOTTER_NODE_FLAGS?.split(" ").filter(Boolean) ?? [];
  // The production flags (package.json config.nodeFlags, as `npm start`), then the bench's own: a later V8 flag wins.
  const flags = [...productionNodeFlags, ...measuredFlags(o.cpuProfDir, o.probeFile), ...extra];
  const command = pinned(o.cpus, [process.execPath, ...flags, "server/main.ts"]);
  const env = serverEnv({
    DATABASE_URL: o.databaseUrl,
    REDIS_URL: o.redisUrl,
    SPOTTER_MODE: "production",
    JWT_SECRET: o.jwtSecret,
    CHECKIN_SIGNING_KEY: process.env.CHECKIN_SIGNING_KEY ?? benchSigningKey,
    HOST: "127.0.0.1",
    PORT: String(port),
    TRANSPORT: o.transport,
    COMMANDS_PER_SECOND: "10000",
    MAX_ROOMS_PER_SOCKET: "1000",
    // Every load generator is one address, and some drive many sockets as one user.
    MAX_ROOMS_PER_USER: "100000",
    MAX_SOCKETS_PER_USER: "10000",
    MAX_SOCKETS_PER_IP: "10000000",
    HTTP_REQUESTS_PER_SECOND_PER_IP: "1000000",
    // BENCH_LOG_LEVEL=info shows e.g. each node's start-up warm-up ("warmed up (ms)") in BENCH_SERVER_STDOUT.
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn",
    NODE_ID: `bench-${o.transport}-${port}`,
    // Named in `room:join` owner hints: a bench client that follows hints reconnects here.
    NODE_PUBLIC_URL: `http://127.0.0.1:${port}`,
    ...probeEnv(o.probeFile),
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(ALLOC|PROMISE)_PROBE_/.test(k)) as [string, string][]),
    // A hot room's publish spacing, to compare settings (server/config.ts).
    ...(process.env.FANOUT_HOLD_US_PER_WATCHER ? { FANOUT_HOLD_US_PER_WATCHER: process.env.FANOUT_HOLD_US_PER_WATCHER } : {}),
    ...o.env,
  });
  return startHttpProcess(`spotter(${o.transport})`, command, env, port);
}

/** Starts a baseline server from `scripts/bench/baseline/<file>.ts`, measured like Spotter when asked. */
export async function startBaseline(
  file: string,
  env: Record<string, string>,
  cpus: string | undefined,
  measure: { cpuProfDir?: string; probeFile?: string } = {},
): Promise<Proc> {
  const port = await freePort();
  const command = pinned(cpus, [
    process.execPath,
    ...measuredFlags(measure.cpuProfDir, measure.probeFile),
    `scripts/bench/baseline/${file}.ts`,
  ]);
  return startHttpProcess(`baseline(${file})`, command, serverEnv({ ...env, ...probeEnv(measure.probeFile), PORT: String(port) }), port);
}

/** CPU seconds used by every `postgres` process so far (live ones plus reaped children), for the server-side cost. */
export function postgresCpuSeconds(): number {
  let total = 0;
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      if (!stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")).startsWith("postgres")) continue;
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    } catch {
      // The process ended while we looked.
    }
  }
  return total / TICKS;
}
