/**
 * A node that dies between a room's commit and its anchor leaves that room chain's tail unanchored; a room that
 * never commits again would keep it so for good. At start-up every node anchors such heads. Here the "dead node"
 * is an ORM closed right after its commit (its anchor write fails); a second one starts and anchors the tail.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { RoomId } from "../../../domain/protocol/envelope.js";
import type { Caller } from "../../../rooms/ports.js";
import type { AbstractSqlConnection } from "@mikro-orm/knex";
import { GENESIS_HASH } from "../../../domain/audit/chain.js";
import { RoomRegistry } from "../../../rooms/RoomRegistry.js";
import { anchorLeftBehind, settleAnchors } from "../../../server/audit/anchors.js";
import { verifyAudit } from "../../../server/audit/verifyAudit.js";
import { openDatabase } from "../../../server/db/orm.js";
import { classStore } from "../../../server/persistence/classStore.js";
import { gymStore } from "../../../server/persistence/gymStore.js";
import { userStore } from "../../../server/persistence/userStore.js";
import { testRuntime } from "../../support/roomRuntime.js";
import { requirePostgres } from "../../support/services.js";
import { withMigratedGym } from "../../support/migratedGym.js";

const pg = await requirePostgres();

describe.skipIf(!pg.ok)("audit chain heads left unanchored by a node that died", () => {
  const t = withMigratedGym(pg, { capacity: 5, members: 2 });

  it("are anchored when a node starts, and the chains verify with nothing unanchored", async () => {
    const dying = await openDatabase({ kind: "postgres", url: t.url }, 2);
    const deps = { orm: dying.orm, nodeId: "dying", now: Date.now, idempotencyWindowMs: 60_000 };
    const registry = new RoomRegistry(
      { ...testRuntime(Date.now, randomUUID) },
      { classes: classStore(deps), gyms: gymStore(deps, async () => null), users: userStore(deps) },
      60_000,
    );
    const caller: Caller = { userId: t.gym.members[0]!.id, membership: { gymId: t.gym.gymId, role: "member", status: "active" } };
    // The gym chain's head is held, so the anchor that follows the commit waits; its connection is then cut
    // (as if the node died) until the writer gives up. The room's commit itself takes no such lock.
    const knex = (t.db.orm.em.getConnection() as AbstractSqlConnection).getKnex();
    const hold = await knex.transaction();
    await hold.raw(`insert into audit_head (gym_id, seq, hash) values (?, 0, ?) on conflict (gym_id) do update set seq = audit_head.seq`, [
      t.gym.gymId,
      GENESIS_HASH,
    ]);
    const ack = await registry.send(`class:${t.gym.sessionId}` as RoomId, {
      kind: "command",
      caller,
      commandId: randomUUID(),
      type: "class:book",
      payload: { sessionId: t.gym.sessionId },
      receivedAt: Date.now(),
    });
    expect(ack).toMatchObject({ ok: true });
    let cutting = true;
    const cut = (async () => {
      while (cutting) {
        await knex.raw(
          `select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
        );
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await settleAnchors(dying.orm);
    cutting = false;
    await cut;
    await hold.commit();
    await registry.close();
    await dying.close();
    const left = await verifyAudit(t.db.orm.em.fork(), t.gym.gymId);
    expect(left.broken).toBeNull();
    expect(left.unanchored).toBeGreaterThan(0);

    expect(await anchorLeftBehind(t.db.orm)).toBe(1);
    const after = await verifyAudit(t.db.orm.em.fork(), t.gym.gymId);
    expect(after).toMatchObject({ broken: null, unanchored: 0 });
    // Nothing left to anchor.
    expect(await anchorLeftBehind(t.db.orm)).toBe(0);
  }, 60_000);
});
