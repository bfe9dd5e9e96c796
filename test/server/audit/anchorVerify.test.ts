/**
 * `npm run audit:verify` over the per-room chains and the gym chain that anchors them (issue 15), as the CLI a
 * person runs: a room commit whose anchor is still waiting (the gym chain's head is held) is accepted and counted
 * as not yet anchored; once anchored nothing is left; and an anchor row changed behind the database's back is the
 * first broken link, in the gym chain, not in the room chain it names.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import type { AbstractSqlConnection } from "@mikro-orm/knex";
import { describe, expect, it } from "vitest";
import { GENESIS_HASH } from "../../../domain/audit/chain.js";
import type { RoomId } from "../../../domain/protocol/envelope.js";
import type { Caller } from "../../../rooms/ports.js";
import { RoomRegistry } from "../../../rooms/RoomRegistry.js";
import { ANCHOR_ACTION, settleAnchors } from "../../../server/audit/anchors.js";
import { classStore } from "../../../server/persistence/classStore.js";
import { gymStore } from "../../../server/persistence/gymStore.js";
import { userStore } from "../../../server/persistence/userStore.js";
import { withMigratedGym } from "../../support/migratedGym.js";
import { testRuntime } from "../../support/roomRuntime.js";
import { requirePostgres } from "../../support/services.js";

const pg = await requirePostgres();

/** `npm run audit:verify -- --gym <id>` against the test database; its exit code and output. */
function auditVerify(url: string, gymId: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/cli/auditVerify.ts", "--gym", gymId], {
      env: { PATH: process.env.PATH ?? "", DATABASE_URL: url },
      stdio: ["ignore", "pipe", "ignore"],
    });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout }));
  });
}

describe.skipIf(!pg.ok)("npm run audit:verify on room chains and their anchors", () => {
  const t = withMigratedGym(pg, { capacity: 5, members: 2, beforeClose: (db) => settleAnchors(db.orm) });

  it("accepts a room row whose anchor still waits, counts it, and finds a changed anchor in the gym chain", async () => {
    const { gymId, sessionId } = t.gym;
    const deps = { orm: t.db.orm, nodeId: "verify", now: Date.now, idempotencyWindowMs: 60_000 };
    const registry = new RoomRegistry(
      testRuntime(Date.now, randomUUID),
      { classes: classStore(deps), gyms: gymStore(deps, async () => null), users: userStore(deps) },
      60_000,
    );
    const book = (memberId: string) => {
      const caller: Caller = { userId: memberId, membership: { gymId, role: "member", status: "active" } };
      return registry.send(`class:${sessionId}` as RoomId, {
        kind: "command",
        caller,
        commandId: randomUUID(),
        type: "class:book",
        payload: { sessionId },
        receivedAt: Date.now(),
      });
    };
    expect(await book(t.gym.members[0]!.id)).toMatchObject({ ok: true });
    await settleAnchors(t.db.orm);
    expect(await auditVerify(t.url, gymId)).toEqual({
      code: 0,
      stdout: "ok: 1 rows in 1 gyms (2 chains, 1 anchors, 0 rows not yet anchored)\n",
    });

    // The gym chain's head is held: the room still commits (no lock shared with it), its anchor waits.
    const knex = (t.db.orm.em.getConnection() as AbstractSqlConnection).getKnex();
    const hold = await knex.transaction();
    await hold.raw(`insert into audit_head (gym_id, seq, hash) values (?, 0, ?) on conflict (gym_id) do update set seq = audit_head.seq`, [
      gymId,
      GENESIS_HASH,
    ]);
    expect(await book(t.gym.members[1]!.id)).toMatchObject({ ok: true });
    expect(await auditVerify(t.url, gymId)).toEqual({
      code: 0,
      stdout: "ok: 2 rows in 1 gyms (2 chains, 1 anchors, 1 rows not yet anchored)\n",
    });
    await hold.commit();
    await settleAnchors(t.db.orm);
    await registry.close();
    expect(await auditVerify(t.url, gymId)).toEqual({
      code: 0,
      stdout: "ok: 2 rows in 1 gyms (2 chains, 2 anchors, 0 rows not yet anchored)\n",
    });

    // An intruder (superuser, triggers off) makes the first anchor name another hash: the gym chain breaks there.
    const conn = t.db.orm.em.fork().getConnection();
    const [first] = await conn.execute<{ seq: string | number; hash: string }[]>(
      `select seq, hash from audit_log where chain = ? and action = ? order by seq limit 1`,
      [gymId, ANCHOR_ACTION],
    );
    await t.db.orm.em.fork().transactional(async (tx) => {
      const trx = tx.getTransactionContext();
      await tx.getConnection().execute(`set local session_replication_role = replica`, [], "run", trx);
      await tx
        .getConnection()
        .execute(
          `update audit_log set summary = jsonb_set(summary, '{after,hash}', to_jsonb(?::text)) where chain = ? and seq = ?`,
          ["f".repeat(64), gymId, first!.seq],
          "run",
          trx,
        );
    });
    const broken = await auditVerify(t.url, gymId);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(
      new RegExp(
        `^broken: gym ${gymId} chain ${gymId} seq ${Number(first!.seq)} \\(hash\\): expected [0-9a-f]{64}, found ${first!.hash}\n$`,
      ),
    );
  }, 120_000);
});
