/**
 * Traces cold-room first joins end to end on a real Spotter server (uWS, PostgreSQL, Redis), like hops.ts: one
 * front-desk socket joins N never-used class rooms (the suite's "8 cold room": 200 booked + 50 waiting each) one
 * by one, with lib/hopTrace.ts preloaded into the server tracing `room:join` frames. Prints, per join, the bytes of
 * the answer (its JSON, as Socket.IO frames it), and the tracer's statements, Redis commands and the process's CPU
 * from frame to ack, with the full timeline of a few joins. Counts, not timings: they hold on a loaded machine.
 *   node --import tsx scripts/bench/coldJoin.ts [rooms=12]
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { seedColdRooms } from "./lib/data.js";
import { cpuSeconds } from "./lib/procs.js";
import { Rng } from "./lib/seeded.js";
import { ask, connect } from "./lib/sockets.js";
import { scriptDatabase, startScriptSpotter } from "./lib/scriptRun.js";

const rooms = Number(process.argv[2] ?? 12);
const bench = await scriptDatabase("cold");
const secret = "bench-secret-".padEnd(40, "x");
const rng = new Rng("coldJoin");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
try {
  const { gym, sessions } = await seedColdRooms(bench.pool, rng, "cold", rooms);
  // COLD_TRACE=0: no tracer (e.g. for a clean CPU profile through BENCH_SPOTTER_NODE_FLAGS="--cpu-prof ...").
  if (process.env.COLD_TRACE !== "0")
    process.env.BENCH_SPOTTER_NODE_FLAGS = `${process.env.BENCH_SPOTTER_NODE_FLAGS ?? ""} --import ./scripts/bench/lib/hopTrace.ts`;
  const server = await startScriptSpotter(bench.url, secret, {
    env: { HOP_TRACE_FRAMES: "room:join", HOP_TRACE_PICK: process.env.HOP_TRACE_PICK ?? "3,7" },
  });
  const desk = await connect(server.url, secret, gym.deskId);
  try {
    const rows: string[] = [];
    const cpu0 = cpuSeconds(server.pid);
    for (const [i, id] of sessions.entries()) {
      const room = `class:${id}`;
      const sentAt = performance.now();
      const ack = await ask(desk, "room:join", { room });
      const ms = performance.now() - sentAt;
      const snap = (ack.result as { snapshot?: { counts?: { booked: number; waitlist: number }; roster?: object } } | undefined)?.snapshot;
      const bytes = Buffer.byteLength(JSON.stringify([ack]));
      const rosterBytes = Buffer.byteLength(JSON.stringify(snap?.roster ?? {}));
      // COLD_DUMP=file: the first answer's JSON, for a per-field byte count.
      if (i === 0 && process.env.COLD_DUMP) writeFileSync(process.env.COLD_DUMP, JSON.stringify(ack));
      rows.push(
        `join ${i}: ${ms.toFixed(1)} ms, answer ${bytes} B (roster ${rosterBytes} B), ${snap?.counts?.booked}+${snap?.counts?.waitlist}`,
      );
      await ask(desk, "room:leave", { room });
      await sleep(50);
    }
    const cpu = cpuSeconds(server.pid) - cpu0;
    console.log(rows.join("\n"));
    console.log(`server CPU over the joins (incl. leaves and idle): ${((cpu * 1000) / rooms).toFixed(1)} ms per join (10 ms ticks)`);
  } finally {
    desk.close();
    const exit = await server.stop();
    if (exit.code !== 0 || /"level":(40|50|60)/.test(exit.stderr)) console.log(`server exited ${exit.code}: ${exit.stderr.slice(-3_000)}`);
  }
  const file = `/tmp/hoptrace-${server.pid}.log`;
  if (process.env.COLD_TRACE !== "0") console.log(readFileSync(file, "utf8"));
  rmSync(file, { force: true });
} finally {
  await bench.drop();
}
