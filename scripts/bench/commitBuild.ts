/**
 * CPU of building a class room's commit statement, from the room's batch to the statement handed to the driver
 * (audit rows and their hashes, training effects, change sets, array literals, the statement text): no I/O, so
 * µs per commit hold on a loaded machine. Three real batches are captured once from rooms over a bench database
 * (a booking, a batch of nine bookings as a storm commits them, a cancel that promotes the first of a 10-entry waitlist,
 * a desk check-in), then each is rebuilt
 * `iterations` times with the statement "sent" to a stub that answers at once.
 *   node --import tsx scripts/bench/commitBuild.ts [iterations=10000]   (add --cpu-prof to profile the loops; ONLY=<type> builds one)
 */
import crypto, { randomUUID } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { deserialize, serialize } from "node:v8";
import { syncBuiltinESMExports } from "node:module";
import type { EntityManager } from "@mikro-orm/core";
import type { RoomId } from "../../domain/protocol/envelope.js";
import type { ClassStore } from "../../rooms/classPorts.js";
import { RoomRegistry } from "../../rooms/RoomRegistry.js";
import { ResidentStandings } from "../../rooms/residentStandings.js";
import { openDatabase } from "../../server/db/orm.js";
import { classChangesOn, classCommitRecords, classStore } from "../../server/persistence/classStore.js";
import { commitRoom } from "../../server/persistence/roomRecords.js";
import { standingsSource } from "../../server/persistence/standingsSource.js";
import { seedBookings, seedGym, seedSessions, seedWaitlist } from "./lib/data.js";
import { offlineRuntime, offlineStores } from "./lib/offlineRuntime.js";
import { Rng } from "./lib/seeded.js";
import { scriptDatabase } from "./lib/scriptRun.js";

const iterations = Number(process.argv[2] ?? 10_000);
type Commit = Parameters<ClassStore["commitClass"]>;

const captured = new Map<string, Commit>();
// CAPTURE=file: the batches are read from it when it exists, else captured and written to it (the same input for two runs).
const file = process.env.CAPTURE;
if (file && existsSync(file)) for (const [type, args] of deserialize(readFileSync(file)) as [string, Commit][]) captured.set(type, args);
else {
  await capture();
  if (file) writeFileSync(file, serialize([...captured]));
}
const db = await openDatabase({ kind: "pglite", dir: "memory://" });

async function capture(): Promise<void> {
  const bench = await scriptDatabase("build");
  const db = await openDatabase({ kind: "postgres", url: bench.url }, 4);
  try {
    const rng = new Rng("commit-build");
    const gym = await seedGym(bench.pool, rng, "build", 40);
    const [full, open] = (await seedSessions(bench.pool, rng, gym, 2, 20, 24 * 60)) as [string, string];
    await seedBookings(bench.pool, rng, gym.gymId, full, gym.members.slice(0, 20));
    await seedWaitlist(bench.pool, rng, gym.gymId, full, gym.members.slice(20, 30));
    const [soon] = (await seedSessions(bench.pool, rng, gym, 1, 20, 10)) as [string];
    await seedBookings(bench.pool, rng, gym.gymId, soon, gym.members.slice(0, 12));

    const deps = { orm: db.orm, nodeId: "commit-build", now: Date.now, idempotencyWindowMs: 86_400_000, sweepOnly: true };
    const store = classStore(deps);
    // Each command type's first commit, as the room handed it over (a deep copy: nothing the room does later shows).
    const recording: ClassStore = {
      ...store,
      commitClass: (...args) => {
        const type = args[3][0]?.type;
        if (type && !captured.has(type)) captured.set(type, structuredClone(args));
        // A storm's commit: the largest batch of bookings (the storm's batches hold ~10).
        if (type === "class:book" && args[3].length > (captured.get("class:book batch")?.[3].length ?? 1))
          captured.set("class:book batch", structuredClone(args));
        return store.commitClass(...args);
      },
    };
    const resident = new ResidentStandings(standingsSource(db.orm, Date.now), Date.now, 600_000);
    const registry = new RoomRegistry(offlineRuntime(), offlineStores(deps, resident, recording), 600_000);
    const send = async (userId: string, role: "member" | "front_desk", sessionId: string, type: string, payload: object) => {
      const answer = await registry.send(`class:${sessionId}` as RoomId, {
        kind: "command",
        caller: { userId, membership: { gymId: gym.gymId, role, status: "active" } },
        commandId: randomUUID(),
        type,
        payload: { sessionId, ...payload },
        receivedAt: Date.now(),
      });
      if (!answer.ok) throw new Error(`${type}: ${JSON.stringify(answer.error)}`);
    };
    await send(gym.members[35]!, "member", open, "class:book", {});
    // Ten at once: the first commits alone, the others wait for it and go in one batch.
    await Promise.all([30, 31, 32, 33, 34, 36, 37, 38, 39].map((i) => send(gym.members[i]!, "member", open, "class:book", {})));
    await send(gym.members[0]!, "member", full, "class:cancelBooking", {});
    await send(gym.deskId, "front_desk", soon, "class:checkIn", { memberId: gym.members[3], source: "desk" });
    await registry.close();
    resident.close();
  } finally {
    await db.close();
    await bench.drop();
  }
}

// The statement goes to a stub connection: runBound hands it over as it would to the driver, and it answers at once.
const sent = { statements: 0, chars: 0, params: 0 };
const size = new Map<string, string>();
const stub: { getConnection: () => { execute(sql: string, params: unknown[]): Promise<unknown[]> } } = {
  getConnection: () => ({
    execute: async (sql: string, params: unknown[]) => {
      sent.statements += 1;
      sent.chars += sql.length;
      sent.params += params.length;
      return [{ fence: 1 }];
    },
  }),
};
Object.assign(stub, { getTransactionContext: () => undefined });
const changesOf = classChangesOn(db.orm.em.fork());
// ONLY=type: build only that captured commit (e.g. ONLY="class:book batch" with --cpu-prof).
if (process.env.ONLY) for (const type of [...captured.keys()]) if (type !== process.env.ONLY) captured.delete(type);
const build = async (args: Commit) => {
  const { records } = classCommitRecords("commit-build", changesOf, ...args, Date.now());
  await commitRoom(stub as unknown as EntityManager, records);
};

// DUMP=file: each captured commit's statement and parameters, built once with fixed ids and clock (to compare two
// versions of the builder byte for byte).
if (process.env.DUMP) {
  let n = 0;
  crypto.randomUUID = () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`;
  syncBuiltinESMExports();
  const out: unknown[] = [];
  for (const [type, args] of captured) {
    const { records } = classCommitRecords("commit-build", changesOf, ...args, 1_800_000_000_000);
    const stubbed = stub.getConnection;
    stub.getConnection = () => ({ execute: async (sql: string, params: unknown[]) => (out.push({ type, sql, params }), [{ fence: 1 }]) });
    await commitRoom(stub as unknown as EntityManager, records);
    stub.getConnection = stubbed;
  }
  writeFileSync(process.env.DUMP, JSON.stringify(out, null, 1));
}

// Cold: the rooms' first commits in a process, interleaved as a server sees them (a dozen of each; the first, which
// compiles, left out). The code then runs mostly unoptimised, as it does in a server that commits now and then.
const cold = new Map<string, number[]>();
for (let round = 0; round < 12; round++)
  for (const [type, args] of captured) {
    const cpu0 = process.cpuUsage();
    await build(args);
    const cpu = process.cpuUsage(cpu0);
    if (round > 0) cold.set(type, [...(cold.get(type) ?? []), cpu.user + cpu.system]);
    size.set(type, `statement ${sent.chars} chars, ${sent.params} parameters`);
    sent.chars = sent.params = 0;
  }
// Warm: 1,000 builds of each first, then five rounds of `iterations / 5` builds of each type (interleaved, as the
// server's commits are); the median round's CPU per commit.
for (const [, args] of captured) for (let i = 0; i < 1_000; i++) await build(args);
const warm = new Map<string, number[]>();
const perRound = Math.ceil(iterations / 5);
for (let round = 0; round < 5; round++)
  for (const [type, args] of captured) {
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < perRound; i++) await build(args);
    const cpu = process.cpuUsage(cpu0);
    warm.set(type, [...(warm.get(type) ?? []), (cpu.user + cpu.system) / perRound]);
  }
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
for (const [type, args] of captured) {
  const [, , changes, processed] = args;
  console.log(
    `${type.padEnd(20)} warm ${median(warm.get(type)!).toFixed(1).padStart(6)} µs CPU per commit, cold ${median(cold.get(type)!).toFixed(0).padStart(5)} µs ` +
      `(${changes.length} changes, ${processed.length} command; ${size.get(type)})`,
  );
}
await db.close();
process.exit(0);
