/**
 * The start-up warm-up of class commits (server/persistence/commitWarmUp.ts) runs the real commit statements on the
 * pool's connections with a version that never holds: it must write nothing at all (no row in any table, no
 * sequence value taken, no room version), and the rooms' own commits after it must commit and verify as before.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { RoomId } from "../../../domain/protocol/envelope.js";
import type { Caller } from "../../../rooms/ports.js";
import { RoomRegistry } from "../../../rooms/RoomRegistry.js";
import { settleAnchors } from "../../../server/audit/anchors.js";
import { verifyAudit } from "../../../server/audit/verifyAudit.js";
import { classStore } from "../../../server/persistence/classStore.js";
import { warmCommits } from "../../../server/persistence/commitWarmUp.js";
import { gymStore } from "../../../server/persistence/gymStore.js";
import { settleOutbox } from "../../../server/persistence/outbox.js";
import { userStore } from "../../../server/persistence/userStore.js";
import { testRuntime } from "../../support/roomRuntime.js";
import { requirePostgres } from "../../support/services.js";
import { onPgQuery } from "../../support/pgStatements.js";
import { databaseFingerprint } from "../../support/dbFingerprint.js";
import { withMigratedGym } from "../../support/migratedGym.js";

const pg = await requirePostgres();

/** The text of every statement sent to PostgreSQL by `pg` clients while recording. */
function recordStatements() {
  const texts: string[] = [];
  return { texts, restore: onPgQuery((_client, text) => texts.push(text)) };
}

describe.skipIf(!pg.ok)("the start-up warm-up of class commits", () => {
  const t = withMigratedGym(pg, {
    capacity: 2,
    members: 6,
    startsInMinutes: 10,
    beforeClose: async (db) => {
      await settleAnchors(db.orm);
      await settleOutbox(db.orm);
    },
  });
  const everything = () => databaseFingerprint(t.db.orm);

  it("runs each commit statement on every kept connection and writes nothing; the rooms' commits after it commit and verify", async () => {
    const before = await everything();
    // The audit rows' position sequence is among what is compared (a nextval by the warm-up would move it).
    expect(Object.keys(before)).toContain("sequence audit_log_pos_seq");
    const recorded = recordStatements();
    let warmed: string[];
    try {
      // A booking, a cancel that promotes, a check-in: three statements, each on four connections.
      expect(await warmCommits(t.db.orm, 4)).toBe(12);
      warmed = recorded.texts.filter((t) => /^\s*with held/i.test(t));
    } finally {
      recorded.restore();
    }
    expect(warmed).toHaveLength(12);
    expect(new Set(warmed).size).toBe(3);
    expect(warmed.some((t) => t.includes("insert into audit_log") && t.includes("processed_command"))).toBe(true);
    expect(await everything()).toEqual(before);

    const deps = { orm: t.db.orm, nodeId: "after-warm-up", now: Date.now, idempotencyWindowMs: 60_000 };
    const registry = new RoomRegistry(
      testRuntime(Date.now, randomUUID),
      { classes: classStore(deps), gyms: gymStore(deps, async () => null), users: userStore(deps) },
      60_000,
    );
    const room = `class:${t.gym.sessionId}` as RoomId;
    const command = (userId: string, type: string, payload: Record<string, unknown>, role: "member" | "coach" = "member") => {
      const caller: Caller = { userId, membership: { gymId: t.gym.gymId, role, status: "active" } };
      return registry.send(room, {
        kind: "command",
        caller,
        commandId: randomUUID(),
        type,
        payload: { sessionId: t.gym.sessionId, ...payload },
        receivedAt: Date.now(),
      });
    };
    const live = recordStatements();
    try {
      for (const m of t.gym.members.slice(0, 3)) expect(await command(m.id, "class:book", { waitlist: true })).toMatchObject({ ok: true });
      expect(await command(t.gym.members[0]!.id, "class:cancelBooking", { acceptFee: true })).toMatchObject({ ok: true });
      expect(await command(t.gym.coachId, "class:checkIn", { memberId: t.gym.members[1]!.id, source: "desk" }, "coach")).toMatchObject({
        ok: true,
      });
    } finally {
      live.restore();
      await registry.close();
    }
    // The rooms' statements are the ones the warm-up prepared (a booking's at least): their first run was not their first parse.
    expect(live.texts.filter((t) => warmed.includes(t)).length).toBeGreaterThan(0);
    const [fence] = await t.db.orm.em
      .fork()
      .getConnection()
      .execute<{ fence: string }[]>(`select fence from room_fence where room_id = ?`, [room]);
    expect(Number(fence!.fence)).toBeGreaterThanOrEqual(1);
    await settleAnchors(t.db.orm);
    expect(await verifyAudit(t.db.orm.em.fork(), t.gym.gymId)).toMatchObject({ broken: null, unanchored: 0 });
  }, 60_000);
});
