/**
 * Traces single commands end to end on a real Spotter server (uWS, PostgreSQL, Redis): the suite's waitlist cancel
 * (→ the promoted member's notice) and desk check-in, each sent alone (spaced so nothing overlaps), with
 * lib/hopTrace.ts preloaded into the server. Prints, per command type, the statements, Redis commands, timers and
 * setImmediates each command caused, the commits among them that wait for a WAL flush, the process's CPU from
 * frame to ack, and the full timeline of a few of them. Counts, not timings: they hold on a loaded machine.
 *   node --import tsx scripts/bench/hops.ts [cancels=12] [checkIns=12]
 */
import { readFileSync, rmSync } from "node:fs";
import { seedBookings, seedGym, seedSessions, seedWaitlistedClass } from "./lib/data.js";
import { startWorker } from "./lib/rpc.js";
import { Rng } from "./lib/seeded.js";
import { scriptDatabase, startScriptSpotter } from "./lib/scriptRun.js";

const cancels = Number(process.argv[2] ?? 12);
const checkIns = Number(process.argv[3] ?? 12);
const bench = await scriptDatabase("hops");
const secret = "bench-secret-".padEnd(40, "x");
const rng = new Rng("hops");
try {
  const { gym: waitGym, sessionId: session, waiters } = await seedWaitlistedClass(bench.pool, rng, "hops-wait", cancels + 5);
  const deskGym = await seedGym(bench.pool, rng, "hops-desk", checkIns);
  const deskSessions = await seedSessions(bench.pool, rng, deskGym, 1, checkIns, 10);
  await seedBookings(bench.pool, rng, deskGym.gymId, deskSessions[0]!, deskGym.members);

  // lib/procs.ts startSpotter passes these flags to the server's node: the tracer is preloaded there.
  process.env.BENCH_SPOTTER_NODE_FLAGS = `${process.env.BENCH_SPOTTER_NODE_FLAGS ?? ""} --import ./scripts/bench/lib/hopTrace.ts`;
  const server = await startScriptSpotter(bench.url, secret, {
    // Which commands of each type the trace prints in full (by index), e.g. HOP_TRACE_PICK=0,5,11.
    env: process.env.HOP_TRACE_PICK ? { HOP_TRACE_PICK: process.env.HOP_TRACE_PICK } : {},
  });
  const drive = startWorker("drive", undefined);
  try {
    const base = { url: server.url, secret };
    const promos = await drive.call<{ noticeMs: number; ackMs: number }[]>("promotions", {
      ...base,
      sessionId: session,
      cancellers: waitGym.members.slice(0, cancels),
      waiters: waiters.slice(0, cancels),
    });
    console.log(`cancel ack ms: ${promos.map((p) => p.ackMs.toFixed(1)).join(" ")}`);
    console.log(`notice ms:     ${promos.map((p) => p.noticeMs.toFixed(1)).join(" ")}`);
    // Four a second: each check-in's effects are over before the next arrives.
    const desk = await drive.call<{ rttMs: number }[]>("checkIns", {
      ...base,
      deskId: deskGym.deskId,
      gymId: deskGym.gymId,
      members: deskGym.members,
      perSecond: 4,
    });
    console.log(`check-in ms:   ${desk.map((d) => d.rttMs.toFixed(1)).join(" ")}`);
  } finally {
    await drive.call("close").catch(() => undefined);
    await drive.stop();
    const exit = await server.stop();
    if (exit.code !== 0 || /"level":(40|50|60)/.test(exit.stderr)) console.log(`server exited ${exit.code}: ${exit.stderr.slice(-3_000)}`);
  }
  const file = `/tmp/hoptrace-${server.pid}.log`;
  console.log(readFileSync(file, "utf8"));
  rmSync(file, { force: true });
} finally {
  await bench.drop();
}
