/**
 * 8. Revocation → last staff frame: a coach watches a class's staff view (with a desk beside them) on one Spotter
 * node; the owner demotes the coach to member (`gym:setMembership`). Measured at the client: from sending the
 * demotion to the coach's `room:reset { reason: "access_revoked" }` — the last frame of the staff stream that
 * reaches them. Then the owner changes the class; the desk sees it, the coach must not. The coach is promoted
 * back and rejoins before the next round. No baseline (the row-lock server has no revocation).
 */
import { randomUUID } from "node:crypto";
import { insertRows, seedGym, seedSessions } from "../lib/data.js";
import { startSystem, type BenchContext } from "../lib/context.js";
import type { Check, Outcome } from "../lib/report.js";
import { Rng } from "../lib/seeded.js";
import { ask, closeAll, command, connect, type Socket } from "../lib/sockets.js";
import { summary } from "../lib/stats.js";

/** Resolves on the first `event` whose payload passes `match` (time measured by the caller). */
const next = <T>(socket: Socket, event: string, match: (x: T) => boolean, timeoutMs = 10_000) =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} in ${timeoutMs} ms`)), timeoutMs);
    const on = (x: T) => {
      if (!match(x)) return;
      clearTimeout(timer);
      socket.off(event, on);
      resolve(x);
    };
    socket.on(event, on);
  });

export async function revoke(ctx: BenchContext): Promise<Outcome> {
  const rng = new Rng(`revoke:${ctx.run}`);
  const gym = await seedGym(ctx.db, rng, `revoke-${ctx.run}`, 2);
  const [ownerId, coachId] = [rng.uuid(), rng.uuid()];
  const now = new Date();
  await insertRows(
    ctx.db,
    "app_user",
    ["id", "email", "name", "phone", "visible"],
    [
      [ownerId, `owner-${ctx.run}-${ownerId.slice(0, 6)}@bench.spotter`, "Owner Bench", null, true],
      [coachId, `coach-${ctx.run}-${coachId.slice(0, 6)}@bench.spotter`, "Coach Bench", null, true],
    ],
  );
  await insertRows(
    ctx.db,
    "gym_membership",
    ["id", "gym_id", "user_id", "role", "status", "plan_id", "credits", "credits_expire_at", "notes", "joined_at"],
    [
      [rng.uuid(), gym.gymId, ownerId, "owner", "active", null, null, null, "", now],
      [rng.uuid(), gym.gymId, coachId, "coach", "active", null, null, null, "", now],
    ],
  );
  const [sessionId] = await seedSessions(ctx.db, rng, gym, 1, 20, 24 * 60);
  const room = `class:${sessionId}`;
  const scenario = "8 revocation";
  const server = await startSystem(ctx, "spotter");
  const rounds = ctx.quick ? 10 : 40;
  const latencies: number[] = [];
  const leaks: string[] = [];
  const [owner, coach, desk] = await Promise.all([
    connect(server.url, ctx.secret, ownerId),
    connect(server.url, ctx.secret, coachId),
    connect(server.url, ctx.secret, gym.deskId),
  ]);
  try {
    const gymRoom = `gym:${gym.gymId}`;
    const must = async (socket: Socket, event: string, payload: unknown) => {
      const a = await ask(socket, event, payload);
      if (!a.ok) throw new Error(`${event} refused: ${JSON.stringify(a.error)}`);
      return a;
    };
    await must(desk, "room:join", { room });
    for (let i = 0; i < rounds; i++) {
      await must(coach, "room:join", { room });
      let afterReset = false;
      const onDelta = (d: { room: string; seq: number }) => {
        if (afterReset && d.room === room) leaks.push(`round ${i}: seq ${d.seq}`);
      };
      coach.on("room:delta", onDelta);
      const reset = next<{ room: string; reason: string }>(coach, "room:reset", (r) => r.room === room && r.reason === "access_revoked");
      const started = performance.now();
      await must(owner, "command", command(randomUUID(), gymRoom, "gym:setMembership", { memberId: coachId, role: "member" }));
      await reset;
      latencies.push(performance.now() - started);
      afterReset = true;
      const seen = next(desk, "room:delta", (d: { room: string }) => d.room === room);
      await must(owner, "command", command(randomUUID(), room, "class:setCapacity", { sessionId, capacity: 20 + (i % 2) + 1 }));
      await seen;
      coach.off("room:delta", onDelta);
      await must(owner, "command", command(randomUUID(), gymRoom, "gym:setMembership", { memberId: coachId, role: "coach" }));
    }
  } finally {
    closeAll([owner, coach, desk]);
    const exit = await server.stop();
    if (exit.code !== 0 || /"level":(50|60)/.test(exit.stderr))
      ctx.log(`revoke: ${server.name} exited ${exit.code}: ${exit.stderr.slice(-2_000)}`);
  }
  const s = summary(latencies);
  const checks: Check[] = [
    {
      scenario,
      name: "no staff delta reaches the demoted coach after its access_revoked reset",
      ok: leaks.length === 0,
      detail: leaks.slice(0, 3).join("; ") || `${rounds} rounds`,
    },
  ];
  return {
    figures: [
      { scenario, metric: `demotion → coach's access_revoked reset, p50 (${s.n})`, value: s.p50, unit: "ms", baseline: null },
      {
        scenario,
        metric: `demotion → coach's access_revoked reset, max (${s.n})`,
        value: s.max,
        unit: "ms",
        baseline: null,
        target: { op: "<", value: 1_000, on: "value" },
      },
    ],
    checks,
  };
}
