/**
 * The latency suite's sequence on one fresh Spotter server (the same seeds and sizes as `--quick` scenarios 8, 4, 5:
 * 20 cold joins, 30 cancels → promoted notices, 150 desk check-ins at 50/s), with lib/hopTrace.ts preloaded so each
 * sample is named: its index, frame → ack in wall time and in the server's CPU, and for a cancel the promoted notice's
 * broadcast. Which samples are the run's outliers, and whether they are each kind's first in the process.
 * HOP_TRACE_PICK=0,1 prints those commands' full timelines. Costly tracing: the times are slower than the bench's.
 * PROFILE=dir instead writes the server's V8 CPU profile there and prints the main thread's busy time in the windows of
 * each kind's first samples (VERBOSE=1: and their profiles); BENCH_SPOTTER_NODE_FLAGS=--cpu-prof-interval=100 samples finer.
 *   node --import tsx scripts/bench/repro/suiteFirsts.ts
 */
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { benchDatabaseUrl, freshDatabase, seedBookings, seedGym, seedSessions, seedWaitlist } from "../lib/data.js";
import { mainThreadCpuSeconds, startSpotter } from "../lib/procs.js";
import { clock, Rng } from "../lib/seeded.js";
import { ask, closeAll, command, connect, connectMany, type Socket } from "../lib/sockets.js";
import { summarizeProfile } from "../profile.js";

const bench = await freshDatabase(
  benchDatabaseUrl(process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/spotter_bench", `firsts_${process.pid}`),
);
const secret = "bench-secret-".padEnd(40, "x");
const rng = new Rng(`firsts:${Date.now()}`);
interface Profile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const line = (label: string, xs: number[]) => console.log(`${label}: ${xs.map((x, i) => `#${i}:${x.toFixed(1)}`).join(" ")}`);
// TIMES=1: each sample's start (UTC, ms), to line up with PostgreSQL's statement log (PG_LOG=1) and the server's log.
const starts = new Map<string, number[]>();
const started = (kind: string) => starts.set(kind, [...(starts.get(kind) ?? []), Date.now()]);
const clockTimes = (kind: string) =>
  process.env.TIMES &&
  console.log(`${kind} at: ${(starts.get(kind) ?? []).map((t, i) => `#${i}:${new Date(t).toISOString().slice(17, 23)}`).join(" ")}`);
try {
  const coldGym = await seedGym(bench.pool, rng, "firsts-cold", 250);
  const coldSessions = await seedSessions(bench.pool, rng, coldGym, 20, 200, 24 * 60);
  for (const s of coldSessions) {
    await seedBookings(bench.pool, rng, coldGym.gymId, s, coldGym.members.slice(0, 200));
    await seedWaitlist(bench.pool, rng, coldGym.gymId, s, coldGym.members.slice(200));
  }
  const waitGym = await seedGym(bench.pool, rng, "firsts-wait", 60);
  const [waitSession] = await seedSessions(bench.pool, rng, waitGym, 1, 20, 24 * 60);
  await seedBookings(bench.pool, rng, waitGym.gymId, waitSession!, waitGym.members.slice(0, 20));
  const waiters = waitGym.members.slice(20);
  await seedWaitlist(bench.pool, rng, waitGym.gymId, waitSession!, waiters);
  const deskGym = await seedGym(bench.pool, rng, "firsts-desk", 150);
  const deskSessions = await seedSessions(bench.pool, rng, deskGym, 5, 30, 10);
  for (let i = 0; i < 5; i++)
    await seedBookings(
      bench.pool,
      rng,
      deskGym.gymId,
      deskSessions[i]!,
      deskGym.members.filter((_, j) => j % 5 === i),
    );

  const trace = !process.env.PROFILE;
  if (trace)
    process.env.BENCH_SPOTTER_NODE_FLAGS = `${process.env.BENCH_SPOTTER_NODE_FLAGS ?? ""} --import ./scripts/bench/lib/hopTrace.ts`;
  const server = await startSpotter({
    databaseUrl: bench.url,
    redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    jwtSecret: secret,
    transport: "uws",
    cpus: undefined,
    // PG_LOG=1: PostgreSQL logs each of this server's statements with its wall time (pg reads PGOPTIONS).
    env: {
      ...(process.env.WARM_UP_MS ? { WARM_UP_MS: process.env.WARM_UP_MS } : {}),
      ...(process.env.PG_LOG ? { PGOPTIONS: "-c log_min_duration_statement=0" } : {}),
      HOP_TRACE_EACH: "1",
      HOP_TRACE_FRAMES: "command,room:join",
      HOP_TRACE_PICK: process.env.HOP_TRACE_PICK ?? "0",
    },
    ...(process.env.PROFILE ? { cpuProfDir: process.env.PROFILE } : {}),
  });
  if (process.env.TIMES) console.log(`server healthy at ${new Date().toISOString().slice(11, 23)}, database ${bench.url.split("/").pop()}`);
  // The profile's clock is CLOCK_MONOTONIC in µs, as hrtime is here: windows of the firsts of each kind.
  const us = () => Number(process.hrtime.bigint() / 1000n);
  const windows: { label: string; fromUs: number; toUs: number }[] = [];
  const sockets: Socket[] = [];
  const cpu0 = mainThreadCpuSeconds(server.pid);
  try {
    const desk = await connect(server.url, secret, coldGym.deskId);
    sockets.push(desk);
    const cold: number[] = [];
    for (const [i, id] of coldSessions.entries()) {
      const [t0, w0] = [clock(), us()];
      started("cold join");
      await ask(desk, "room:join", { room: `class:${id}` });
      cold.push(clock() - t0);
      if (i < 2 || i === 10) windows.push({ label: `cold join #${i}`, fromUs: w0, toUs: us() });
      await ask(desk, "room:leave", { room: `class:${id}` });
      await sleep(10);
    }
    line("cold join ms", cold);
    clockTimes("cold join");
    const cancellers = await connectMany(server.url, secret, [...waitGym.members.slice(0, 20), ...waiters].slice(0, 30));
    const listeners = await connectMany(server.url, secret, waiters.slice(0, 30));
    sockets.push(...cancellers, ...listeners);
    const noticed = new Map<number, number>();
    await Promise.all(
      listeners.map(async (s, i) => {
        s.on("room:delta", (d: { ops: unknown[] }) => {
          if (!noticed.has(i) && JSON.stringify(d.ops).includes('"promoted"')) noticed.set(i, clock());
        });
        await ask(s, "room:join", { room: `user:${waiters[i]}` });
      }),
    );
    const notices: number[] = [];
    for (let i = 0; i < 30; i++) {
      const [t0, w0] = [clock(), us()];
      started("notice");
      await ask(
        cancellers[i]!,
        "command",
        command(`cancel-${i}-${waitSession!.slice(0, 8)}`, `class:${waitSession}`, "class:cancelBooking", { sessionId: waitSession }),
      );
      for (const deadline = clock() + 5_000; !noticed.has(i) && clock() < deadline;) await sleep(1);
      notices.push(noticed.get(i)! - t0);
      if (i < 2 || i === 15) windows.push({ label: `cancel → notice #${i}`, fromUs: w0, toUs: us() });
      await sleep(20);
    }
    line("notice ms", notices);
    clockTimes("notice");
    const staff = await connect(server.url, secret, deskGym.deskId);
    sockets.push(staff);
    await ask(staff, "room:join", { room: `gym:${deskGym.gymId}` });
    const start = clock() + 20;
    const desks: Promise<number>[] = [];
    for (let i = 0; i < 150; i++) {
      await sleep(start + i * 20 - clock());
      const [t0, w0] = [clock(), us()];
      desks.push(
        ask(
          staff,
          "command",
          command(`desk-${i}-${deskGym.gymId.slice(0, 8)}`, `gym:${deskGym.gymId}`, "gym:checkIn", { memberId: deskGym.members[i] }),
        ).then(() => {
          if (i < 6 || i === 100) windows.push({ label: `check-in #${i}`, fromUs: w0, toUs: us() });
          return clock() - t0;
        }),
      );
    }
    line("check-in ms", await Promise.all(desks));
    console.log(`server main thread: ${((mainThreadCpuSeconds(server.pid) - cpu0) * 1000).toFixed(0)} ms of CPU after start-up`);
  } finally {
    closeAll(sockets);
    const exit = await server.stop();
    if (exit.code !== 0 || /"level":(50|60)/.test(exit.stderr)) console.log(`server exited ${exit.code}: ${exit.stderr.slice(-3_000)}`);
  }
  if (trace) {
    const file = `/tmp/hoptrace-${server.pid}.log`;
    console.log(readFileSync(file, "utf8"));
    rmSync(file, { force: true });
  } else {
    // Main-thread time busy (not idle) in each window: the profile's samples, whatever else the machine runs.
    const dir = process.env.PROFILE!;
    const file = readdirSync(dir)
      .filter((f) => f.endsWith(".cpuprofile"))
      .map((f) => join(dir, f))
      .sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
    const p = JSON.parse(readFileSync(file, "utf8")) as Profile;
    const idle = new Set(p.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
    const gc = new Set(p.nodes.filter((n) => n.callFrame.functionName === "(garbage collector)").map((n) => n.id));
    for (const w of windows) {
      let [busy, collecting, t] = [0, 0, p.startTime];
      p.samples.forEach((id, i) => {
        const dt = p.timeDeltas[i] ?? 0;
        t += dt;
        if (t < w.fromUs || t > w.toUs || idle.has(id)) return;
        busy += dt;
        if (gc.has(id)) collecting += dt;
      });
      console.log(
        `${w.label}: main thread busy ${(busy / 1000).toFixed(1)} ms (GC ${(collecting / 1000).toFixed(1)}) of ${((w.toUs - w.fromUs) / 1000).toFixed(1)} ms`,
      );
    }
    if (process.env.VERBOSE) for (const w of windows) console.log(`\n=== ${w.label}\n${summarizeProfile(dir, 25, w)}`);
    // TOP=n: each window's n heaviest functions by self time, in ms (a first sample's one-off costs, by name).
    const top = Number(process.env.TOP ?? 0);
    const byId = new Map(p.nodes.map((n) => [n.id, n.callFrame]));
    for (const w of top > 0 ? windows : []) {
      const self = new Map<string, number>();
      let t = p.startTime;
      p.samples.forEach((id, i) => {
        t += p.timeDeltas[i] ?? 0;
        const f = byId.get(id)!;
        if (t < w.fromUs || t > w.toUs || idle.has(id)) return;
        const key = `${f.functionName || "(anon)"} ${f.url.replace(/^.*\/(node_modules|wt-[^/]+)\//, "")}:${f.lineNumber + 1}`;
        self.set(key, (self.get(key) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
      });
      const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, top);
      console.log(`${w.label}, self ms: ${rows.map(([k, ms]) => `${ms.toFixed(1)} ${k}`).join(" | ")}`);
    }
  }
} finally {
  await bench.drop();
}
