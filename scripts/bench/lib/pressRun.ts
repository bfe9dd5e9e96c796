/**
 * One "everyone presses book" run against one system, shared by the booking storm and the booking window:
 * a fresh server (with lib/serverProbe.ts, and a CPU profile when asked), the storm load generators, and
 * what the run cost — server, PostgreSQL and generator CPU over the window from "go" to the last answer.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StormAnswer, StormPress } from "../workers/storm.js";
import { split, startSystem, startWorkers, stopAll, SystemLabels, type BenchContext, type System } from "./context.js";
import { generatorCount, measureGenerators, type GeneratorLoad } from "./generators.js";
import {
  cpuSeconds,
  mainThreadCpuSeconds,
  postgresCpuSeconds,
  runQueueWaitSeconds,
  threadCpuPerAnswer,
  threadCpuSeconds,
} from "./procs.js";
import { roundTrips, type RoundTrips } from "./arrivals.js";
import type { Figure, ProfileRef } from "./report.js";
import { all, type Worker } from "./rpc.js";
import { seedGym, seedSessions, type GymSeed } from "./data.js";
import { clock, profileClock, Rng } from "./seeded.js";
import type { ProbeRecord } from "./serverProbe.js";
import { summary } from "./stats.js";

export interface PressRun {
  answers: StormAnswer[];
  /** "go" and the last answer, on the bench clock. */
  go: number;
  done: number;
  totalMs: number;
  p50: number;
  p99: number;
  committed: number;
  /** Answers that are a decision: a booking or a refusal for a reason (not TIMEOUT, INTERNAL or UNAVAILABLE). */
  durable: number;
  serverCpuMsPerAnswer: number;
  postgresCpuMsPerAnswer: number;
  /** Share of the window the server's main thread waited for a CPU. */
  starved: number;
  /** Share of answers slower than 60 s, in %. */
  slow: number;
  generators: GeneratorLoad;
  /** How late "go" came after the instant asked for (0: on time, or none asked for): the members were still connecting. */
  lateMs: number;
  /** Presses per second the schedule offered (presses ÷ the span of their offsets; Infinity when all press at once). */
  offeredPerSecond: number;
  /** Durable answers came at ≥ 90 % of the offered rate: the run measured the arrival schedule, not the server's capacity. */
  arrivalBound: boolean;
  /** What lib/serverProbe.ts recorded in the server (null if the server did not exit cleanly). */
  probe: ProbeRecord | null;
  /** PostgreSQL round trips of the transactions in the window (null without a probe record). */
  trips: RoundTrips | null;
  profile?: ProfileRef;
}

/** Every member presses "book" once, on a session and at an offset in [0, `spreadMs`) drawn from `plan` (0: all at once). */
export function pressesFor(members: string[], sessions: string[], plan: Rng, tag: string, spreadMs = 1_000): StormPress[] {
  return members.map((userId, i) => ({
    userId,
    sessionId: sessions[plan.int(sessions.length)]!,
    commandId: `${tag}-${i}-${plan.u32().toString(36)}`,
    offsetMs: plan.next() * spreadMs,
  }));
}

/** A fresh gym of `members` for `key` on `system` with `count` sessions and its fixed-seed presses (same choices for every system). */
export async function pressScene(
  ctx: BenchContext,
  key: string,
  system: System,
  members: number,
  count: number,
  capacity: number,
  startsInMinutes: number,
  spreadMs: number,
): Promise<{ gym: GymSeed; presses: StormPress[]; sessionsFrom: number }> {
  const data = new Rng(`${key}:${system}:${ctx.run}`);
  const gym = await seedGym(ctx.db, data, `${key}-${system}-${ctx.run}`, members);
  // The instant (wall clock) the sessions' `startsInMinutes` counts from: once the members are seeded.
  const sessionsFrom = Date.now();
  const sessions = await seedSessions(ctx.db, data, gym, count, capacity, startsInMinutes, sessionsFrom);
  const presses = pressesFor(gym.members, sessions, new Rng(`${key}:plan:${ctx.run}`), `${key}-${ctx.run}`, spreadMs);
  return { gym, presses, sessionsFrom };
}

/** The arrival rate `presses` offer: their count ÷ the span of their offsets (Infinity when they all press at once). */
export function offeredRate(presses: StormPress[]): number {
  if (presses.length < 2) return Infinity;
  const offsets = presses.map((p) => p.offsetMs);
  const spanMs = Math.max(...offsets) - Math.min(...offsets);
  return spanMs > 0 ? (presses.length * 1000) / spanMs : Infinity;
}

/** A run answered at ≥ this share of the offered rate is arrival-bound: its rate is the schedule's, not the server's. */
export const ArrivalBoundShare = 0.9;

const NotDecided = new Set(["TIMEOUT", "INTERNAL", "UNAVAILABLE"]);

/**
 * Unmeasured storms before a measured one: each the same shape on another gym, its sockets closed after it. `to` gives
 * generator `i` its server and options (the `setup` message's, without the presses).
 */
export async function warmStorms(workers: Worker[], warmups: StormPress[][], to: (i: number) => Record<string, unknown>): Promise<void> {
  for (const warmup of warmups) {
    const slices = split(warmup, workers.length);
    await all(workers, "setup", (i) => ({ ...to(i), presses: slices[i] }));
    const go = clock() + 200;
    await all<StormAnswer[]>(workers, "fire", () => ({ go }));
    await all(workers, "close", () => undefined);
  }
}

/** Runs `presses` against a fresh `system`; `key` names the scenario (generator sizing, files). */
export async function runPresses(
  ctx: BenchContext,
  key: string,
  system: System,
  presses: StormPress[],
  generators: number,
  warmups: StormPress[][] = [],
  /** "Go" at this instant (wall clock, ms; e.g. a booking window opening), else half a second after the members connected. */
  goAt?: number,
): Promise<PressRun> {
  const probeFile = join(tmpdir(), `spotter-bench-probe-${process.pid}-${key}-${system}-${ctx.run}.json`);
  rmSync(probeFile, { force: true });
  const profDir = ctx.profileDir ? join(ctx.profileDir, `${key}-${system}`) : undefined;
  if (profDir) mkdirSync(profDir, { recursive: true });
  const server = await startSystem(ctx, system, profDir, probeFile);
  const workers = startWorkers(ctx, "storm", generatorCount(key, generators));
  let probe: ProbeRecord | null = null;
  let measured: Omit<PressRun, "probe" | "trips">;
  try {
    await warmStorms(workers, warmups, () => ({ url: server.url, secret: ctx.secret }));
    const slices = split(presses, workers.length);
    await all(workers, "setup", (i) => ({ url: server.url, secret: ctx.secret, presses: slices[i] }));
    // The bench's clock is the wall clock with sub-millisecond resolution: `goAt` on it, read in this process.
    const ready = clock();
    const asked = goAt === undefined ? ready + 500 : goAt - Date.now() + ready;
    const go = Math.max(ready, asked);
    // Costs are counted from half a second before "go", however long the members wait for it.
    await new Promise((r) => setTimeout(r, Math.max(0, go - 500 - clock())));
    const cpu0 = cpuSeconds(server.pid);
    const pg0 = postgresCpuSeconds();
    const wait0 = runQueueWaitSeconds(server.pid);
    const main0 = mainThreadCpuSeconds(server.pid);
    const threads0 = threadCpuSeconds(server.pid);
    const load = measureGenerators(ctx, `${key} (${system})`, workers, go);
    const answers = (await all<StormAnswer[]>(workers, "fire", () => ({ go }))).flat();
    const cpu = cpuSeconds(server.pid) - cpu0;
    const pg = postgresCpuSeconds() - pg0;
    const wait = runQueueWaitSeconds(server.pid) - wait0;
    const mainThreadCpuMs = (mainThreadCpuSeconds(server.pid) - main0) * 1000;
    ctx.log(
      `${key} (${system}): server CPU per answer by thread (ms): ${threadCpuPerAnswer(threads0, threadCpuSeconds(server.pid), answers.length)}`,
    );
    const gen = load();
    const toHr = profileClock();
    await all(workers, "close", () => undefined);
    const done = Math.max(...answers.map((a) => a.ackAt));
    if (profDir) ctx.log(`${key} (${system}): profile window ${Math.round(toHr(go))}..${Math.round(toHr(done))} µs (profile clock)`);
    const lat = summary(answers.map((a) => a.ackAt - a.sentAt));
    ctx.log(`${key} (${system}): ${describeTail(answers, go)}`);
    const durable = answers.filter((a) => a.ok || !NotDecided.has(a.code ?? "")).length;
    const offeredPerSecond = offeredRate(presses);
    const arrivalBound = (durable * 1000) / (done - go) >= ArrivalBoundShare * offeredPerSecond;
    if (arrivalBound)
      ctx.log(
        `${key} (${system}): ARRIVAL-BOUND — answered at ${((durable * 1000) / (done - go)).toFixed(0)}/s of an offered ${offeredPerSecond.toFixed(0)}/s`,
      );
    measured = {
      answers,
      go,
      done,
      totalMs: done - go,
      p50: lat.p50,
      p99: lat.p99,
      committed: answers.filter((a) => a.ok).length,
      durable,
      serverCpuMsPerAnswer: (cpu * 1000) / answers.length,
      postgresCpuMsPerAnswer: (pg * 1000) / answers.length,
      starved: (wait * 1000) / (done - go),
      slow: (answers.filter((a) => a.ackAt - a.sentAt > 60_000).length * 100) / answers.length,
      generators: gen,
      lateMs: go - asked,
      offeredPerSecond,
      arrivalBound,
      ...(profDir
        ? {
            profile: {
              label: `${key}: ${system}`,
              dir: profDir,
              fromUs: toHr(go),
              toUs: toHr(done),
              answers: answers.length,
              mainThreadCpuMs,
              processCpuMs: cpu * 1000,
            },
          }
        : {}),
    };
  } finally {
    await stopAll(workers);
    const exit = await server.stop();
    if (exit.code !== 0 || /"level":(40|50|60)/.test(exit.stderr))
      ctx.log(`${key}: ${server.name} exited ${exit.code}: ${exit.stderr.slice(-2_000)}`);
    // The probe writes at exit, so it is read once the server has stopped.
    if (existsSync(probeFile)) {
      probe = JSON.parse(readFileSync(probeFile, "utf8")) as ProbeRecord;
      rmSync(probeFile, { force: true });
      for (const [i, t] of probe.samples.entries()) ctx.log(`${key} (${system}): committed transaction ${i + 1}:\n    ${t.join("\n    ")}`);
    }
  }
  return { ...measured, probe, trips: probe ? roundTrips(probe, measured.go, measured.done, measured.answers.length) : null };
}

type FigureOf = (metric: string, value: number, baseline: number, unit: string, target?: Figure["target"]) => Figure;

/** For a rate figure: which systems answered at the schedule's offered rate (see `ArrivalBoundShare`), if any. */
export function arrivalBound(s: PressRun, b: PressRun, names: [string, string] = ["Spotter", "baseline"]): Pick<Figure, "arrivalBound"> {
  const bound = [s.arrivalBound ? names[0] : "", b.arrivalBound ? names[1] : ""].filter(Boolean);
  return bound.length ? { arrivalBound: bound.join(" and ") } : {};
}

/** A press scenario's figures against the row-lock baseline: generator-bound when either run was; `rate` ones may be arrival-bound. */
export function figuresAgainstBaseline(scenario: string, s: PressRun, b: PressRun) {
  const bound = s.generators.bound || b.generators.bound;
  return (metric: string, value: number, baseline: number | null, unit: string, target?: Figure["target"], rate = false): Figure => ({
    scenario,
    metric,
    value,
    baseline,
    unit,
    against: SystemLabels.baseline,
    ...(target ? { target } : {}),
    ...(bound ? { generatorBound: true } : {}),
    ...(rate ? arrivalBound(s, b) : {}),
  });
}

/**
 * The offered arrival rate, and the highest ratio a rate figure can show under it: a system cannot answer faster
 * than the presses arrive, so Spotter ÷ baseline ≤ offered rate ÷ the baseline's rate (nothing when all press at once).
 */
export function arrivalFigures(f: FigureOf, s: PressRun, b: PressRun, baselineRate: number): Figure[] {
  if (!Number.isFinite(s.offeredPerSecond)) return [];
  return [
    f("offered arrival rate (presses ÷ their spread)", s.offeredPerSecond, b.offeredPerSecond, "/s"),
    { ...f("highest possible rate ratio (offered ÷ baseline's rate)", s.offeredPerSecond / baselineRate, NaN, "×"), baseline: null },
  ];
}

/** What a run cost, `s` against `b`: CPU per answer (target ≤ 0.30 ms), PostgreSQL round trips (≤ 3 per commit), the generator, noise. */
export function costFigures(f: FigureOf, s: PressRun, b: PressRun): Figure[] {
  const nan = (x: number | undefined) => x ?? NaN;
  return [
    f(
      "server + PostgreSQL CPU per answer",
      s.serverCpuMsPerAnswer + s.postgresCpuMsPerAnswer,
      b.serverCpuMsPerAnswer + b.postgresCpuMsPerAnswer,
      "ms",
      { op: "<=", value: 0.3, on: "value" },
    ),
    f("server process CPU per answer", s.serverCpuMsPerAnswer, b.serverCpuMsPerAnswer, "ms"),
    f("PostgreSQL CPU per answer", s.postgresCpuMsPerAnswer, b.postgresCpuMsPerAnswer, "ms"),
    f("PostgreSQL round trips per commit (mean, BEGIN+COMMIT incl.)", nan(s.trips?.mean), nan(b.trips?.mean), ""),
    f("PostgreSQL round trips per commit (max)", nan(s.trips?.max), nan(b.trips?.max), "", { op: "<=", value: 3, on: "value" }),
    f("answers per commit", s.durable / nan(s.trips?.commits), b.durable / nan(b.trips?.commits), ""),
    f("PostgreSQL round trips per answer (all)", nan(s.trips?.perAnswer), nan(b.trips?.perAnswer), ""),
    f("load generator CPU, busiest process", s.generators.busiest * 100, b.generators.busiest * 100, "%", {
      op: "<=",
      value: 70,
      on: "value",
    }),
    f("server waiting for a CPU (noise)", s.starved * 100, b.starved * 100, "%"),
  ];
}

/**
 * Which answers make the tail (the slowest 1 %): when they were sent (ms after go), their rank among their class's
 * presses (1 = the class's first press: a cold room, its first commit), and when they were answered — so a tail of
 * cold starts tells itself apart from one of a stall mid-run.
 */
export function describeTail(answers: readonly StormAnswer[], go: number): string {
  const bySession = new Map<string, number[]>();
  for (const a of answers) {
    const list = bySession.get(a.sessionId) ?? [];
    list.push(a.sentAt);
    bySession.set(a.sessionId, list);
  }
  for (const list of bySession.values()) list.sort((x, y) => x - y);
  const slow = [...answers]
    .sort((x, y) => y.ackAt - y.sentAt - (x.ackAt - x.sentAt))
    .slice(0, Math.max(1, Math.ceil(answers.length / 100)));
  const ms = (t: number) => Math.round(t);
  const rows = slow.map((a) => {
    const rank = bySession.get(a.sessionId)!.indexOf(a.sentAt) + 1;
    return `${ms(a.ackAt - a.sentAt)} ms (sent +${ms(a.sentAt - go)}, rank ${rank} in its class, answered +${ms(a.ackAt - go)})`;
  });
  return `slowest 1 %: ${rows.join("; ")}`;
}
