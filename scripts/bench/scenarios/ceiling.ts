/**
 * The ceiling of the booking storm on this machine: the same presses (same members, sessions and offsets as
 * `storm`, same storm generators) against Spotter and against the no-op Socket.IO server on uWS
 * (`baseline/noop.ts`: acks at once, no database). The no-op server's CPU per answer is what Socket.IO and
 * uWS alone cost per command here — Spotter's "≤ 0.30 ms per answer" target is read against it — and its
 * answers per second bound what any server on this transport answers on one core.
 */
import { SystemLabels, type BenchContext, type System } from "../lib/context.js";
import { pressScene, runPresses, type PressRun } from "../lib/pressRun.js";
import type { Figure, Outcome, ProfileRef } from "../lib/report.js";
import { STORM_SPREAD_MS, verifyStorm } from "./storm.js";

const SESSIONS = 100;
const CAPACITY = 20;

export async function ceiling(ctx: BenchContext): Promise<Outcome> {
  const members = ctx.members ?? (ctx.quick ? 1_000 : 5_000);
  const order: System[] = ctx.run % 2 === 0 ? ["spotter", "noop"] : ["noop", "spotter"];
  const got = {} as Record<"spotter" | "noop", PressRun>;
  const checks: Outcome["checks"] = [];
  for (const system of order) {
    ctx.log(`ceiling: ${members} members on ${system}`);
    // The storm's shape (members, sessions, capacity, spread), so Spotter's figures here are comparable with the
    // storm's; its own seed, so both scenarios can run in one bench database (same ids would collide).
    const { gym, presses } = await pressScene(ctx, "ceiling", system, members, SESSIONS, CAPACITY, 24 * 60, STORM_SPREAD_MS);
    const run = await runPresses(ctx, "ceiling", system, presses, ctx.quick ? 2 : 4);
    got[system as "spotter" | "noop"] = run;
    if (system === "spotter") checks.push(...(await verifyStorm(ctx, "1c ceiling (spotter)", gym.gymId, run.answers)));
    else
      checks.push({
        scenario: "1c ceiling (noop)",
        name: "every press answered",
        ok: run.answers.every((a) => a.ok),
        detail: `${run.answers.filter((a) => !a.ok).length} not answered ok`,
      });
  }
  const s = got.spotter;
  const b = got.noop;
  const bound = s.generators.bound || b.generators.bound;
  const f = (metric: string, value: number, baseline: number, unit: string, target?: Figure["target"]): Figure => ({
    scenario: "1c storm vs no-op Socket.IO",
    metric,
    value,
    baseline,
    unit,
    against: SystemLabels.noop,
    ...(target ? { target } : {}),
    ...(bound ? { generatorBound: true } : {}),
  });
  return {
    figures: [
      f(`answers/s (${members} members)`, (s.answers.length * 1000) / s.totalMs, (b.answers.length * 1000) / b.totalMs, "/s"),
      f("ack p99", s.p99, b.p99, "ms"),
      f("server process CPU per answer", s.serverCpuMsPerAnswer, b.serverCpuMsPerAnswer, "ms"),
      f("server + PostgreSQL CPU per answer", s.serverCpuMsPerAnswer + s.postgresCpuMsPerAnswer, b.serverCpuMsPerAnswer, "ms", {
        op: "<=",
        value: 0.3,
        on: "value",
      }),
      f("load generator CPU, busiest process", s.generators.busiest * 100, b.generators.busiest * 100, "%", {
        op: "<=",
        value: 70,
        on: "value",
      }),
      f("server waiting for a CPU (noise)", s.starved * 100, b.starved * 100, "%"),
    ],
    checks,
    profiles: [s.profile, b.profile].filter((p): p is ProfileRef => p !== undefined),
  };
}
