/**
 * Memory of a gym held live on one node: its members' resident standings, its gym room and the class rooms of its
 * week, measured in-process as V8 heap after a full GC (the stable figure), then again after the rooms and the gym
 * went idle and were evicted. Seeds a fresh database of its own (BENCH_DATABASE_URL + `_mem_<pid>`), dropped at the end.
 *   node --expose-gc --import tsx scripts/bench/residentMemory.ts [members=5000] [sessions=300] [capacity=50]
 * Target (issue 15): resident state for a 5,000-member gym ≤ 20 MB.
 */
import type { RoomId } from "../../domain/protocol/envelope.js";
import { ResidentStandings } from "../../rooms/residentStandings.js";
import { RoomRegistry } from "../../rooms/RoomRegistry.js";
import { openDatabase } from "../../server/db/orm.js";
import { standingsSource } from "../../server/persistence/standingsSource.js";
import { seedBookings, seedGym, seedSessions } from "./lib/data.js";
import { Rng } from "./lib/seeded.js";
import { scriptDatabase } from "./lib/scriptRun.js";
import { offlineRuntime, offlineStores } from "./lib/offlineRuntime.js";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");
const [members, sessionCount, capacity] = [Number(process.argv[2] ?? 5_000), Number(process.argv[3] ?? 300), Number(process.argv[4] ?? 50)];
const bench = await scriptDatabase("mem");
const heap = async () => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed;
};
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

try {
  const rng = new Rng("resident-memory");
  const gym = await seedGym(bench.pool, rng, `mem-${Date.now()}`, members);
  // The week's sessions spread over the next 6 days; each filled by the next `capacity` members in turn (~3 a member a week at 5,000).
  const sessions: string[] = [];
  for (let i = 0; i < sessionCount; i++)
    sessions.push(...(await seedSessions(bench.pool, rng, gym, 1, capacity, 60 + Math.floor((i * 6 * 24 * 60) / sessionCount))));
  for (let i = 0; i < sessions.length; i++) {
    const from = (i * capacity) % members;
    await seedBookings(bench.pool, rng, gym.gymId, sessions[i]!, [...gym.members, ...gym.members].slice(from, from + capacity));
  }
  const db = await openDatabase({ kind: "postgres", url: bench.url }, 4);
  let clock = Date.now();
  const now = () => clock;
  const idleMs = 60_000;
  const deps = { orm: db.orm, nodeId: "memory", now, idempotencyWindowMs: 86_400_000 };
  const resident = new ResidentStandings(standingsSource(db.orm), now, idleMs);
  const registry = new RoomRegistry(offlineRuntime({ now }), offlineStores(deps, resident), idleMs);

  const empty = await heap();
  await resident.member(gym.gymId, gym.members[0]!);
  const standings = (await heap()) - empty;
  await registry.get(`gym:${gym.gymId}` as RoomId).start();
  const gymRoom = (await heap()) - empty - standings;
  for (const id of sessions) await registry.get(`class:${id}` as RoomId).start();
  const all = (await heap()) - empty;
  console.log(`${members} members, ${sessions.length} sessions × ${capacity} booked (${sessions.length * capacity} bookings):`);
  console.log(`  resident standings: ${mb(standings)} (${resident.size} gym)`);
  console.log(`  gym room: ${mb(gymRoom)}`);
  console.log(
    `  ${sessions.length} class rooms: ${mb(all - standings - gymRoom)} (${((all - standings - gymRoom) / sessions.length / 1024).toFixed(0)} KB each)`,
  );
  console.log(`  total live: ${mb(all)}`);

  // Idle past the idle time: the sweeps evict every room and the gym's standings.
  clock += idleMs + 1;
  await registry.sweep();
  resident.sweep();
  const after = (await heap()) - empty;
  console.log(
    `  after ${idleMs / 1000} s idle and one sweep: ${registry.live().length} rooms, ${resident.size} gyms resident, ${mb(Math.max(0, after))} above the empty heap`,
  );
  await registry.close();
  resident.close();
  await db.close();
} finally {
  await bench.drop();
}
