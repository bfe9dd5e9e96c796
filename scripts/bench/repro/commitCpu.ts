/**
 * In-process CPU per booking of the storm's shape, warm (no sockets, no transport): rooms, domain and the
 * commit path over the real stores and PostgreSQL. Round r books every member onto one of its own `sessions`
 * classes, pressed over one second; the first rounds warm the JIT, the later ones are the steady state.
 * `node --import tsx scripts/bench/repro/commitCpu.ts [members] [sessions] [rounds]` (add --cpu-prof to profile).
 */
import { randomUUID } from "node:crypto";
import { GCProfiler, getHeapStatistics } from "node:v8";
import type { RoomId } from "../../../domain/protocol/envelope.js";
import { RoomRegistry } from "../../../rooms/RoomRegistry.js";
import { ResidentStandings } from "../../../rooms/residentStandings.js";
import { openDatabase } from "../../../server/db/orm.js";
import { standingsSource } from "../../../server/persistence/standingsSource.js";
import { seedGym, seedSessions } from "../lib/data.js";
import { postgresCpuSeconds } from "../lib/procs.js";
import { Rng } from "../lib/seeded.js";
import { scriptDatabase } from "../lib/scriptRun.js";
import { offlineRuntime, offlineStores } from "../lib/offlineRuntime.js";

const members = Number(process.argv[2] ?? 1_000);
const sessions = Number(process.argv[3] ?? 100);
const rounds = Number(process.argv[4] ?? 5);
const bench = await scriptDatabase("cpu");
const rng = new Rng("commit-cpu");
const gym = await seedGym(bench.pool, rng, "cpu", members);
const ids = await seedSessions(bench.pool, rng, gym, sessions * rounds, 20, 24 * 60);
const db = await openDatabase({ kind: "postgres", url: bench.url }, 10);
const deps = { orm: db.orm, nodeId: "commit-cpu", now: Date.now, idempotencyWindowMs: 86_400_000 };
const resident = new ResidentStandings(standingsSource(db.orm, Date.now), Date.now, 600_000);
const registry = new RoomRegistry(
  offlineRuntime({ broadcaster: { delta: () => undefined, reset: () => undefined, revoke: () => undefined, watched: () => false } }),
  offlineStores(deps, resident),
  600_000,
);

interface Collection {
  beforeGC: { heapStatistics: { usedHeapSize: number } };
  afterGC: { heapStatistics: { usedHeapSize: number } };
}

const warm: number[] = [];
// ALLOC=file: sample what the warm rounds allocate (collected objects included), for the heaviest allocators.
const inspector = process.env.ALLOC ? new (await import("node:inspector")).Session() : null;
const post = (method: string, params?: object) =>
  new Promise<unknown>((res, rej) => inspector!.post(method, params ?? {}, (e, r) => (e ? rej(e) : res(r))));
inspector?.connect();
for (let r = 0; r < rounds; r++) {
  const mine = ids.slice(r * sessions, (r + 1) * sessions);
  const plan = new Rng(`round-${r}`);
  const presses = gym.members.map((userId) => ({ userId, sessionId: mine[plan.int(mine.length)]!, at: plan.next() * 1_000 }));
  if (inspector && r === 2)
    await post("HeapProfiler.startSampling", {
      samplingInterval: 8192,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  // Bytes allocated in the round, counted not timed: heap growth plus what each collection freed.
  const gc = new GCProfiler();
  gc.start();
  const used0 = getHeapStatistics().used_heap_size;
  const cpu0 = process.cpuUsage();
  const pg0 = postgresCpuSeconds();
  const t0 = performance.now();
  const answers = await Promise.all(
    presses.map(async (p) => {
      await new Promise((res) => setTimeout(res, p.at));
      const caller = { userId: p.userId, membership: { gymId: gym.gymId, role: "member" as const, status: "active" as const } };
      return registry.send(`class:${p.sessionId}` as RoomId, {
        kind: "command",
        caller,
        commandId: randomUUID(),
        type: "class:book",
        payload: { sessionId: p.sessionId },
        receivedAt: Date.now(),
      });
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  const collections = (gc.stop() as unknown as { statistics: Collection[] }).statistics;
  const freed = collections.reduce((a, c) => a + c.beforeGC.heapStatistics.usedHeapSize - c.afterGC.heapStatistics.usedHeapSize, 0);
  const allocatedKb = (getHeapStatistics().used_heap_size - used0 + freed) / 1e3 / presses.length;
  const pg = postgresCpuSeconds() - pg0;
  const ok = answers.filter((a) => a.ok).length;
  const ms = (cpu.user + cpu.system) / 1000;
  if (r >= 2) warm.push(ms / answers.length);
  console.log(
    `round ${r}: ${ok}/${answers.length} booked in ${(performance.now() - t0).toFixed(0)} ms; process CPU ${(ms / answers.length).toFixed(3)} ms/answer` +
      ` (user ${(cpu.user / 1000 / answers.length).toFixed(3)}), PostgreSQL ${((pg * 1000) / answers.length).toFixed(3)} ms/answer;` +
      ` allocated ${allocatedKb.toFixed(1)} kB/answer, ${collections.length} collections`,
  );
}
if (inspector) {
  const { profile } = (await post("HeapProfiler.stopSampling")) as { profile: object };
  (await import("node:fs")).writeFileSync(process.env.ALLOC!, JSON.stringify(profile));
}
if (warm.length > 0)
  console.log(
    `warm rounds (2+): process CPU ${(warm.reduce((a, b) => a + b, 0) / warm.length).toFixed(3)} ms/answer (min ${Math.min(...warm).toFixed(3)})`,
  );
await registry.close();
resident.close();
await db.close();
await bench.drop();
process.exit(0);
