/**
 * 11. Schedule size: the same bookings (N members on 50 sessions of capacity 20) in a gym whose 7-day window
 * holds 50 sessions, then 500 — the other 450 idle. Spotter against itself: per-answer CPU should stay flat
 * as the schedule grows (a room's work should follow what changed, not the size of the gym's views).
 */
import { SystemLabels, type BenchContext } from "../lib/context.js";
import { seedGym, seedSessions } from "../lib/data.js";
import { pressesFor, runPresses, type PressRun } from "../lib/pressRun.js";
import type { Check, Figure, Outcome } from "../lib/report.js";
import { Rng } from "../lib/seeded.js";
import { verifyStorm } from "./storm.js";

const HOT = 50;
const CAPACITY = 20;
const SPREAD_MS = 1_000;
const SIZES = [50, 500] as const;
const WEEK_MIN = 7 * 24 * 60;

async function once(ctx: BenchContext, sessions: number, members: number): Promise<PressRun & { checks: Check[] }> {
  const data = new Rng(`schedule:${sessions}:${ctx.run}`);
  const plan = new Rng(`schedule:plan:${ctx.run}`);
  const gym = await seedGym(ctx.db, data, `schedule-${sessions}-${ctx.run}`, members);
  // Ten sessions per slot, slots spread over the week (the first slot holds the booked ones).
  const ids: string[] = [];
  const slots = Math.ceil(sessions / 10);
  for (let slot = 0; slot < slots; slot++) {
    const startsIn = 24 * 60 + Math.floor((slot * (WEEK_MIN - 2 * 24 * 60)) / slots);
    ids.push(...(await seedSessions(ctx.db, data, gym, Math.min(10, sessions - slot * 10), CAPACITY, startsIn)));
  }
  const hot = ids.slice(0, HOT);
  const presses = pressesFor(gym.members, hot, plan, `schedule-${sessions}-${ctx.run}`, SPREAD_MS);
  const run = await runPresses(ctx, `schedule-${sessions}`, "spotter", presses, Math.max(2, Math.ceil(members / 750)));
  return { ...run, checks: await verifyStorm(ctx, `11 schedule ${sessions} sessions`, gym.gymId, run.answers) };
}

export async function scheduleSize(ctx: BenchContext): Promise<Outcome> {
  const members = ctx.members ?? (ctx.quick ? 500 : 1_000);
  const order = ctx.run % 2 === 0 ? SIZES : [...SIZES].reverse();
  const got = new Map<number, PressRun & { checks: Check[] }>();
  for (const n of order) {
    ctx.log(`schedule: ${members} members booking 50 sessions, ${n} sessions in the week`);
    got.set(n, await once(ctx, n, members));
  }
  const big = got.get(500)!;
  const small = got.get(50)!;
  const bound = big.generators.bound || small.generators.bound ? { generatorBound: true } : {};
  const scenario = "11 schedule size";
  const against = `${SystemLabels.spotter}, the same bookings with 50 sessions in the 7-day window`;
  const f = (metric: string, value: number, baseline: number, unit: string, target?: Figure["target"]): Figure => ({
    scenario,
    metric,
    value,
    baseline,
    unit,
    against,
    ...(target ? { target } : {}),
    ...bound,
  });
  return {
    figures: [
      f(`server CPU per answer, 500 vs 50 sessions (${members} bookings)`, big.serverCpuMsPerAnswer, small.serverCpuMsPerAnswer, "ms", {
        op: "<=",
        value: 1.1,
        on: "ratio",
      }),
      f(
        "server + PostgreSQL CPU per answer, 500 vs 50 sessions",
        big.serverCpuMsPerAnswer + big.postgresCpuMsPerAnswer,
        small.serverCpuMsPerAnswer + small.postgresCpuMsPerAnswer,
        "ms",
      ),
      f("ack p99, 500 vs 50 sessions", big.p99, small.p99, "ms"),
    ],
    checks: [...small.checks, ...big.checks],
    profiles: [small.profile, big.profile].filter((p) => p !== undefined),
  };
}
