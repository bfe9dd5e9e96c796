/**
 * In-process look at scenario 8's first join (no sockets): a gym of 250 members and sessions with 200 booked and
 * 50 waitlisted; each round is a fresh node (its own registry and resident standings, nothing of the gym in memory)
 * whose first class room of the gym starts and answers a staff join. Rounds after the first two run warm code, so
 * the times show the critical path (reads and waits), not the JIT. Also times that node's gym load alone.
 *   node --import tsx scripts/bench/repro/firstRoom.ts [rounds]
 * Uses a fresh database of its own, dropped at the end.
 */
import { offlineRuntime, offlineStores } from "../lib/offlineRuntime.js";
import type { RoomId } from "../../../domain/protocol/envelope.js";
import { ResidentStandings } from "../../../rooms/residentStandings.js";
import { RoomRegistry } from "../../../rooms/RoomRegistry.js";
import { openDatabase } from "../../../server/db/orm.js";
import { standingsSource } from "../../../server/persistence/standingsSource.js";
import { seedColdRooms } from "../lib/data.js";
import { clock, Rng } from "../lib/seeded.js";
import { summary } from "../lib/stats.js";
import { scriptDatabase } from "../lib/scriptRun.js";

const rounds = Number(process.argv[2] ?? 30);
const bench = await scriptDatabase("first");
const rng = new Rng("first-room");
const { gym, sessions } = await seedColdRooms(bench.pool, rng, "first", rounds);
const db = await openDatabase({ kind: "postgres", url: bench.url }, 10);
const runtime = offlineRuntime();
const firstView: number[] = [];
const gymLoad: number[] = [];
for (let i = 0; i < rounds; i++) {
  const deps = { orm: db.orm, nodeId: `first-${i}`, now: Date.now, idempotencyWindowMs: 86_400_000 };
  const resident = new ResidentStandings(standingsSource(db.orm), Date.now, 60_000, 0);
  const registry = new RoomRegistry(runtime as never, offlineStores(deps, resident), 60_000);
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
