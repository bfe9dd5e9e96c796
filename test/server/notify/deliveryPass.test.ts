/**
 * Issue 15 (promotion tail): a delivery pass is three statements whatever it holds — the claim, one read of every
 * notice's preferences, quiet hours, finished targets and address, one write of the email targets, their mail and
 * each notice's next due time — not ten per notice racing the rooms' commits. Real PostgreSQL; statements counted
 * at the `pg` client.
 */
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import type { Logger } from "../../../server/logger.js";
import { NoticeDelivery } from "../../../server/notify/noticeDelivery.js";
import { settleAnchors } from "../../../server/audit/anchors.js";
import { requirePostgres } from "../../support/services.js";
import { withMigratedGym } from "../../support/migratedGym.js";

const pg = await requirePostgres();
const log = { info() {}, warn() {}, error() {} } as unknown as Logger;

/** Counts the statements `pg` sends while `run` runs. */
async function statements(run: () => Promise<void>): Promise<string[]> {
  type Client = { query(...args: unknown[]): unknown };
  const proto = (createRequire(import.meta.url)("pg") as { Client: { prototype: Client } }).Client.prototype;
  const query = proto.query;
  const seen: string[] = [];
  proto.query = function (this: Client, ...args: unknown[]) {
    const q = args[0] as string | { text?: string };
    seen.push((typeof q === "string" ? q : (q?.text ?? "")).trim().slice(0, 40));
    return query.apply(this, args);
  };
  try {
    await run();
  } finally {
    proto.query = query;
  }
  return seen;
}

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
});
