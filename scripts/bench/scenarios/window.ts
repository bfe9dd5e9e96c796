/**
 * 10. Booking window opens: N connected members press "book" on 10 hot classes (capacity 20) within one
 * second of the booking window opening — popular classes that fill within seconds. The row lock serializes
 * every request of a class; the room actor should not. Besides speed it judges fairness: each class's
 * bookings should go to its first 20 arrivals at the server (arrival = the order Socket.IO hands the
 * `command` event to JavaScript in the server process, recorded the same way in both servers by
 * lib/serverProbe.ts).
 */
import { DefaultGymPolicy } from "../../../domain/policy.js";
import { fairness, roundTrips, type Fairness, type RoundTrips } from "../lib/arrivals.js";
import { SystemLabels, type BenchContext, type System } from "../lib/context.js";
import { seedGym, seedSessions } from "../lib/data.js";
import { runPresses, type PressRun } from "../lib/pressRun.js";
import type { Check, Figure, Outcome, ProfileRef } from "../lib/report.js";
import { Rng } from "../lib/seeded.js";
import type { StormPress } from "../workers/storm.js";
import { verifyStorm } from "./storm.js";

const CLASSES = 10;
const CAPACITY = 20;
const SPREAD_MS = 1_000;
const KEY = "window";

interface Measured extends PressRun {
  fair: Fairness | null;
  trips: RoundTrips | null;
  checks: Check[];
}

async function once(ctx: BenchContext, system: System, members: number): Promise<Measured> {
  const data = new Rng(`window:${system}:${ctx.run}`);
  const plan = new Rng(`window:plan:${ctx.run}`);
  const gym = await seedGym(ctx.db, data, `window-${system}-${ctx.run}`, members);
  // Sessions a week out with the default policy: their booking window opens now, seconds before "go".
  const sessions = await seedSessions(ctx.db, data, gym, CLASSES, CAPACITY, DefaultGymPolicy.bookingOpensMinutes);
  const presses: StormPress[] = gym.members.map((userId, i) => ({
    userId,
    sessionId: sessions[plan.int(CLASSES)]!,
    commandId: `window-${ctx.run}-${i}-${plan.u32().toString(36)}`,
    offsetMs: plan.next() * SPREAD_MS,
  }));
  const run = await runPresses(ctx, KEY, system, presses, Math.max(2, Math.ceil(members / 750)));
  const scenario = `10 booking window opens (${system})`;
  const checks = await verifyStorm(ctx, scenario, gym.gymId, run.answers);
  const fair = run.probe ? fairness(presses, run.answers, run.probe, CAPACITY) : null;
  const trips = run.probe ? roundTrips(run.probe, run.go, run.done, run.answers.length) : null;
  checks.push(
    { scenario, name: "every class filled (capacity booked)", ok: run.committed === CLASSES * CAPACITY, detail: `${run.committed} booked of ${CLASSES * CAPACITY}` },
    {
      scenario, name: "the server probe saw every press arrive once", ok: fair !== null && fair.arrived === presses.length,
      detail: fair ? `${fair.arrived} of ${presses.length}` : "no probe record (the server did not exit cleanly)",
    },
  );
  return { ...run, fair, trips, checks };
}

export async function bookingWindow(ctx: BenchContext): Promise<Outcome> {
  const members = ctx.members ?? (ctx.quick ? 1_000 : 3_000);
  const order: System[] = ctx.run % 2 === 0 ? ["spotter", "baseline"] : ["baseline", "spotter"];
  const got = {} as Record<System, Measured>;
  for (const system of order) {
    ctx.log(`booking window: ${members} members on ${CLASSES} classes on ${system}`);
    got[system] = await once(ctx, system, members);
  }
  const s = got.spotter;
  const b = got.baseline;
  const bound = s.generators.bound || b.generators.bound;
  const scenario = "10 booking window opens";
  const f = (metric: string, value: number, baseline: number | null, unit: string, target?: Figure["target"]): Figure => ({
    scenario, metric, value, baseline, unit, against: SystemLabels.baseline, ...(target ? { target } : {}), ...(bound ? { generatorBound: true } : {}),
  });
  const perSecond = (r: Measured) => (r.durable * 1000) / r.totalMs;
  const nan = (x: number | undefined) => x ?? NaN;
  return {
    figures: [
      f(`durable answers/s (${members} members, ${CLASSES} classes)`, perSecond(s), perSecond(b), "/s", { op: ">=", value: 10, on: "ratio" }),
      f("ack p50", s.p50, b.p50, "ms"),
      f("ack p99", s.p99, b.p99, "ms", { op: "<=", value: 0.2, on: "ratio" }),
      f("time to all durable answers", s.totalMs, b.totalMs, "ms"),
      f("bookings out of arrival order", nan(s.fair?.outOfOrder), nan(b.fair?.outOfOrder), "", { op: "<=", value: 0, on: "value" }),
      f(`latest arrival rank booked (fair: ${CAPACITY})`, nan(s.fair?.worstRank), nan(b.fair?.worstRank), ""),
      f("server + PostgreSQL CPU per answer", s.serverCpuMsPerAnswer + s.postgresCpuMsPerAnswer, b.serverCpuMsPerAnswer + b.postgresCpuMsPerAnswer, "ms", { op: "<=", value: 0.3, on: "value" }),
      f("server process CPU per answer", s.serverCpuMsPerAnswer, b.serverCpuMsPerAnswer, "ms"),
      f("PostgreSQL CPU per answer", s.postgresCpuMsPerAnswer, b.postgresCpuMsPerAnswer, "ms"),
      f("PostgreSQL round trips per commit (mean, BEGIN+COMMIT incl.)", nan(s.trips?.mean), nan(b.trips?.mean), ""),
      f("PostgreSQL round trips per commit (max)", nan(s.trips?.max), nan(b.trips?.max), "", { op: "<=", value: 3, on: "value" }),
      f("answers per commit", s.durable / nan(s.trips?.commits), b.durable / nan(b.trips?.commits), ""),
      f("PostgreSQL round trips per answer (all)", nan(s.trips?.perAnswer), nan(b.trips?.perAnswer), ""),
      f("load generator CPU, busiest process", s.generators.busiest * 100, b.generators.busiest * 100, "%", { op: "<=", value: 70, on: "value" }),
      f("server waiting for a CPU (noise)", s.starved * 100, b.starved * 100, "%"),
    ],
    checks: [...s.checks, ...b.checks],
    profiles: [s.profile, b.profile].filter((p): p is ProfileRef => p !== undefined),
  };
}
