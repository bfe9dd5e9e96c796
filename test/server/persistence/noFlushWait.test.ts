/**
 * Issue 15 (a lone command's latency): the work a commit leaves behind — applying its outbox row, anchoring its
 * chain head, claiming and recording its notices' delivery, the mail — commits without waiting for a WAL flush of
 * its own, so the next command's one-statement commit no longer queues behind four or five of them. A room's commit
 * still waits for its flush (its answer promises it is stored). Real PostgreSQL; statements seen at the `pg` client.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { RoomId } from "../../../domain/protocol/envelope.js";
import type { Caller } from "../../../rooms/ports.js";
import { RoomRegistry } from "../../../rooms/RoomRegistry.js";
import { settleAnchors } from "../../../server/audit/anchors.js";
import { BookingEntity, RoomOutboxEntity } from "../../../server/db/entities/index.js";
import type { Logger } from "../../../server/logger.js";
import { MailOutbox } from "../../../server/mail/mailOutbox.js";
import { NoticeDelivery } from "../../../server/notify/noticeDelivery.js";
import { classStore } from "../../../server/persistence/classStore.js";
import { gymStore } from "../../../server/persistence/gymStore.js";
import { NO_FLUSH_WAIT } from "../../../server/db/noFlushWait.js";
import { userStore } from "../../../server/persistence/userStore.js";
import { withMigratedGym } from "../../support/migratedGym.js";
import { testRuntime } from "../../support/roomRuntime.js";
import { requirePostgres } from "../../support/services.js";
import { statementsDuring } from "../../support/pgStatements.js";

const pg = await requirePostgres();
const log = { info() {}, warn() {}, error() {} } as unknown as Logger;
const MIN = 60_000;

const statements = (run: () => Promise<void>) => statementsDuring(run);

const writes = /^(with|insert|update|delete)\b/i;
const noWait = (s: string) => s.includes("no_flush_wait");

describe.skipIf(!pg.ok)("commits nobody's answer waits for", () => {
  const t = withMigratedGym(pg, { capacity: 5, members: 4, beforeClose: (db) => settleAnchors(db.orm) });

  it("skip the flush wait for their own transaction only: the connection's next commit waits again", async () => {
    const em = t.db.orm.em.fork();
    const conn = () => em.getConnection();
    const setting = (ctx: unknown) =>
      conn()
        .execute<{ synchronous_commit: string }[]>("show synchronous_commit", [], "all", ctx)
        .then((r) => r[0]!.synchronous_commit);
    const touch = (extra: string, ctx: unknown) =>
      conn().execute(`update gym set name = name where id = ? returning id${extra}`, [t.gym.gymId], "all", ctx);
    const inside = await em.transactional(async (tx) => {
      const ctx = tx.getTransactionContext();
      await touch("", ctx);
      const before = await setting(ctx);
      await touch(`, ${NO_FLUSH_WAIT}`, ctx);
      return [before, await setting(ctx)];
    });
    expect(inside).toEqual(["on", "off"]);
    // Autocommit: the statement is its own transaction; the pooled connection is back to waiting afterwards.
    await em.transactional(async (tx) => {
      await touch(`, ${NO_FLUSH_WAIT}`, undefined);
      expect(await setting(tx.getTransactionContext())).toBe("on");
    });
  });

  it("a check-in's room commit and its chain anchor wait for their flush; its outbox apply does not", async () => {
    const deps = { orm: t.db.orm, nodeId: "node", now: Date.now, idempotencyWindowMs: 60_000 };
    const registry = new RoomRegistry(
      testRuntime(Date.now, randomUUID),
      { classes: classStore(deps), gyms: gymStore(deps, async () => null), users: userStore(deps) },
      60_000,
    );
    const memberId = t.gym.members[0]!.id;
    const now = Date.now();
    const session = await t.gym.addSession({ startsAt: now + 10 * MIN, endsAt: now + 70 * MIN });
    const em = t.db.orm.em.fork();
    em.create(BookingEntity, {
      id: randomUUID(),
      gymId: t.gym.gymId,
      sessionId: session.id,
      memberId,
      status: "booked",
      createdAt: now - MIN,
      updatedAt: now - MIN,
      creditUsed: false,
      promotedFromWaitlist: false,
    });
    await em.flush();
    const room = `class:${session.id}` as RoomId;
    const caller: Caller = { userId: t.gym.coachId, membership: { gymId: t.gym.gymId, role: "coach", status: "active" } };
    await registry.send(room, { kind: "note", note: { type: "tick" } });
    const sent = await statements(async () => {
      const answer = await registry.send(room, {
        kind: "command",
        caller,
        commandId: randomUUID(),
        type: "class:checkIn",
        payload: { sessionId: session.id, memberId, source: "desk" },
        receivedAt: Date.now(),
      });
      expect(answer).toMatchObject({ ok: true, result: { status: "checked_in" } });
      for (let i = 0; i < 200 && (await t.db.orm.em.fork().count(RoomOutboxEntity, { room })) > 0; i++)
        await new Promise((r) => setTimeout(r, 10));
      await settleAnchors(t.db.orm);
    });
    await registry.close();
    const commit = sent.filter((s) => s.includes("insert into room_fence"));
    const apply = sent.filter((s) => s.startsWith("delete from room_outbox"));
    const anchor = sent.filter((s) => s.includes("insert into audit_head"));
    expect([commit.length, apply.length, anchor.length]).toEqual([1, 1, 1]);
    expect(commit.filter(noWait)).toEqual([]);
    // An anchored head may be copied out of the database (docs/security.md): it must survive a crash as seen.
    expect(anchor.filter(noWait)).toEqual([]);
    expect(apply.every(noWait)).toBe(true);
  }, 60_000);

  it("notice delivery and its mail claim and record without waiting for a flush", async () => {
    const sql = (q: string, params: unknown[] = []) => t.db.orm.em.fork().getConnection().execute(q, params);
    const member = t.gym.members[1]!;
    const at = new Date();
    await sql(
      `insert into notice (id, user_id, gym_id, kind, text, session_id, at, delivery_due_at, delivery_attempts) values (?, ?, ?, 'promoted', 'You''re in', ?, ?, ?, 0)`,
      [randomUUID(), member.id, t.gym.gymId, t.gym.sessionId, at, at],
    );
    // No transport: the mail is claimed and its failure recorded (retried later), as on a node without SMTP.
    const mail = new MailOutbox(t.db.orm, null, "gym@spotter.test", log, Date.now);
    const delivery = new NoticeDelivery({
      orm: t.db.orm,
      push: null,
      log,
      now: Date.now,
      publicUrl: () => "https://spotter.test",
      mailQueued: () => void mail.kick(),
    });
    const sent = await statements(async () => {
      await delivery.kick();
      await mail.kick();
    });
    const written = sent.filter((s) => writes.test(s));
    // The claim and the record of the delivery pass, the mail's claim (a pass may find nothing more) and its outcome.
    const kinds = [
      "update notice set delivery_due_at",
      "insert into mail_outbox",
      "update mail_outbox set next_attempt_at",
      "update mail_outbox set status",
    ];
    expect(kinds.map((k) => written.filter((s) => s.includes(k)).length > 0)).toEqual([true, true, true, true]);
    expect(written.filter((s) => !noWait(s))).toEqual([]);
    expect(await sql(`select status, attempts from mail_outbox where to_address = ?`, [member.email])).toEqual([
      { status: "queued", attempts: 1 },
    ]);
  }, 60_000);
});
