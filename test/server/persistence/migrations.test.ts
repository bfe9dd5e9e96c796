import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateUp, openDatabase, pendingMigrations, type Database } from "../../../server/db/orm.js";
import { migrationsList } from "../../../migrations/index.js";
import { emptyDatabases, requirePostgres } from "../../support/services.js";

const pg = await requirePostgres();

describe.each(emptyDatabases(pg))("migrations on an empty $name database", ({ create }) => {
  let db: Database;
  let dispose: () => Promise<void>;
  let applied: string[];

  beforeAll(async () => {
    const opened = await create();
    dispose = opened.dispose;
    db = await openDatabase(opened.target, 2);
    applied = await migrateUp(db);
  });
  afterAll(async () => {
    await db?.close();
    await dispose?.();
  });

  const sql = (query: string, params: unknown[] = []) => db.orm.em.fork().getConnection().execute(query, params);

  it("applies every listed migration, in order, and leaves none pending", async () => {
    expect(applied).toEqual(migrationsList.map((m) => m.name));
    expect(await pendingMigrations(db)).toEqual([]);
  });

  it("leaves no drift between the entities and the migrated schema", async () => {
    const diff = await db.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe("");
  });

  it("creates the partial unique index booking_one_live_per_member", async () => {
    const rows = await sql(`select indexdef from pg_indexes where tablename = 'booking' and indexname = 'booking_one_live_per_member'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.indexdef).toMatch(/UNIQUE INDEX .* WHERE/);
  });

  it("refuses a second live booking of one member in one session, but allows it after a cancel", async () => {
    const gym = randomUUID();
    const session = randomUUID();
    const member = randomUUID();
    const insert = (status: string) =>
      sql(
        `insert into booking (id, gym_id, session_id, member_id, status, created_at, updated_at, credit_used, promoted_from_waitlist)
         values (?, ?, ?, ?, ?, now(), now(), false, false)`,
        [randomUUID(), gym, session, member, status],
      );
    await insert("cancelled");
    await insert("booked");
    await expect(insert("booked")).rejects.toThrow(/booking_one_live_per_member/);
    await expect(insert("checked_in")).rejects.toThrow(/booking_one_live_per_member/);
    await insert("late_cancelled");
    const [count] = await sql(`select count(*)::int as n from booking where session_id = ?`, [session]);
    expect(count!.n).toBe(3);
  });
});
