/**
 * Memory per idle, subscribed socket, measured as the fan-out scenario does it (server RSS after N
 * watchers joined one class room and sat idle 3 s (IDLE_MS), minus RSS before they connected, over N), and
 * from inside the server (lib/memoryProbe.ts): V8 heap as it is and after a full GC, which is the stable figure.
 * With --snapshots DIR it takes two heap snapshots instead (before/after) for `scripts/bench/heapDiff.ts`.
 *   node --import tsx scripts/bench/repro/socketMemory.ts [sockets=10000] [--snapshots DIR] [--transport uws|node]
 * Spotter runs in production mode with the bench's settings (plus --expose-gc and the probe); uses a fresh
 * database of its own, dropped at the end. It checks that no watcher was dropped while it measured.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { parseArgs } from "node:util";
import { newSigningKeyPem } from "../../../server/checkin/codeKeys.js";
import { serverEnv } from "../../lib/serverProcess.js";
import { seedGym, seedSessions } from "../lib/data.js";
import { freePort, rssBytes, startHttpProcess } from "../lib/procs.js";
import { all, startWorker } from "../lib/rpc.js";
import { Rng } from "../lib/seeded.js";
import { scriptDatabase } from "../lib/scriptRun.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { snapshots: { type: "string" }, transport: { type: "string", default: "uws" } },
});
const n = Number(positionals[0] ?? 10_000);
const dir = values.snapshots;
if (dir) mkdirSync(dir, { recursive: true });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const kib = (bytes: number) => (bytes / 1024 / n).toFixed(1);

const bench = await scriptDatabase("mem");
const secret = "repro-secret-".padEnd(40, "x");
const rng = new Rng(`socket-memory:${Date.now()}`);
const gym = await seedGym(bench.pool, rng, `mem-${Date.now()}`, n, false);
const [sessionId] = await seedSessions(bench.pool, rng, gym, 1, 20, 24 * 60);

const port = await freePort();
const probeFile = `${tmpdir()}/spotter-mem-probe-${process.pid}.jsonl`;
const probe = ["--expose-gc", "--import", "./scripts/bench/lib/memoryProbe.ts"];
const flags = dir ? ["--heapsnapshot-signal=SIGUSR2", `--diagnostic-dir=${dir}`] : [];
const metricsToken = randomBytes(24).toString("base64url");
const server = await startHttpProcess(
  "spotter",
  [process.execPath, ...flags, "--import", "tsx", ...probe, "server/main.ts"],
  serverEnv({
    DATABASE_URL: bench.url,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    SPOTTER_MODE: "production",
    JWT_SECRET: secret,
    METRICS_TOKEN: metricsToken,
    CHECKIN_SIGNING_KEY: newSigningKeyPem(),
    HOST: "127.0.0.1",
    PORT: String(port),
    TRANSPORT: values.transport!,
    COMMANDS_PER_SECOND: "10000",
    MAX_ROOMS_PER_SOCKET: "1000",
    MAX_SOCKETS_PER_IP: "10000000",
    LOG_LEVEL: "warn",
    NODE_ID: `mem-${port}`,
    MEM_PROBE_FILE: probeFile,
  }),
  port,
);

interface Usage {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  spaces: Record<string, { size: number; used: number }>;
}

/** Heap figures from inside the server (memoryProbe.ts): as they are, then after a full GC. */
async function probeHeap(): Promise<{ before: Usage; afterGc: Usage }> {
  const lines = () => (existsSync(probeFile) ? readFileSync(probeFile, "utf8").trim().split("\n").filter(Boolean) : []);
  const seen = lines().length;
  process.kill(server.pid, "SIGPWR");
  for (;;) {
    await sleep(200);
    const all = lines();
    if (all.length > seen) return JSON.parse(all[all.length - 1]!) as { before: Usage; afterGc: Usage };
  }
}

/** Sends SIGUSR2 and waits until a new, complete snapshot file appears in `dir`. */
async function snapshot(label: string): Promise<void> {
  if (!dir) return;
  const before = new Set(readdirSync(dir));
  process.kill(server.pid, "SIGUSR2");
  for (;;) {
    await sleep(500);
    const fresh = readdirSync(dir).find((f) => !before.has(f) && f.endsWith(".heapsnapshot"));
    if (!fresh) continue;
    const path = `${dir}/${fresh}`;
    const size = statSync(path).size;
    await sleep(1_000);
    if (existsSync(path) && statSync(path).size === size && size > 0) {
      console.log(`snapshot ${label}: ${path} (${(size / 1e6).toFixed(0)} MB)`);
      return;
    }
  }
}

const workers = Array.from({ length: Math.ceil(n / 2_500) }, () => startWorker("watch", undefined));
try {
  await sleep(1_000);
  const rss0 = rssBytes(server.pid);
  const heap0 = dir ? undefined : await probeHeap();
  await snapshot("before");
  const size = Math.ceil(n / workers.length);
  const joined = await all<{ joined: number; joinFailures: string[] }>(
    workers,
    "setup",
    (i) => ({ url: server.url, secret, userIds: gym.members.slice(i * size, (i + 1) * size), room: `class:${sessionId}`, maxBookings: 2 }),
    600_000,
  );
  await sleep(Number(process.env.IDLE_MS ?? 3_000));
  const rss1 = rssBytes(server.pid);
  const metrics = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } }).then((r) => r.text());
  const open = /^spotter_connections (\d+)/m.exec(metrics)?.[1];
  const got = await all<{ dropped: number; reasons: string[] }>(workers, "latencies", () => ({ sent: new Float64Array(4).fill(NaN) }));
  const dropped = got.reduce((sum, g) => sum + g.dropped, 0);
  if (dropped)
    console.log(`${dropped} sockets were dropped (${[...new Set(got.flatMap((g) => g.reasons))].join(", ")}): the figures are wrong`);
  const heap1 = dir ? undefined : await probeHeap();
  await snapshot("after");
  const failures = joined.flatMap((j) => j.joinFailures);
  console.log(
    `${n} sockets joined (${failures.length} failed${failures.length ? `: ${[...new Set(failures)].join(",")}` : ""}), transport ${values.transport}, ${open} open on the server`,
  );
  console.log(
    `RSS before ${(rss0 / 2 ** 20).toFixed(0)} MiB, after ${(rss1 / 2 ** 20).toFixed(0)} MiB: ${kib(rss1 - rss0)} KiB per socket (the bench's figure)`,
  );
  if (heap0 && heap1) {
    const row = (label: string, f: (u: Usage) => number) =>
      console.log(
        `  ${label.padEnd(28)} ${kib(f(heap1.before) - f(heap0.before)).padStart(6)} KiB/socket as measured, ${kib(f(heap1.afterGc) - f(heap0.afterGc)).padStart(6)} after a full GC`,
      );
    row("rss", (u) => u.rss);
    row("V8 heap used", (u) => u.heapUsed);
    row("V8 heap committed", (u) => Object.values(u.spaces).reduce((s, x) => s + x.size, 0));
    for (const space of ["new_space", "old_space", "large_object_space"]) {
      row(`${space} committed`, (u) => u.spaces[space]?.size ?? 0);
      row(`${space} used`, (u) => u.spaces[space]?.used ?? 0);
    }
    row("external (Buffers, native)", (u) => u.external);
  }
} finally {
  await Promise.allSettled(workers.map((w) => w.call("close")));
  await Promise.all(workers.map((w) => w.stop()));
  const exit = await server.stop();
  if (exit.code !== 0) console.log(`server exited ${exit.code}: ${exit.stderr.slice(-2_000)}`);
  await bench.drop();
  rmSync(probeFile, { force: true });
}
