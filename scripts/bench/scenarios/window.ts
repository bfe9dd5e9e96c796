/**
 * 10. Booking window opens: N connected members press "book" on 10 hot classes (capacity 20) within one
 * second of the booking window opening — popular classes that fill within seconds. The window opens at a set time
 * after the server started and the members connected (as a real gym's does: scheduled long before), and the first
 * presses come at that instant. The row lock serializes
 * every request of a class; the room actor should not. Besides speed it judges fairness: each class's
 * bookings should go to its first 20 arrivals at the server (arrival = the order Socket.IO hands the
 * `command` event to JavaScript in the server process, recorded the same way in both servers by
 * lib/serverProbe.ts). The shape is the (N presses spread over one second), so the presses arrive at
 * N/s and no system answers faster: the durable-answers ratio is at most N/s ÷ the baseline's rate, a row of
 * its own, and a system answering at the offered rate is marked arrival-bound.
 */
import { DefaultGymPolicy } from "../../../domain/policy.js";
import { fairness, type Fairness } from "../lib/arrivals.js";
import type { BenchContext, System } from "../lib/context.js";
import { arrivalFigures, costFigures, figuresAgainstBaseline, pressScene, runPresses, type PressRun } from "../lib/pressRun.js";
import type { Check, Outcome, ProfileRef } from "../lib/report.js";
import { verifyStorm } from "./storm.js";

const CLASSES = 10;
const CAPACITY = 20;
const KEY = "window";
/** "Within one second of the booking window opening" (issue 15). */
const SPREAD_MS = 1_000;
/** From seeding the sessions to their booking window opening: time for a fresh server to start and the members to connect. */
const OPENS_AFTER_MS = 30_000;

interface Measured extends PressRun {
  fair: Fairness | null;
  checks: Check[];
}

async function once(ctx: BenchContext, system: System, members: number): Promise<Measured> {
  // Sessions a week out with the default policy, whose booking window opens OPENS_AFTER_MS after they are seeded: the
  // server starts and the members connect while it is shut, and the presses start at the opening (both systems alike;
  // Spotter loads what it will need ahead of an opening by itself, server/jobs/windowWarmJob.ts).
  const { gym, presses, sessionsFrom } = await pressScene(
    ctx,
    "window",
    system,
    members,
    CLASSES,
    CAPACITY,
    DefaultGymPolicy.bookingOpensMinutes + OPENS_AFTER_MS / 60_000,
    SPREAD_MS,
  );
  const opensAt = sessionsFrom + OPENS_AFTER_MS;
  const run = await runPresses(ctx, KEY, system, presses, Math.max(2, Math.ceil(members / 750)), [], opensAt);
  const scenario = `10 booking window opens (${system})`;
  ctx.log(`window (${system}): ${firstPresses(run)}`);
  const checks = await verifyStorm(ctx, scenario, gym.gymId, run.answers);
  const fair = run.probe ? fairness(presses, run.answers, run.probe, CAPACITY) : null;
  checks.push(
    {
      scenario,
      name: "every class filled (capacity booked)",
      ok: run.committed === CLASSES * CAPACITY,
      detail: `${run.committed} booked of ${CLASSES * CAPACITY}`,
    },
    {
      scenario,
      name: "the members were connected before the booking window opened (the presses started at the opening)",
      ok: run.lateMs === 0,
      detail: run.lateMs === 0 ? "on time" : `the members were connected ${Math.round(run.lateMs)} ms after the opening`,
    },
    {
      scenario,
      name: "the server probe saw every press arrive once",
      ok: fair !== null && fair.arrived === presses.length,
      detail: fair ? `${fair.arrived} of ${presses.length}` : "no probe record (the server did not exit cleanly)",
    },
  );
  return { ...run, fair, checks };
}

/** Each class's first press (the one a cold room made wait) against every press: what a warm-up ahead of the opening changes. */
function firstPresses(run: PressRun): string {
  const first = new Map<string, (typeof run.answers)[number]>();
  for (const a of run.answers) if (!first.has(a.sessionId) || a.sentAt < first.get(a.sessionId)!.sentAt) first.set(a.sessionId, a);
  const ms = (xs: number[]) => xs.map((x) => Math.round(x)).join(" ");
  const firsts = [...first.values()].sort((x, y) => x.sentAt - y.sentAt).map((a) => a.ackAt - a.sentAt);
  return `each class's first press answered in (ms, by send time) ${ms(firsts)}; all presses p50 ${run.p50.toFixed(1)} ms, p99 ${run.p99.toFixed(1)} ms`;
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
  const f = figuresAgainstBaseline("10 booking window opens", s, b);
  const perSecond = (r: Measured) => (r.durable * 1000) / r.totalMs;
  const nan = (x: number | undefined) => x ?? NaN;
  return {
    figures: [
      f(
        `durable answers/s (${members} members, ${CLASSES} classes)`,
        perSecond(s),
        perSecond(b),
        "/s",
        { op: ">=", value: 10, on: "ratio" },
        true,
      ),
      ...arrivalFigures(f, s, b, perSecond(b)),
      f("ack p50", s.p50, b.p50, "ms"),
      f("ack p99", s.p99, b.p99, "ms", { op: "<=", value: 0.2, on: "ratio" }),
      f("time to all durable answers", s.totalMs, b.totalMs, "ms"),
      f("bookings out of arrival order", nan(s.fair?.outOfOrder), nan(b.fair?.outOfOrder), "", { op: "<=", value: 0, on: "value" }),
      f(`latest arrival rank booked (fair: ${CAPACITY})`, nan(s.fair?.worstRank), nan(b.fair?.worstRank), ""),
      ...costFigures(f, s, b),
    ],
    checks: [...s.checks, ...b.checks],
    profiles: [s.profile, b.profile].filter((p): p is ProfileRef => p !== undefined),
  };
}
