/**
 * Issue 15 (promotion tail): a delivery pass is three statements whatever it holds — the claim, one read of every
 * notice's preferences, quiet hours, finished targets and address, one write of the email targets, their mail and
 * each notice's next due time — not ten per notice racing the rooms' commits. When that write fails, each notice is
 * recorded on its own, so one bad notice doesn't hold the others. Real PostgreSQL; statements counted at the `pg` client.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Logger } from "../../../server/logger.js";
import { NoticeDelivery } from "../../../server/notify/noticeDelivery.js";
import { settleAnchors } from "../../../server/audit/anchors.js";
import { requirePostgres } from "../../support/services.js";
import { withMigratedGym } from "../../support/migratedGym.js";
import { statementsDuring } from "../../support/pgStatements.js";

const pg = await requirePostgres();
const log = { info() {}, warn() {}, error() {} } as unknown as Logger;

/** Counts the statements `pg` sends while `run` runs (each by its first 40 characters). */
const statements = (run: () => Promise<void>) => statementsDuring(run, (text) => text.trim().slice(0, 40));

describe("a notice delivery pass", () => {
  const t = withMigratedGym(pg, { capacity: 5, members: 4, beforeClose: (db) => settleAnchors(db.orm) });

  it("mails three members' promotions in three statements, once each, and finds nothing due after", async () => {
    const sql = (q: string, params: unknown[] = []) => t.db.orm.em.fork().getConnection().execute(q, params);
    const members = t.gym.members.slice(0, 3);
    // One of them chose no promotion mail: no mail for them, the notice done all the same.
    await sql(`insert into notice_preference (user_id, kind, channel, enabled) values (?, 'promoted', 'email', false)`, [members[2]!.id]);
    const ids = members.map(() => randomUUID());
    const at = new Date();
    for (const [i, m] of members.entries())
      await sql(
        `insert into notice (id, user_id, gym_id, kind, text, session_id, at, delivery_due_at, delivery_attempts) values (?, ?, ?, 'promoted', ?, ?, ?, ?, 0)`,
        [ids[i], m.id, t.gym.gymId, `You're in (${i})`, t.gym.sessionId, at, at],
      );
    let queued = 0;
    const delivery = new NoticeDelivery({
      orm: t.db.orm,
      push: null,
      log,
      now: Date.now,
      publicUrl: () => "https://spotter.test",
      mailQueued: () => (queued += 1),
    });

    const pass = await statements(() => delivery.kick());
    expect(pass).toHaveLength(3);
    expect(queued).toBe(1);
    const mails = (await sql(`select to_address, subject from mail_outbox where template = 'notice' order by to_address`)) as {
      to_address: string;
    }[];
    expect(mails.map((m) => m.to_address)).toEqual([members[0]!.email, members[1]!.email].sort());
    expect(await sql(`select count(*)::int as n from notice_delivery where target = 'email' and status = 'sent'`)).toEqual([{ n: 2 }]);
    expect(
      await sql(`select delivery_due_at, delivery_attempts from notice where id in (?, ?, ?)`, ids).then((rows) =>
        (rows as { delivery_due_at: unknown; delivery_attempts: number }[]).map((r) => [r.delivery_due_at, r.delivery_attempts]),
      ),
    ).toEqual([
      [null, 1],
      [null, 1],
      [null, 1],
    ]);

    // Nothing due: the claim alone; nothing mailed twice.
    expect(await statements(() => delivery.kick())).toHaveLength(1);
    expect(await sql(`select count(*)::int as n from mail_outbox where template = 'notice'`)).toEqual([{ n: 2 }]);
  });

  it("when the pass's one write fails, records each notice alone: the others are delivered, the bad one is logged by id in words and retried", async () => {
    const sql = (q: string, params: unknown[] = []) => t.db.orm.em.fork().getConnection().execute(q, params);
    const [ann, ben, , dan] = t.gym.members;
    const people = [ann!, ben!, dan!];
    // The mail outbox refuses Dan's mail (a constraint of this test's own database): the batch's one statement fails for real.
    await sql(`alter table mail_outbox add constraint refuses_dan check (to_address <> '${dan!.email}')`);
    const ids = people.map(() => randomUUID());
    const at = new Date(Date.now() + 60_000);
    for (const [i, m] of people.entries())
      await sql(
        `insert into notice (id, user_id, gym_id, kind, text, session_id, at, delivery_due_at, delivery_attempts) values (?, ?, ?, 'promoted', ?, ?, ?, ?, 0)`,
        [ids[i], m.id, t.gym.gymId, `Moved up (${i})`, t.gym.sessionId, at, at],
      );
    const warned: { fields: { notice?: string; err?: string }; message: string }[] = [];
    const recording = { ...log, warn: (fields: { notice?: string; err?: string }, message: string) => warned.push({ fields, message }) };
    let clock = at.getTime();
    const delivery = new NoticeDelivery({
      orm: t.db.orm,
      push: null,
      log: recording as unknown as Logger,
      now: () => clock,
      publicUrl: () => "https://spotter.test",
    });
    const delivered = () =>
      sql(`select notice_id from notice_delivery where target = 'email' and status = 'sent' and notice_id in (?, ?, ?)`, ids).then((rows) =>
        (rows as { notice_id: string }[]).map((r) => r.notice_id).sort(),
      );
    /** Each notice's next due time (ms; null: done) and attempts. */
    const state = () =>
      sql(
        `select id, (extract(epoch from delivery_due_at) * 1000)::float8 as due, delivery_attempts as attempts from notice where id in (?, ?, ?)`,
        ids,
      ).then(
        (rows) =>
          new Map(
            (rows as { id: string; due: number | null; attempts: number }[]).map((r) => [r.id, { due: r.due, attempts: r.attempts }]),
          ),
      );

    try {
      await delivery.kick();
      // Ann's and Ben's mail is queued and their notices are done...
      expect(await delivered()).toEqual([ids[0], ids[1]].sort());
      expect(
        await sql(`select to_address from mail_outbox where template = 'notice' and created_at >= ? order by to_address`, [at]),
      ).toEqual([{ to_address: ann!.email }, { to_address: ben!.email }].sort((a, b) => a.to_address.localeCompare(b.to_address)));
      const after = await state();
      for (const id of [ids[0], ids[1]]) expect(after.get(id!)).toEqual({ due: null, attempts: 1 });
      // ...Dan's is nothing stored (no mail, no target, no attempt spent), still claimed, and said in the log with its id and why.
      expect(after.get(ids[2]!)).toEqual({ due: clock + 60_000, attempts: 0 });
      expect(warned).toEqual([
        { fields: { notice: ids[2], err: expect.stringContaining("refuses_dan") }, message: "notice delivery failed; retried later" },
      ]);
    } finally {
      await sql(`alter table mail_outbox drop constraint refuses_dan`);
    }

    // Once its claim runs out, the next pass delivers it.
    clock += 61_000;
    await delivery.kick();
    expect(await delivered()).toEqual([...ids].sort());
    expect((await state()).get(ids[2]!)).toEqual({ due: null, attempts: 1 });
  });
});
