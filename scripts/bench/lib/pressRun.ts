/**
 * One "everyone presses book" run against one system, shared by the booking storm and the booking window:
 * a fresh server (with lib/serverProbe.ts, and a CPU profile when asked), the storm load generators, and
 * what the run cost — server, PostgreSQL and generator CPU over the window from "go" to the last answer.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StormAnswer, StormPress } from "../workers/storm.js";
import { split, startSystem, startWorkers, stopAll, type BenchContext, type System } from "./context.js";
import { generatorCount, measureGenerators, type GeneratorLoad } from "./generators.js";
import { cpuSeconds, postgresCpuSeconds, runQueueWaitSeconds } from "./procs.js";
import type { ProfileRef } from "./report.js";
import { all } from "./rpc.js";
import { clock } from "./seeded.js";
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
  /** What lib/serverProbe.ts recorded in the server (null if the server did not exit cleanly). */
  probe: ProbeRecord | null;
  profile?: ProfileRef;
}

const NotDecided = new Set(["TIMEOUT", "INTERNAL", "UNAVAILABLE"]);

/** Runs `presses` against a fresh `system`; `key` names the scenario (generator sizing, files). */
export async function runPresses(ctx: BenchContext, key: string, system: System, presses: StormPress[], generators: number): Promise<PressRun> {
  const probeFile = join(tmpdir(), `spotter-bench-probe-${process.pid}-${key}-${system}-${ctx.run}.json`);
  rmSync(probeFile, { force: true });
  const profDir = ctx.profileDir ? join(ctx.profileDir, `${key}-${system}`) : undefined;
  if (profDir) mkdirSync(profDir, { recursive: true });
  const server = await startSystem(ctx, system, profDir, probeFile);
  const workers = startWorkers(ctx, "storm", generatorCount(key, generators));
  let probe: ProbeRecord | null = null;
  let measured: Omit<PressRun, "probe">;
  try {
    const slices = split(presses, workers.length);
    await all(workers, "setup", (i) => ({ url: server.url, secret: ctx.secret, presses: slices[i] }));
    const cpu0 = cpuSeconds(server.pid);
    const pg0 = postgresCpuSeconds();
    const wait0 = runQueueWaitSeconds(server.pid);
    const go = clock() + 500;
    const load = measureGenerators(ctx, `${key} (${system})`, workers, go);
    const answers = (await all<StormAnswer[]>(workers, "fire", () => ({ go }))).flat();
    const cpu = cpuSeconds(server.pid) - cpu0;
    const pg = postgresCpuSeconds() - pg0;
    const wait = runQueueWaitSeconds(server.pid) - wait0;
    const gen = load();
    // The profile's clock is CLOCK_MONOTONIC in µs, as process.hrtime here.
    const hrUs = Number(process.hrtime.bigint() / 1000n);
    const toHr = (t: number) => hrUs + (t - clock()) * 1000;
    await all(workers, "close", () => undefined);
    const done = Math.max(...answers.map((a) => a.ackAt));
    const lat = summary(answers.map((a) => a.ackAt - a.sentAt));
    measured = {
      answers, go, done,
      totalMs: done - go,
      p50: lat.p50,
      p99: lat.p99,
      committed: answers.filter((a) => a.ok).length,
      durable: answers.filter((a) => a.ok || !NotDecided.has(a.code ?? "")).length,
      serverCpuMsPerAnswer: (cpu * 1000) / answers.length,
      postgresCpuMsPerAnswer: (pg * 1000) / answers.length,
      starved: (wait * 1000) / (done - go),
      slow: (answers.filter((a) => a.ackAt - a.sentAt > 60_000).length * 100) / answers.length,
      generators: gen,
      ...(profDir ? { profile: { label: `${key}: ${system}`, dir: profDir, fromUs: toHr(go), toUs: toHr(done), answers: answers.length } } : {}),
    };
  } finally {
    await stopAll(workers);
    const exit = await server.stop();
    if (exit.code !== 0 || /"level":(40|50|60)/.test(exit.stderr)) ctx.log(`${key}: ${server.name} exited ${exit.code}: ${exit.stderr.slice(-2_000)}`);
    // The probe writes at exit, so it is read once the server has stopped.
    if (existsSync(probeFile)) {
      probe = JSON.parse(readFileSync(probeFile, "utf8")) as ProbeRecord;
      rmSync(probeFile, { force: true });
      for (const [i, t] of probe.samples.entries()) ctx.log(`${key} (${system}): committed transaction ${i + 1}:\n    ${t.join("\n    ")}`);
    }
  }
  return { ...measured, probe };
}
