/**
 * 2. Fan-out and 3. connections. At each size, a fresh server; every watcher joins one class room;
 * the desk books a member every 50 ms; each watcher notes when every booking count reaches it.
 * Before the bookings, server RSS per idle subscribed connection = (RSS with watchers − RSS before) / watchers.
 * Spotter (uWS) against Spotter on node:http, the bare row-lock baseline server and the no-op Socket.IO
 * server on uWS (the ceiling: what Socket.IO and uWS alone cost per delivered delta on this machine).
 * `--systems` picks a subset (e.g. `spotter,noop` at 10,000 watchers, where the baseline takes minutes).
 */
import { seedGym, seedSessions, type GymSeed } from "../lib/data.js";
import { sleep, split, startSystem, startWorkers, stopAll, type BenchContext, type System } from "../lib/context.js";
import { generatorCount, measureGenerators, type GeneratorLoad } from "../lib/generators.js";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { cpuSeconds, mainThreadCpuSeconds, rssBytes, runQueueWaitSeconds } from "../lib/procs.js";
import type { Figure, Outcome, ProfileRef } from "../lib/report.js";
import { all } from "../lib/rpc.js";
import { Rng } from "../lib/seeded.js";
import { concat, summary } from "../lib/stats.js";

const INTERVAL_MS = 50;
const PER_WORKER = 2_500;
const Systems: System[] = ["spotter", "spotter-node", "baseline", "noop"];
const Against: Partial<Record<System, [string, string]>> = {
  "spotter-node": ["node", "Spotter TRANSPORT=node"],
  baseline: ["row-lock", "row-lock baseline server (node:http + Socket.IO + pg), broadcasting after each commit"],
  noop: ["no-op Socket.IO", "no-op Socket.IO server on uWS (io.attachApp): acks at once, publishes one delta per booking"],
};

interface Level {
  p50: number;
  p99: number;
  max: number;
  missing: number;
  dropped: number;
  gaps: number;
  resets: number;
  dropReasons: string[];
  bookFailures: string[];
  joinFailures: string[];
  kibPerConnection: number;
  serverCpuShare: number;
  bookAckP50: number;
  spreadP99: number;
  starved: number;
  watchers: number;
  generators: GeneratorLoad;
  /** Deltas that reached a watcher in the window. */
  delivered: number;
  /** Delta frames a watcher received per booking it saw (1: a frame per booking; below 1: bookings shared frames). */
  framesPerDelivery: number;
  /** Server process CPU per delivered delta, µs (load-independent, unlike the latencies). */
  serverUsPerDelivery: number;
  /** All generator processes' CPU per delivered delta, µs. */
  generatorUsPerDelivery: number;
  profile?: ProfileRef;
}

async function once(ctx: BenchContext, system: System, gym: GymSeed, watchers: number, bookings: number, rng: Rng): Promise<Level> {
  const [sessionId] = await seedSessions(ctx.db, rng, gym, 1, bookings, 24 * 60);
  const bookers = gym.members.slice(0, bookings);
  const watcherIds = Array.from({ length: watchers }, (_, i) => gym.members[bookings + (i % (gym.members.length - bookings))]!);
  // With --profile: the server's CPU profile over the bookings, charged to layers per booking (each booking is one delta to every watcher).
  const profDir = ctx.profileDir && system !== "baseline" ? join(ctx.profileDir, `fanout-${watchers}-${system}`) : undefined;
  if (profDir) mkdirSync(profDir, { recursive: true });
  const server = await startSystem(ctx, system, profDir);
  const watch = startWorkers(ctx, "watch", generatorCount(`fanout-${watchers}`, Math.ceil(watchers / PER_WORKER)));
  const [drive] = startWorkers(ctx, "drive", 1);
  try {
    await sleep(ctx.quick ? 300 : 1_000);
    const rss0 = rssBytes(server.pid);
    const parts = split(watcherIds, watch.length);
    const joined = await all<{ joinFailures: string[] }>(
      watch,
      "setup",
      (i) => ({ url: server.url, secret: ctx.secret, userIds: parts[i], room: `class:${sessionId}`, maxBookings: bookings }),
      600_000,
    );
    const joinFailures = joined.flatMap((j) => j.joinFailures);
    await sleep(ctx.quick ? 1_000 : 3_000);
    const rss1 = rssBytes(server.pid);
    const cpu0 = cpuSeconds(server.pid);
    const wait0 = runQueueWaitSeconds(server.pid);
    const main0 = mainThreadCpuSeconds(server.pid);
    const hr0 = Number(process.hrtime.bigint() / 1000n);
    const t0 = performance.now();
    const load = measureGenerators(ctx, `fanout-${watchers} (${system})`, watch);
    const gen0 = watch.reduce((n, w) => n + w.cpuSeconds(), 0);
    const sent = await drive!.call<{ sentAt: number; ackMs: number; ok: boolean; code: string | null; count: number | null }[]>("book", {
      url: server.url,
      secret: ctx.secret,
      deskId: gym.deskId,
      sessionId,
      capacity: bookings,
      members: bookers,
      intervalMs: INTERVAL_MS,
    });
    await sleep(ctx.quick ? 500 : 1_000);
    // A loaded machine (or a hot room's held publish) can still be writing the last deltas: wait for every watcher to
    // show the last count (at most 10 s more), so a late delta is measured late instead of counted missing.
    const final = Math.max(0, ...sent.map((s) => (s.ok ? (s.count ?? 0) : 0)));
    for (const until = performance.now() + 10_000; performance.now() < until; await sleep(100)) {
      const behind = await all<number>(watch, "behind", () => ({ count: final }));
      if (behind.every((n) => n === 0)) break;
    }
    const wall = (performance.now() - t0) / 1000;
    const serverCpu = cpuSeconds(server.pid) - cpu0;
    const mainThreadCpuMs = (mainThreadCpuSeconds(server.pid) - main0) * 1000;
    const hr1 = Number(process.hrtime.bigint() / 1000n);
    const serverCpuShare = serverCpu / wall;
    const generatorCpu = watch.reduce((n, w) => n + w.cpuSeconds(), 0) - gen0;
    const starved = (runQueueWaitSeconds(server.pid) - wait0) / wall;
    const generators = load();
    const table = new Float64Array(bookings + 2).fill(NaN);
    for (const s of sent) if (s.ok && s.count !== null && s.count < table.length) table[s.count] = s.sentAt;
    type Got = {
      latencies: Float64Array;
      first: Float64Array;
      last: Float64Array;
      missing: number;
      dropped: number;
      gaps: number;
      resets: number;
      frames: number;
      reasons: string[];
    };
    const got = await all<Got>(watch, "latencies", () => ({ sent: table }));
    const lat = summary(concat(got.map((g) => g.latencies)));
    const delivered = got.reduce((n, g) => n + g.latencies.length, 0);
    // Delivery spread of booking k: first watcher to last watcher (pure fan-out, no command processing).
    const spread: number[] = [];
    for (let k = 1; k < table.length; k++) {
      const lo = Math.min(...got.map((g) => g.first[k]!));
      const hi = Math.max(...got.map((g) => g.last[k]!));
      if (Number.isFinite(lo) && Number.isFinite(hi)) spread.push(hi - lo);
    }
    return {
      ...lat,
      missing: got.reduce((n, g) => n + g.missing, 0),
      dropped: got.reduce((n, g) => n + g.dropped, 0),
      gaps: got.reduce((n, g) => n + g.gaps, 0),
      resets: got.reduce((n, g) => n + g.resets, 0),
      dropReasons: [...new Set(got.flatMap((g) => g.reasons))],
      bookFailures: sent.flatMap((s) => (s.ok ? [] : [s.code ?? "?"])),
      joinFailures,
      kibPerConnection: (rss1 - rss0) / 1024 / watchers,
      serverCpuShare,
      bookAckP50: summary(sent.map((x) => x.ackMs)).p50,
      spreadP99: summary(spread).p99,
      starved,
      watchers,
      generators,
      delivered,
      framesPerDelivery: got.reduce((n, g) => n + g.frames, 0) / delivered,
      serverUsPerDelivery: (serverCpu * 1e6) / delivered,
      generatorUsPerDelivery: (generatorCpu * 1e6) / delivered,
      ...(profDir
        ? {
            profile: {
              label: `fanout ${watchers} watchers: ${system} (per booking)`,
              dir: profDir,
              fromUs: hr0,
              toUs: hr1,
              answers: sent.length,
              mainThreadCpuMs,
              processCpuMs: serverCpu * 1000,
            },
          }
        : {}),
    };
  } finally {
    await Promise.allSettled([...watch, drive!].map((w) => w.call("close")));
    await stopAll([...watch, drive!]);
    const exit = await server.stop();
    if (exit.code !== 0 || /"level":(40|50|60)/.test(exit.stderr))
      ctx.log(`fanout: ${server.name} exited ${exit.code}: ${exit.stderr.slice(-2_000)}`);
  }
}

export async function fanout(ctx: BenchContext): Promise<Outcome> {
  const levels = ctx.watchers ?? (ctx.quick ? [1_000] : [1_000, 5_000, 10_000]);
  const bookings = ctx.quick ? 40 : 200;
  const rng = new Rng(`fanout:${ctx.run}`);
  // Watchers are members too (joining needs a membership); bookers are invisible so deltas stay counts-only.
  const gym = await seedGym(ctx.db, rng, `fanout-${ctx.run}`, bookings + Math.max(...levels), false);
  const figures: Figure[] = [];
  const checks: Outcome["checks"] = [];
  const profiles: ProfileRef[] = [];
  let largest: Partial<Record<System, Level>> = {};
  for (const watchers of levels) {
    const got: Partial<Record<System, Level>> = {};
    const chosen = Systems.filter((x) => !ctx.systems || ctx.systems.includes(x));
    const order = ctx.run % 2 === 0 ? chosen : [...chosen].reverse();
    for (const system of order) {
      ctx.log(`fanout: ${watchers} watchers on ${system}`);
      got[system] = await once(ctx, system, gym, watchers, bookings, rng);
      const g = got[system]!;
      if (g.profile) profiles.push(g.profile);
      ctx.log(
        `fanout-${watchers} (${system}): ${g.delivered} deltas delivered in ${(g.framesPerDelivery * g.delivered).toFixed(0)} frames (${g.framesPerDelivery.toFixed(2)} per delivery), p50 ${g.p50.toFixed(0)} ms, p99 ${g.p99.toFixed(0)} ms, first→last watcher spread p99 ${g.spreadP99.toFixed(0)} ms; server ${g.serverUsPerDelivery.toFixed(2)} µs and generator ${g.generatorUsPerDelivery.toFixed(2)} µs CPU per delivered delta; server busy ${(g.serverCpuShare * 100).toFixed(0)} %, waiting for a CPU ${(g.starved * 100).toFixed(0)} %`,
      );
      checks.push({
        scenario: `2 fan-out ${watchers} (${system})`,
        name: "every watcher saw every booking, in order, without drops",
        ok: g.missing === 0 && g.dropped === 0 && g.gaps === 0 && g.bookFailures.length === 0 && g.joinFailures.length === 0,
        detail:
          `${g.missing} missed deliveries, ${g.gaps} sequence gaps, ${g.resets} room resets, ${g.dropped} dropped sockets${g.dropped ? ` (${g.dropReasons.join(",")})` : ""}, ${g.bookFailures.length} failed bookings${g.bookFailures.length ? ` (${[...new Set(g.bookFailures)].join(",")})` : ""}, ` +
          `${g.joinFailures.length} failed joins${g.joinFailures.length ? ` (${[...new Set(g.joinFailures)].join(",")})` : ""}`,
      });
    }
    largest = got;
    const s = got.spotter;
    for (const [base, [name, against]] of Object.entries(Against) as [System, [string, string]][]) {
      const b = got[base];
      if (!s || !b) continue;
      const bound = s.generators.bound || b.generators.bound;
      const scenario = `2 fan-out vs ${name}`;
      const f = (metric: string, value: number, baseline: number, unit: string, target?: Figure["target"]): Figure => ({
        scenario,
        metric: `${watchers} watchers ${metric}`,
        value,
        baseline,
        unit,
        against,
        ...(target ? { target } : {}),
        ...(bound ? { generatorBound: true } : {}),
      });
      figures.push(
        f("delta p50", s.p50, b.p50, "ms"),
        f("delta p99", s.p99, b.p99, "ms", watchers >= 10_000 ? { op: "<", value: 100, on: "value" } : undefined),
        f("delta max", s.max, b.max, "ms"),
        f("first→last watcher spread p99", s.spreadP99, b.spreadP99, "ms"),
        f("booking ack p50 (the desk)", s.bookAckP50, b.bookAckP50, "ms"),
        f("server CPU per delivered delta", s.serverUsPerDelivery, b.serverUsPerDelivery, "µs"),
        f("delta frames (socket writes) per delivered delta", s.framesPerDelivery, b.framesPerDelivery, "frames"),
        f("server CPU busy", s.serverCpuShare * 100, b.serverCpuShare * 100, "%"),
        f("server waiting for a CPU", s.starved * 100, b.starved * 100, "%"),
        f("load generator CPU, busiest process", s.generators.busiest * 100, b.generators.busiest * 100, "%", {
          op: "<=",
          value: 70,
          on: "value",
        }),
        f("load generator CPU per delivered delta", s.generatorUsPerDelivery, b.generatorUsPerDelivery, "µs"),
      );
    }
  }
  const top = Math.max(...levels);
  for (const [base, against] of [
    ["spotter-node", "Spotter TRANSPORT=node"],
    ["baseline", "row-lock baseline server (node:http + Socket.IO)"],
  ] as const) {
    if (!largest.spotter || !largest[base]) continue;
    figures.push({
      scenario: `3 connections vs ${base === "baseline" ? "row-lock" : "node"}`,
      metric: `RSS per idle subscribed socket at ${top}`,
      value: largest.spotter.kibPerConnection,
      baseline: largest[base].kibPerConnection,
      unit: "KiB",
      against,
      target: { op: "<=", value: 20, on: "value" },
    });
  }
  return { figures, checks, profiles };
}
