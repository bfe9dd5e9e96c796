/**
 * In-process look at scenario 8's first join (no sockets): a gym of 250 members and sessions with 200 booked and
 * 50 waitlisted; each round is a fresh node (its own registry and resident standings, nothing of the gym in memory)
 * whose first class room of the gym starts and answers a staff join. Rounds after the first two run warm code, so
 * the times show the critical path (reads and waits), not the JIT. Also times that node's gym load alone.
 *   node --import tsx scripts/bench/repro/firstRoom.ts [rounds]
 * Uses a fresh database of its own, dropped at the end.
 */
import { randomUUID } from "node:crypto";
import type { RoomId } from "../../../domain/protocol/envelope.js";
import { ResidentStandings } from "../../../rooms/residentStandings.js";
import { RoomRegistry } from "../../../rooms/RoomRegistry.js";
import { openDatabase } from "../../../server/db/orm.js";
import { classStore } from "../../../server/persistence/classStore.js";
import { gymStore } from "../../../server/persistence/gymStore.js";
import { standingsSource } from "../../../server/persistence/standingsSource.js";
import { userStore } from "../../../server/persistence/userStore.js";
import { benchDatabaseUrl, freshDatabase, seedBookings, seedGym, seedSessions, seedWaitlist } from "../lib/data.js";
import { clock, Rng } from "../lib/seeded.js";
import { summary } from "../lib/stats.js";

const rounds = Number(process.argv[2] ?? 30);
const bench = await freshDatabase(
  benchDatabaseUrl(process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/spotter_bench", `first_${process.pid}`),
);
const rng = new Rng("first-room");
const gym = await seedGym(bench.pool, rng, "first", 250);
const sessions = await seedSessions(bench.pool, rng, gym, rounds, 200, 24 * 60);
for (const s of sessions) {
  await seedBookings(bench.pool, rng, gym.gymId, s, gym.members.slice(0, 200));
  await seedWaitlist(bench.pool, rng, gym.gymId, s, gym.members.slice(200));
}
const db = await openDatabase({ kind: "postgres", url: bench.url }, 10);
const runtime = {
  now: Date.now,
  newId: randomUUID,
  log: { info: () => undefined, warn: console.warn, error: console.error } as never,
  broadcaster: { delta: () => undefined, reset: () => undefined, revoke: () => undefined },
  flushMaxBatch: 128,
  flushMaxDelayMs: 2,
  ringSize: 256,
  idempotencyWindowMs: 86_400_000,
  onFlush: () => undefined,
  onFlushFailure: () => undefined,
};
const firstView: number[] = [];
const gymLoad: number[] = [];
for (let i = 0; i < rounds; i++) {
  const deps = { orm: db.orm, nodeId: `first-${i}`, now: Date.now, idempotencyWindowMs: 86_400_000 };
  const resident = new ResidentStandings(standingsSource(db.orm), Date.now, 60_000, 0);
  const registry = new RoomRegistry(
    runtime as never,
    {
      classes: classStore(deps),
      gyms: gymStore(deps, async () => null),
      users: userStore(deps),
      resident: { resident, userOfCode: () => null },
    },
    60_000,
  );
  const room = `class:${sessions[i]!}` as RoomId;
  const t0 = clock();
  await registry.get(room).start();
  registry.get(room).join("staff");
  const t1 = clock();
  // The gym's members, loaded beside the room (before: the room waited for them).
  await resident.member(gym.gymId, gym.members[0]!);
  const t2 = clock();
  if (i >= 2) {
    firstView.push(t1 - t0);
    gymLoad.push(t2 - t0);
  }
  await registry.close();
  resident.close();
}
const v = summary(firstView);
const g = summary(gymLoad);
console.log(
  `${firstView.length} warm rounds: first room's staff view p50 ${v.p50.toFixed(1)} ms (p99 ${v.p99.toFixed(1)}); ` +
    `gym's members in memory p50 ${g.p50.toFixed(1)} ms (p99 ${g.p99.toFixed(1)})`,
);
await db.close();
await bench.drop();
