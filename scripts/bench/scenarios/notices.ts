/**
 * 15. Promotion → push at the push service: a member waits on the waitlist of a full class with one device
 * subscribed to Web Push (a local RFC 8030 service in this process that checks the VAPID signature and decrypts
 * each message with the device's keys); the booked member cancels. Measured here: from sending the cancel to the
 * promoted member's push arriving at the push service — the commit that writes the notice, the delivery outbox
 * claiming it, the encryption and the HTTPS request. Then the promoted member cancels, the other books again and
 * the waiter joins the waitlist again, for the next round. No baseline (the row-lock server sends no pushes).
 */
import { randomUUID } from "node:crypto";
import { newVapidKeys } from "../../../server/notify/vapid.js";
import { startPushService } from "../../lib/pushService.js";
import { seedGym, seedSessions } from "../lib/data.js";
import { type BenchContext } from "../lib/context.js";
import { startSpotter } from "../lib/procs.js";
import type { Check, Outcome } from "../lib/report.js";
import { Rng } from "../lib/seeded.js";
import { ask, closeAll, command, connect, type Socket } from "../lib/sockets.js";
import { summary } from "../lib/stats.js";

export async function notices(ctx: BenchContext): Promise<Outcome> {
  const rng = new Rng(`notices:${ctx.run}`);
  const gym = await seedGym(ctx.db, rng, `notices-${ctx.run}`, 2);
  const [holderId, waiterId] = gym.members as [string, string];
  const [sessionId] = await seedSessions(ctx.db, rng, gym, 1, 1, 24 * 60);
  const room = `class:${sessionId}`;
  const scenario = "15 notices";
  const push = await startPushService();
  const keys = newVapidKeys();
  const server = await startSpotter({
    databaseUrl: ctx.dbUrl,
    redisUrl: ctx.redisUrl,
    jwtSecret: ctx.secret,
    transport: "uws",
    cpus: ctx.serverCpus,
    env: { VAPID_PUBLIC_KEY: keys.publicKey, VAPID_PRIVATE_KEY: keys.privateKey, NODE_EXTRA_CA_CERTS: push.certificateFile() },
  });
  const rounds = ctx.quick ? 20 : 100;
  const latencies: number[] = [];
  const device = push.device();
  const [holder, waiter] = await Promise.all([connect(server.url, ctx.secret, holderId), connect(server.url, ctx.secret, waiterId)]);
  try {
    const must = async (socket: Socket, r: string, type: string, payload: unknown) => {
      const a = await ask(socket, "command", command(randomUUID(), r, type, payload));
      if (!a.ok) throw new Error(`${type} refused: ${JSON.stringify(a.error)}`);
      return a;
    };
    await must(waiter, `user:${waiterId}`, "push:subscribe", { subscription: { endpoint: device.endpoint, keys: device.keys } });
    await must(holder, room, "class:book", { sessionId });
    for (let i = 0; i < rounds; i++) {
      await must(waiter, room, "class:book", { sessionId, waitlist: true });
      const pushed = new Promise<number>((resolve) => (device.onReceive = () => resolve(performance.now())));
      const started = performance.now();
      await must(holder, room, "class:cancelBooking", { sessionId });
      latencies.push((await pushed) - started);
      await must(waiter, room, "class:cancelBooking", { sessionId });
      await must(holder, room, "class:book", { sessionId });
    }
  } finally {
    closeAll([holder, waiter]);
    const exit = await server.stop();
    if (exit.code !== 0 || /"level":(50|60)/.test(exit.stderr))
      ctx.log(`notices: ${server.name} exited ${exit.code}: ${exit.stderr.slice(-2_000)}`);
    await push.close();
  }
  const s = summary(latencies);
  const kinds = device.received.map((m) => (JSON.parse(m.text) as { kind: string }).kind);
  const ids = new Set(device.received.map((m) => (JSON.parse(m.text) as { id: string }).id));
  const checks: Check[] = [
    {
      scenario,
      name: "every promotion reached the device once, decrypted with its keys",
      ok: kinds.length === rounds && ids.size === rounds && kinds.every((k) => k === "promoted"),
      detail: `${kinds.length} pushes, ${ids.size} notices, ${rounds} rounds`,
    },
  ];
  return {
    figures: [
      { scenario, metric: `cancel → promoted member's push at the push service, p50 (${s.n})`, value: s.p50, unit: "ms", baseline: null },
      {
        scenario,
        metric: `cancel → promoted member's push at the push service, p99 (${s.n})`,
        value: s.p99,
        unit: "ms",
        baseline: null,
        target: { op: "<", value: 1_000, on: "value" },
      },
    ],
    checks,
  };
}
