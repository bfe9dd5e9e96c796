/**
 * Reproduction of scenario 5 (desk check-in at 50/s) alone, over sockets: a gym of `n` members booked on 5
 * sessions starting in 10 minutes; a desk watching the gym room checks them in one every 20 ms. Prints the round
 * trips and the server main thread's CPU per check-in (load-independent, unlike the times). PROFILE=dir writes the
 * server's V8 CPU profile and summarises the window of the check-ins (start-up excluded).
 *   node --import tsx scripts/bench/repro/deskCheckIns.ts [checkIns]
 */
import { seedDeskGym } from "../lib/data.js";
import { mainThreadCpuSeconds } from "../lib/procs.js";
import { clock, Rng } from "../lib/seeded.js";
import { ask, closeAll, command, connect } from "../lib/sockets.js";
import { summary } from "../lib/stats.js";
import { summarizeProfile } from "../profile.js";
import { scriptDatabase, startScriptSpotter } from "../lib/scriptRun.js";

const n = Number(process.argv[2] ?? 150);
const bench = await scriptDatabase("deskrun");
const secret = "repro-secret-".padEnd(40, "x");
const rng = new Rng(`desk:${Date.now()}`);
const { gym, sessions } = await seedDeskGym(bench.pool, rng, `desk-${Date.now()}`, n);
const server = await startScriptSpotter(bench.url, secret);
const desk = await connect(server.url, secret, gym.deskId);
const room = `gym:${gym.gymId}`;
const joined = await ask(desk, "room:join", { room });
if (!joined.ok) throw new Error(`desk cannot watch ${room}: ${JSON.stringify(joined.error)}`);
// WARM=1: the class rooms are running before the first check-in (to tell their hydration apart from the rest).
if (process.env.WARM) for (const id of sessions) await ask(desk, "room:join", { room: `class:${id}` });
const cpu0 = mainThreadCpuSeconds(server.pid);
// The profile's clock is CLOCK_MONOTONIC in µs, as hrtime is here: the window of the check-ins only.
const fromUs = Number(process.hrtime.bigint() / 1000n);
const start = clock() + 20;
const rtts: Promise<number>[] = [];
for (let i = 0; i < n; i++) {
  await new Promise((r) => setTimeout(r, Math.max(0, start + i * 20 - clock())));
  const sentAt = clock();
  rtts.push(
    ask(desk, "command", command(`desk-${i}-${Date.now()}`, room, "gym:checkIn", { memberId: gym.members[i] })).then((ack) => {
      const status = (ack.result as { status?: string } | undefined)?.status;
      if (!ack.ok || status !== "checked_in") console.log("not checked in", JSON.stringify(ack));
      return clock() - sentAt;
    }),
  );
}
const took = await Promise.all(rtts);
await new Promise((r) => setTimeout(r, 300)); // the side effects applied after the answers
const toUs = Number(process.hrtime.bigint() / 1000n);
const cpuMs = ((mainThreadCpuSeconds(server.pid) - cpu0) * 1000) / n;
const s = summary(took);
console.log(
  `${n} check-ins at 50/s: p50 ${s.p50.toFixed(1)} p99 ${s.p99.toFixed(1)} max ${Math.max(...took).toFixed(1)} ms; server main thread ${cpuMs.toFixed(2)} ms of CPU per check-in (side effects included)`,
);
console.log(
  `slowest: ${[...took]
    .sort((a, b) => b - a)
    .slice(0, 8)
    .map((x) => x.toFixed(0))
    .join(" ")}; first ten: ${took
    .slice(0, 10)
    .map((x) => x.toFixed(0))
    .join(" ")}`,
);
closeAll([desk]);
const exit = await server.stop();
if (exit.code !== 0) console.log(exit.stderr.slice(-2000));
await bench.drop();
if (process.env.PROFILE) console.log(`window ${fromUs} ${toUs}\n${summarizeProfile(process.env.PROFILE, 25, { fromUs, toUs })}`);
