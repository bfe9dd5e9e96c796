/**
 * Reproduction: many members opening the same cold class at once. Every join runs its own
 * `AccessControl.gymOf` query (no in-flight de-duplication: a cache stampede) and a membership
 * query, and the room's hydration queues behind all of them in the 10-connection pool, so every
 * join waits for the whole herd; on a busy machine some exceed 60 s (client timeout, or knex's
 * acquire timeout → INTERNAL). Uses a fresh database of its own, dropped at the end.
 *   node --import tsx scripts/bench/repro/joinHerd.ts [sockets]
 */
import { seedGym, seedSessions } from "../lib/data.js";
import { Rng } from "../lib/seeded.js";
import { ask, closeAll, connectMany } from "../lib/sockets.js";
import { summary } from "../lib/stats.js";
import { scriptDatabase, startScriptSpotter } from "../lib/scriptRun.js";

const n = Number(process.argv[2] ?? 1_000);
const bench = await scriptDatabase("herd");
const { url } = bench;
const secret = "repro-secret-".padEnd(40, "x");
const db = bench.pool;
const rng = new Rng(`join-herd:${Date.now()}`);
const gym = await seedGym(db, rng, `herd-${Date.now()}`, n, false);
const [sessionId] = await seedSessions(db, rng, gym, 1, 20, 24 * 60);
const server = await startScriptSpotter(url, secret);
const sockets = await connectMany(server.url, secret, gym.members);
const t0 = performance.now();
const took: number[] = [];
const acks = await Promise.all(
  sockets.map((s) => ask(s, "room:join", { room: `class:${sessionId}` }).then((a) => (took.push(performance.now() - t0), a))),
);
const s = summary(took);
console.log(
  `${n} simultaneous first joins: p50 ${s.p50.toFixed(0)} ms, max ${s.max.toFixed(0)} ms; failed: ${
    acks
      .filter((a) => !a.ok)
      .map((a) => a.error?.code)
      .join(",") || "none"
  }`,
);
closeAll(sockets);
await server.stop();
await bench.drop();
