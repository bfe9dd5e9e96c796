/**
 * Reproduction of scenario 8 (cold room) alone: a gym of 250 members, N sessions with 200 booked and
 * 50 waitlisted each; one staff socket joins each never-used class room once, one after another, and
 * the time of each first join is printed (the first also pays the gym's resident standings load).
 * Also prints the server main thread's CPU per join (load-independent, unlike the times). PROFILE=dir writes the server's V8 CPU profile there. Uses a fresh database of its own, dropped at the end.
 *   node --import tsx scripts/bench/repro/coldJoin.ts [sessions]
 */
import { seedColdRooms } from "../lib/data.js";
import { mainThreadCpuSeconds } from "../lib/procs.js";
import { clock, Rng } from "../lib/seeded.js";
import { ask, closeAll, connect } from "../lib/sockets.js";
import { summary } from "../lib/stats.js";
import { scriptDatabase, startScriptSpotter } from "../lib/scriptRun.js";

const n = Number(process.argv[2] ?? 20);
const bench = await scriptDatabase("cold");
const secret = "repro-secret-".padEnd(40, "x");
const db = bench.pool;
const rng = new Rng(`cold-join:${Date.now()}`);
const { gym, sessions } = await seedColdRooms(db, rng, `cold-${Date.now()}`, n);
const server = await startScriptSpotter(bench.url, secret, {
  ...(process.env.TRACE_JOIN ? { env: { TRACE_JOIN: "1" } } : {}),
});
const desk = await connect(server.url, secret, gym.deskId);
const took: number[] = [];
const cpu0 = mainThreadCpuSeconds(server.pid);
for (const id of sessions) {
  const t0 = clock();
  const ack = await ask(desk, "room:join", { room: `class:${id}` });
  took.push(clock() - t0);
  if (!ack.ok) console.log("failed", ack.error);
  await ask(desk, "room:leave", { room: `class:${id}` });
  await new Promise((r) => setTimeout(r, 10));
}
const cpuMs = ((mainThreadCpuSeconds(server.pid) - cpu0) * 1000) / n;
const s = summary(took);
console.log(
  `${n} first joins: ${took.map((t) => t.toFixed(1)).join(" ")}\np50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms; server main thread ${cpuMs.toFixed(1)} ms of CPU per join (join + leave)`,
);
closeAll([desk]);
const exit = await server.stop();
if (exit.code !== 0) console.log(exit.stderr.slice(-2000));
if (process.env.TRACE_JOIN)
  console.log(
    exit.stderr
      .split("\n")
      .filter((l) => l.startsWith("TRACE"))
      .join("\n"),
  );
if (process.env.KEEP) console.log(`kept ${bench.url}`);
else await bench.drop();
