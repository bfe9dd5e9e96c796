/**
 * 1. Booking storm: N members over 100 sessions of capacity 20 all press "book" at once, so the figure is the
 * server's capacity (spread over one second, 1,000 presses offered 1,000/s and both servers answered at that
 * rate: the ratio measured the schedule). Spotter and the row-lock baseline each get their own gym with the
 * same shape and the same fixed-seed choices (who books which session), on a freshly started server.
 */
import type { BenchContext, System } from "../lib/context.js";
import { costFigures, figuresAgainstBaseline, pressScene, runPresses, type PressRun } from "../lib/pressRun.js";
import type { Check, Outcome, ProfileRef } from "../lib/report.js";
import type { StormAnswer, StormPress } from "../workers/storm.js";

const SESSIONS = 100;
const CAPACITY = 20;
/** Every member presses at "go" (no spread): the offered rate is unbounded, the answers come at the server's pace. */
export const STORM_SPREAD_MS = 0;

interface Measured extends PressRun {
  checks: Check[];
}

async function once(ctx: BenchContext, system: System, members: number): Promise<Measured> {
  const { gym, presses } = await pressScene(ctx, "storm", system, members, SESSIONS, CAPACITY, 24 * 60, STORM_SPREAD_MS);
  const warm: StormPress[][] = [];
  for (let i = 0; i < (ctx.warm ?? 0); i++)
    warm.push((await pressScene(ctx, `storm-warm${i || ""}`, system, members, SESSIONS, CAPACITY, 24 * 60, STORM_SPREAD_MS)).presses);
  const run = await runPresses(ctx, "storm", system, presses, ctx.quick ? 2 : 4, warm);
  return {
    ...run,
    checks: await verifyStorm(ctx, `1 storm (${system})`, gym.gymId, run.answers),
  };
}

/** No oversell, every acked booking stored, nothing stored for an error answer, nothing unanswered. */
export async function verifyStorm(ctx: BenchContext, scenario: string, gymId: string, answers: StormAnswer[]): Promise<Check[]> {
  const { rows: over } = await ctx.db.query<{ session_id: string; n: string; capacity: number }>(
    `select b.session_id, count(*) as n, s.capacity from booking b join class_session s on s.id = b.session_id
     where b.gym_id = $1 and b.status in ('booked', 'checked_in') group by b.session_id, s.capacity having count(*) > s.capacity`,
    [gymId],
  );
  const { rows } = await ctx.db.query<{ id: string; session_id: string; member_id: string }>(
    `select id, session_id, member_id from booking where gym_id = $1 and status in ('booked', 'checked_in')`,
    [gymId],
  );
  const stored = new Map(rows.map((r) => [r.id, r]));
  const storedPair = new Set(rows.map((r) => `${r.member_id}/${r.session_id}`));
  const lost = answers.filter(
    (a) => a.ok && (!a.bookingId || stored.get(a.bookingId)?.member_id !== a.userId || stored.get(a.bookingId)?.session_id !== a.sessionId),
  );
  // TIMEOUT is the client giving up, not an answer: such a command may still have been stored.
  const ghost = answers.filter((a) => !a.ok && a.code !== "TIMEOUT" && storedPair.has(`${a.userId}/${a.sessionId}`));
  const late = answers.filter((a) => a.code === "TIMEOUT" && storedPair.has(`${a.userId}/${a.sessionId}`)).length;
  const unanswered = answers.filter((a) => a.code === "TIMEOUT" || a.code === "INTERNAL" || a.code === "UNAVAILABLE");
  const acked = answers.filter((a) => a.ok).length;
  return [
    { scenario, name: "no oversell (booked ≤ capacity per session)", ok: over.length === 0, detail: `${over.length} oversold sessions` },
    { scenario, name: "every acked booking is in PostgreSQL", ok: lost.length === 0, detail: `${acked} acked, ${lost.length} missing` },
    {
      scenario,
      name: "no stored booking answered with an error",
      ok: ghost.length === 0,
      detail: `${ghost.length} of ${answers.length - acked} refusals stored`,
    },
    {
      scenario,
      name: "stored bookings = acked bookings",
      ok: rows.length === acked + late,
      detail: `${rows.length} stored, ${acked} acked, ${late} stored after the client gave up`,
    },
    {
      scenario,
      name: "every member got a durable answer (within 3 min)",
      ok: unanswered.length === 0,
      detail: `${unanswered.length} without one${unanswered.length ? ` (${[...new Set(unanswered.map((a) => a.code))].map((c) => `${c} ×${unanswered.filter((a) => a.code === c).length}`).join(", ")})` : ""}`,
    },
  ];
}

export async function storm(ctx: BenchContext): Promise<Outcome> {
  const members = ctx.members ?? (ctx.quick ? 1_000 : 5_000);
  const order: System[] = ctx.run % 2 === 0 ? ["spotter", "baseline"] : ["baseline", "spotter"];
  const got = {} as Record<System, Measured>;
  for (const system of order) {
    ctx.log(`storm: ${members} members on ${system}`);
    got[system] = await once(ctx, system, members);
  }
  const s = got.spotter;
  const b = got.baseline;
  const f = figuresAgainstBaseline(ctx.warm ? "1 booking storm, warm server" : "1 booking storm", s, b);
  return {
    figures: [
      f(
        `committed bookings/s (${members} members, all press at once)`,
        (s.committed * 1000) / s.totalMs,
        (b.committed * 1000) / b.totalMs,
        "/s",
        { op: ">=", value: 5, on: "ratio" },
        true,
      ),
      f("durable answers/s", (s.durable * 1000) / s.totalMs, (b.durable * 1000) / b.totalMs, "/s", undefined, true),
      f("time to all durable answers", s.totalMs, b.totalMs, "ms"),
      f("ack p50", s.p50, b.p50, "ms"),
      f("ack p99", s.p99, b.p99, "ms", { op: "<", value: 250, on: "value" }),
      f("answers slower than 60 s", s.slow, b.slow, "%"),
      ...costFigures(f, s, b),
    ],
    checks: [...s.checks, ...b.checks],
    profiles: [s.profile, b.profile].filter((p): p is ProfileRef => p !== undefined),
  };
}
