/**
 * In-process look at the booking storm without sockets: the room registry over the real MikroORM
 * stores, each store call and the access check timed. Shows where a command's time goes.
 *   node --import tsx scripts/bench/diagnose.ts [members] [pool]
 * RESIDENT=0 runs without resident standings (every standing and access check read from the database, as before).
 * Uses a fresh database of its own (BENCH_DATABASE_URL + `_diag_<pid>`), dropped at the end.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { offlineRuntime } from "./lib/offlineRuntime.js";
import { RoomRegistry } from "../../rooms/RoomRegistry.js";
import type { RoomId } from "../../domain/protocol/envelope.js";
import { openDatabase } from "../../server/db/orm.js";
import { classStore } from "../../server/persistence/classStore.js";
import { gymStore } from "../../server/persistence/gymStore.js";
import { userStore } from "../../server/persistence/userStore.js";
import { AccessControl } from "../../server/realtime/access.js";
import { accessReads } from "../../server/persistence/accessReads.js";
import { ResidentStandings } from "../../rooms/residentStandings.js";
import { standingsSource } from "../../server/persistence/standingsSource.js";
import { seedGym, seedSessions } from "./lib/data.js";
import { clock, Rng } from "./lib/seeded.js";
import { summary } from "./lib/stats.js";
import { scriptDatabase } from "./lib/scriptRun.js";

const members = Number(process.argv[2] ?? 1_000);
const poolMax = Number(process.argv[3] ?? 10);
const bench = await scriptDatabase("diag");
const { url } = bench;
const raw = bench.pool;
const rng = new Rng(`diagnose:${Date.now()}`);
const gym = await seedGym(raw, rng, `diag-${Date.now()}`, members);
const sessions = await seedSessions(raw, rng, gym, 100, 20, 24 * 60);

const db = await openDatabase({ kind: "postgres", url }, poolMax);
const timings = new Map<string, number[]>();
const phase = new AsyncLocalStorage<string>();
const statements = new Map<string, number>();
let queries = 0;
const knex = (db.orm.em.getConnection() as unknown as { getKnex(): { on(e: string, f: (q: { sql: string }) => void): void } }).getKnex();
knex.on("query", (q) => {
  queries += 1;
  const p = phase.getStore() ?? "other";
  statements.set(p, (statements.get(p) ?? 0) + 1);
  if (process.env.DIAG_SQL) console.log(`  sql: ${q.sql.slice(0, 160)}`);
});
function timed<A extends unknown[], R>(name: string, fn: (...a: A) => Promise<R>) {
  return async (...a: A): Promise<R> => {
    const t = clock();
    try {
      return await phase.run(name, () => fn(...a));
    } finally {
      timings.set(name, [...(timings.get(name) ?? []), clock() - t]);
    }
  };
}
const deps = { orm: db.orm, nodeId: "diagnose", now: Date.now, idempotencyWindowMs: 86_400_000 };
const classes = classStore(deps);
const source = standingsSource(db.orm);
const resident =
  process.env.RESIDENT === "0"
    ? undefined
    : new ResidentStandings(
        { loadGym: timed("resident.loadGym", source.loadGym), loadMembers: timed("resident.loadMembers", source.loadMembers) },
        Date.now,
        60_000,
      );
const registry = new RoomRegistry(
  offlineRuntime({
    idempotencyWindowMs: deps.idempotencyWindowMs,
    onFlush: (n) => timings.set("batch size", [...(timings.get("batch size") ?? []), n]),
  }),
  {
    classes: {
      loadClass: timed("store.loadClass (hydrate)", classes.loadClass.bind(classes)),
      loadMembers: timed("store.loadMembers", classes.loadMembers.bind(classes)),
      commitClass: timed("store.commitClass", classes.commitClass.bind(classes)),
    },
    gyms: gymStore(deps, async () => null),
    users: userStore(deps),
    resident: resident ? { resident, userOfCode: () => null } : undefined,
  },
  60_000,
);
const access = new AccessControl(accessReads(db.orm), resident);
const check = timed("access.check", access.check.bind(access));
const plan = new Rng("diagnose-plan");
const cpu0 = process.cpuUsage();
const t0 = clock();
const acks = await Promise.all(
  gym.members.map(async (userId, i) => {
    await new Promise((r) => setTimeout(r, plan.next() * 1000));
    const sessionId = sessions[plan.int(100)]!;
    const room = `class:${sessionId}` as RoomId;
    const start = clock();
    const a = await check(userId, room);
    if (!a.ok) throw new Error(a.code);
    const ack = await registry.send(room, {
      kind: "command",
      caller: a.caller,
      commandId: `diag-${i}-${Date.now()}`,
      type: "class:book",
      payload: { sessionId },
      receivedAt: Date.now(),
    });
    timings.set("command total", [...(timings.get("command total") ?? []), clock() - start]);
    return ack;
  }),
);
const wall = clock() - t0;
const cpu = process.cpuUsage(cpu0);
console.log(
  `${members} bookings, pool ${poolMax}, resident standings ${resident ? "on" : "off"}: ${wall.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU, ` +
    `${acks.filter((a) => a.ok).length} ok (refused: ${acks.flatMap((a) => (a.ok ? [] : [a.error.code])).join(",") || "none"}), ${queries} SQL statements (${(queries / members).toFixed(1)} per command)`,
);
for (const [name, xs] of timings) {
  const s = summary(xs);
  const sum = xs.reduce((a, b) => a + b, 0);
  console.log(
    `  ${name.padEnd(28)} n=${String(s.n).padStart(5)}  p50 ${s.p50.toFixed(1).padStart(8)}  p99 ${s.p99.toFixed(1).padStart(8)}  max ${s.max.toFixed(1).padStart(8)}  sum ${sum.toFixed(0)}`,
  );
}
console.log(`  SQL statements per command by phase: ${[...statements].map(([p, n]) => `${p} ${(n / members).toFixed(2)}`).join(", ")}`);
await registry.close();
resident?.close();
await db.close();
await bench.drop();
