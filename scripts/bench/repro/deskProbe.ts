/**
 * In-process look at desk check-ins at 50/s (no sockets): the gym and class rooms over the real stores,
 * each store call timed. `node --import tsx scripts/bench/repro/deskProbe.ts [checkIns]`
 * RESIDENT=0 looks members and bookings up in the database (as before resident standings).
 */
import { randomUUID } from "node:crypto";
import { offlineRuntime } from "../lib/offlineRuntime.js";
import type { RoomId } from "../../../domain/protocol/envelope.js";
import { RoomRegistry } from "../../../rooms/RoomRegistry.js";
import { openDatabase } from "../../../server/db/orm.js";
import { classStore } from "../../../server/persistence/classStore.js";
import { gymStore } from "../../../server/persistence/gymStore.js";
import { userStore } from "../../../server/persistence/userStore.js";
import { ResidentStandings } from "../../../rooms/residentStandings.js";
import { standingsSource } from "../../../server/persistence/standingsSource.js";
import { seedDeskGym } from "../lib/data.js";
import { Rng } from "../lib/seeded.js";
import { summary } from "../lib/stats.js";
import { scriptDatabase } from "../lib/scriptRun.js";

const n = Number(process.argv[2] ?? 150);
const bench = await scriptDatabase("desk");
const rng = new Rng("desk-probe");
const { gym } = await seedDeskGym(bench.pool, rng, "desk", n);
const db = await openDatabase({ kind: "postgres", url: bench.url }, 10);
const timings = new Map<string, number[]>();
let statements = 0;
const knex = (db.orm.em.getConnection() as unknown as { getKnex(): { on(e: string, f: (q: { sql: string }) => void): void } }).getKnex();
knex.on("query", (q) => {
  statements += 1;
  if (process.env.DESK_SQL) console.log(`  sql: ${q.sql.replace(/\s+/g, " ").slice(0, 150)}`);
});
const timed =
  <A extends unknown[], R>(name: string, fn: (...a: A) => Promise<R>) =>
  async (...a: A): Promise<R> => {
    const t = performance.now();
    try {
      return await fn(...a);
    } finally {
      timings.set(name, [...(timings.get(name) ?? []), performance.now() - t]);
    }
  };
const deps = { orm: db.orm, nodeId: "desk-probe", now: Date.now, idempotencyWindowMs: 86_400_000 };
const classes = classStore(deps);
const gyms = gymStore(deps, async () => null);
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
    onFlush: (k) => timings.set("class batch size", [...(timings.get("class batch size") ?? []), k]),
  }),
  {
    classes: {
      loadClass: timed("class.loadClass", classes.loadClass.bind(classes)),
      loadMembers: timed("class.loadMembers", classes.loadMembers.bind(classes)),
      commitClass: timed("class.commitClass", classes.commitClass.bind(classes)),
    },
    gyms: {
      ...gyms,
      loadGym: timed("gym.loadGym", gyms.loadGym.bind(gyms)),
      findMember: timed("gym.findMember", gyms.findMember.bind(gyms)),
      findBookings: timed("gym.findBookings", gyms.findBookings.bind(gyms)),
      commitGym: timed("gym.commitGym", gyms.commitGym.bind(gyms)),
    },
    users: userStore(deps),
    resident: resident ? { resident, userOfCode: () => null } : undefined,
  },
  60_000,
);
const caller = { userId: gym.deskId, membership: { gymId: gym.gymId, role: "front_desk" as const, status: "active" as const } };
const room = `gym:${gym.gymId}` as RoomId;
await registry.send(room, { kind: "note", note: { type: "warm" } });
const warm = statements;
const answers = await Promise.all(
  gym.members.map(async (memberId, i) => {
    await new Promise((r) => setTimeout(r, i * 20));
    const t = performance.now();
    const a = await registry.send(room, {
      kind: "command",
      caller,
      commandId: randomUUID(),
      type: "gym:checkIn",
      payload: { memberId },
      receivedAt: Date.now(),
    });
    timings.set("desk round trip", [...(timings.get("desk round trip") ?? []), performance.now() - t]);
    return a;
  }),
);
console.log(
  `resident standings ${resident ? "on" : "off"}: ${n} check-ins at 50/s: ${answers.filter((a) => a.ok && (a.result as { status: string }).status === "checked_in").length} checked in; ${((statements - warm) / n).toFixed(1)} SQL statements per check-in after warm-up`,
);
for (const [name, xs] of timings) {
  const s = summary(xs);
  console.log(
    `  ${name.padEnd(22)} n=${String(s.n).padStart(4)}  p50 ${s.p50.toFixed(1).padStart(7)}  p99 ${s.p99.toFixed(1).padStart(7)}  max ${s.max.toFixed(1).padStart(7)}`,
  );
}
await registry.close();
resident?.close();
await db.close();
await bench.drop();
