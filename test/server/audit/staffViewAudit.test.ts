/**
 * A staff view of a room is an audited bulk read of personal data: the join answers only once its audit row is
 * stored (issue 15: the row used to be inserted after the answer had gone out). Reads recorded together share one insert.
 */
import type { AbstractSqlConnection } from "@mikro-orm/knex";
import { describe, expect, it } from "vitest";
import { ReadAudit } from "../../../server/audit/readAudit.js";
import { createLogger } from "../../../server/logger.js";
import { statementsDuring } from "../../support/pgStatements.js";
import { requirePostgres } from "../../support/services.js";
import { gymSuite } from "../../support/gymSuite.js";
import { eventually } from "../../support/sockets.js";

const pg = await requirePostgres();

describe.skipIf(!pg.ok)("auditing a staff view of a room", () => {
  const s = gymSuite({ pg, env: { SPOTTER_MODE: "embedded", JWT_SECRET: "v".repeat(40) }, members: 2, staff: true });
  const knex = () => (s.t.server.db.orm.em.getConnection() as AbstractSqlConnection).getKnex();
  /** A staff member's view of a room, as the join records it. */
  const staffRead = (actorId: string, entityId: string) => ({
    gymId: s.gym.gymId,
    actorId,
    action: "room:join",
    entityType: "room",
    entityId,
    summary: { audience: "staff" },
    commandId: null,
    at: Date.now(),
  });
  const rows = async (room: string, actorId: string) =>
    (
      await s
        .em()
        .getConnection()
        .execute<{ n: number }[]>(
          `select (select count(*) from audit_outbox where entity_id = ? and actor_id = ?)
                + (select count(*) from audit_log where entity_id = ? and actor_id = ? and action = 'room:join') as n`,
          [room, actorId, room, actorId],
        )
    )[0]!.n;

  const insertsWaiting = async () =>
    (
      await s
        .em()
        .getConnection()
        .execute<unknown[]>(
          `select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query like 'insert into %audit_outbox%'`,
        )
    ).length;

  it("answers the join only after the row is stored: a held insert holds the answer back", async () => {
    const room = `class:${s.gym.sessionId}`;
    const { client } = knex();
    const holder = (await client.acquireConnection()) as { query(sql: string): Promise<unknown> };
    let answered = false;
    try {
      // Inserts into the outbox wait behind this lock (SHARE conflicts with an insert's ROW EXCLUSIVE).
      await holder.query("begin; lock table audit_outbox in share mode");
      const joined = s.desk.join(room).then((ack) => ((answered = true), ack));
      await eventually(async () => expect(await insertsWaiting()).toBe(1), 10_000);
      // The insert is blocked, so the row is not stored: the answer must not be out (before, it went out first).
      expect(answered).toBe(false);
      await holder.query("commit");
      expect(await joined).toMatchObject({ ok: true, result: { audience: "staff" } });
      expect(Number(await rows(room, s.gym.deskId))).toBe(1);
    } finally {
      await holder.query("rollback").catch(() => undefined);
      await client.releaseConnection(holder);
    }
  });

  it("stores reads recorded in one turn in one statement, and reads recorded while it runs in the next one", async () => {
    const audit = new ReadAudit(s.t.server.db.orm, createLogger("silent", "read-audit-test"));
    const read = (entityId: string) => staffRead(s.gym.coachId, entityId);
    const ids = ["batch:a", "batch:b", "batch:c", "batch:d", "batch:e"];
    const together = await statementsDuring(() => Promise.all(ids.slice(0, 3).map((id) => audit.record(read(id)))).then(() => undefined));
    expect(together.filter((q) => /^insert into "?audit_outbox/.test(q))).toHaveLength(1);
    // The first insert held by a lock: the next two wait and go together.
    const { client } = knex();
    const holder = (await client.acquireConnection()) as { query(sql: string): Promise<unknown> };
    try {
      await holder.query("begin; lock table audit_outbox in share mode");
      const behind = await statementsDuring(async () => {
        const first = audit.record(read("batch:first"));
        await eventually(async () => expect(await insertsWaiting()).toBe(1), 10_000);
        const next = ids.slice(3).map((id) => audit.record(read(id)));
        await holder.query("commit");
        await Promise.all([first, ...next]);
      });
      expect(behind.filter((q) => /^insert into "?audit_outbox/.test(q))).toHaveLength(2);
    } finally {
      await holder.query("rollback").catch(() => undefined);
      await client.releaseConnection(holder);
    }
    for (const id of [...ids, "batch:first"]) expect(Number(await rows(id, s.gym.coachId))).toBe(1);
  });

  it("refuses a read whose row is not stored in time, and the next read is not held behind it", async () => {
    const audit = new ReadAudit(s.t.server.db.orm, createLogger("silent", "read-audit-test"), 300);
    const read = (entityId: string) => staffRead(s.gym.ownerId, entityId);
    const { client } = knex();
    const holder = (await client.acquireConnection()) as { query(sql: string): Promise<unknown> };
    try {
      await holder.query("begin; lock table audit_outbox in share mode");
      // Stuck behind the lock (a half-open connection would look the same): refused, not waited for forever.
      await expect(audit.record(read("timeout:a"))).rejects.toThrow(/not stored within 300 ms/);
      await holder.query("commit");
      await audit.record(read("timeout:b"));
    } finally {
      await holder.query("rollback").catch(() => undefined);
      await client.releaseConnection(holder);
    }
    expect(Number(await rows("timeout:b", s.gym.ownerId))).toBe(1);
  });

  it("keeps the watch of a later join of the room when an earlier join's audit fails (a client's retry after its timeout)", async () => {
    const room = `class:${s.gym.sessionId}`;
    const coach = await s.sockets.connect(s.gym.coachId);
    const { client } = knex();
    const holder = (await client.acquireConnection()) as { query(sql: string): Promise<unknown> };
    try {
      await holder.query("begin; lock table audit_outbox in share mode");
      const first = coach.join(room);
      await eventually(async () => expect(await insertsWaiting()).toBe(1), 10_000);
      const second = coach.join(room);
      // The first join's insert times out (READ_AUDIT_TIMEOUT_MS): refused; the second is then held by the lock in turn.
      expect(await first).toMatchObject({ ok: false, error: { code: "UNAVAILABLE" } });
      await holder.query("commit");
      expect(await second).toMatchObject({ ok: true, result: { audience: "staff" } });
    } finally {
      await holder.query("rollback").catch(() => undefined);
      await client.releaseConnection(holder);
    }
    // Still watching: a booking reaches the coach's roster (before, the failed first join left the room under the second).
    const member = await s.sockets.connect(s.gym.members[0]!.id);
    expect(await member.command(room, "class:book", { sessionId: s.gym.sessionId })).toMatchObject({ ok: true });
    await eventually(() => expect(coach.deltas.some((d) => d.room === room)).toBe(true), 10_000);
  }, 30_000);
});
