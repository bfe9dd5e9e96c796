/**
 * Reproduction: a second flush in one transaction re-writes the instants of a row just inserted.
 * `classStore.commitClass` flushes inside `em.transactional` (before the credit updates) and the
 * transaction flushes again at its end, so every class commit that creates a booking (or check-in,
 * attendance, fee) sends an extra `update … set created_at = …, updated_at = …` for it.
 *   node --import tsx scripts/bench/repro/redundantUpdate.ts
 */
import { randomUUID } from "node:crypto";
import { BookingEntity } from "../../../server/db/entities/index.js";
import { migrateUp, openDatabase } from "../../../server/db/orm.js";

const db = await openDatabase({ kind: "pglite", dir: "memory://" });
await migrateUp(db);
const knex = (db.orm.em.getConnection() as unknown as { getKnex(): { on(e: "query", f: (q: { sql: string }) => void): void } }).getKnex();
let log: string[] = [];
knex.on("query", (q) => log.push(q.sql.slice(0, 100)));
const booking = () => ({
  id: randomUUID(),
  gymId: randomUUID(),
  sessionId: randomUUID(),
  memberId: randomUUID(),
  status: "booked" as const,
  createdAt: Date.now(),
  updatedAt: Date.now(),
  creditUsed: false,
  promotedFromWaitlist: false,
});

for (const inner of [true, false]) {
  log = [];
  await db.orm.em.fork().transactional(async (tx) => {
    tx.create(BookingEntity, booking());
    if (inner) await tx.flush();
  });
  console.log(`${inner ? "with" : "without"} a flush inside the transaction:\n  ${log.join("\n  ")}`);
}
await db.close();
