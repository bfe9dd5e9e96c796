/**
 * Reproduction of scenario 4 (waitlist promotion) alone: a class of 20 booked and `n + 10` waitlisted; member i
 * cancels, waiter i (watching their own `user:` room) should hear "promoted". Prints each cancel's ack and notice
 * time, and the server main thread's CPU per cancel (load-independent, unlike the times). PROFILE=dir writes the
 * server's V8 CPU profile there (summarise with `node --import tsx scripts/bench/profile.ts dir`).
 *   node --import tsx scripts/bench/repro/promotion.ts [cancels]
 */
import { seedWaitlistedClass } from "../lib/data.js";
import { mainThreadCpuSeconds } from "../lib/procs.js";
import { clock, Rng } from "../lib/seeded.js";
import { ask, closeAll, command, connectMany } from "../lib/sockets.js";
import { summary } from "../lib/stats.js";
import { summarizeProfile } from "../profile.js";
import { scriptDatabase, startScriptSpotter } from "../lib/scriptRun.js";

const n = Number(process.argv[2] ?? 30);
const bench = await scriptDatabase("promo");
const secret = "repro-secret-".padEnd(40, "x");
const rng = new Rng(`promotion:${Date.now()}`);
const { gym, sessionId, waiters } = await seedWaitlistedClass(bench.pool, rng, `promo-${Date.now()}`, n + 10);
const server = await startScriptSpotter(bench.url, secret);
const cancellers = await connectMany(server.url, secret, [...gym.members.slice(0, 20), ...waiters].slice(0, n));
const listeners = await connectMany(server.url, secret, waiters.slice(0, n));
const noticed = new Map<number, number>();
await Promise.all(
  listeners.map(async (s, i) => {
    s.on("room:delta", (d: { ops: { op: string; path: string[]; value?: unknown }[] }) => {
      if (!noticed.has(i) && JSON.stringify(d.ops).includes('"promoted"')) noticed.set(i, clock());
    });
    const ack = await ask(s, "room:join", { room: `user:${waiters[i]}` });
    if (!ack.ok) throw new Error(`waiter cannot watch own room: ${JSON.stringify(ack.error)}`);
  }),
);
const acks: number[] = [];
const notices: number[] = [];
const cpu0 = mainThreadCpuSeconds(server.pid);
// The profile's clock is CLOCK_MONOTONIC in µs, as hrtime is here: the window of the cancels only (no start-up).
const fromUs = Number(process.hrtime.bigint() / 1000n);
for (let i = 0; i < n; i++) {
  const sentAt = clock();
  const ack = await ask(
    cancellers[i]!,
    "command",
    command(`cancel-${i}-${Date.now()}`, `class:${sessionId}`, "class:cancelBooking", { sessionId }),
  );
  acks.push(clock() - sentAt);
  if (!ack.ok) console.log("refused", ack.error);
  for (const deadline = clock() + 5_000; !noticed.has(i) && clock() < deadline;) await new Promise((r) => setTimeout(r, 1));
  notices.push((noticed.get(i) ?? NaN) - sentAt);
  await new Promise((r) => setTimeout(r, 20));
}
const toUs = Number(process.hrtime.bigint() / 1000n);
const cpuMs = ((mainThreadCpuSeconds(server.pid) - cpu0) * 1000) / n;
const a = summary(acks);
const t = summary(notices.filter((x) => !Number.isNaN(x)));
console.log(`${n} cancels; notices: ${notices.map((x) => x.toFixed(1)).join(" ")}`);
console.log(
  `ack p50 ${a.p50.toFixed(1)} p99 ${a.p99.toFixed(1)} ms; notice p50 ${t.p50.toFixed(1)} p99 ${t.p99.toFixed(1)} ms; server main thread ${cpuMs.toFixed(2)} ms of CPU per cancel (incl. 20 ms idle gaps' timers)`,
);
closeAll([...cancellers, ...listeners]);
const exit = await server.stop();
if (exit.code !== 0) console.log(exit.stderr.slice(-2000));
await bench.drop();
if (process.env.PROFILE) console.log(`window ${fromUs} ${toUs}\n${summarizeProfile(process.env.PROFILE, 25, { fromUs, toUs })}`);
