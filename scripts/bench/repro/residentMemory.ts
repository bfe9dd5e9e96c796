/**
 * Memory of one gym's resident standings: a gym of N members (default 5,000; target ≤ 20 MB), each with
 * about three bookings in the horizon, loaded in one read; V8 heap after a full GC, before and after.
 *   node --expose-gc --import tsx scripts/bench/repro/residentMemory.ts [members=5000]
 * Uses a fresh database of its own, dropped at the end.
 */
import { ResidentStandings } from "../../../rooms/residentStandings.js";
import { openDatabase } from "../../../server/db/orm.js";
import { standingsSource } from "../../../server/persistence/standingsSource.js";
import { benchDatabaseUrl, freshDatabase, seedBookings, seedGym, seedSessions } from "../lib/data.js";
import { Rng } from "../lib/seeded.js";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");
const n = Number(process.argv[2] ?? 5_000);
const bench = await freshDatabase(benchDatabaseUrl(process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/spotter_bench", `resident_${process.pid}`));
const rng = new Rng("resident-memory");
const gym = await seedGym(bench.pool, rng, "resident", n);
// 30 sessions over the coming days, each booked by a tenth of the members: about three bookings per member.
const sessions: string[] = [];
for (let day = 0; day < 6; day++) sessions.push(...(await seedSessions(bench.pool, rng, gym, 5, n, 60 + day * 24 * 60)));
for (const [i, s] of sessions.entries()) await seedBookings(bench.pool, rng, gym.gymId, s, gym.members.filter((_, j) => j % 10 === i % 10));
const db = await openDatabase({ kind: "postgres", url: bench.url }, 2);
let statements = 0;
const knex = (db.orm.em.getConnection() as unknown as { getKnex(): { on(e: string, f: () => void): void } }).getKnex();
knex.on("query", () => (statements += 1));

const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const resident = new ResidentStandings(standingsSource(db.orm), Date.now, 3_600_000);
await db.orm.em.getConnection().execute("select 1"); // the pool's first connection is not the gym's cost
statements = 0;
const before = heap();
const t0 = performance.now();
const someone = await resident.member(gym.gymId, gym.members[0]!);
const ms = performance.now() - t0;
const after = heap();
for (const id of gym.members) if (!(await resident.member(gym.gymId, id))) throw new Error(`member ${id} missing`);
const mb = (after - before) / 1024 / 1024;
console.log(
  `${n} members, ${someone!.bookings.length} bookings for the first one: loaded in ${ms.toFixed(0)} ms with ${statements} SQL statement(s); ` +
    `resident heap ${mb.toFixed(2)} MB (${(((after - before) / n) | 0)} bytes per member; target ≤ 20 MB for 5,000)`,
);
resident.close();
await db.close();
await bench.drop();
