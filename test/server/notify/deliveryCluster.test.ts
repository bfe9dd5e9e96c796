/**
 * The delivery outbox across nodes: notices a node committed and never sent (it died right after its commit) are
 * sent by the nodes left, each to each device exactly once, however the nodes' sweeps race (issue 20).
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { startPushService, type TestPushService } from "../../support/pushService.js";
import { createTestDatabase, requirePostgres, startTestServer, type TestDatabase, type TestServer } from "../../support/services.js";
import { eventually } from "../../support/sockets.js";

const pg = await requirePostgres();

describe("notice delivery on two nodes", () => {
  let db: TestDatabase;
  let push: TestPushService;
  const nodes: TestServer[] = [];
  let gym: GymFixture;

  beforeAll(async () => {
    [push, db] = await Promise.all([startPushService(), createTestDatabase(pg.url!)]);
    const env = { DATABASE_URL: db.url, SPOTTER_MODE: "embedded" as const, JWT_SECRET: "c".repeat(40) };
    // Both nodes sign with the same VAPID keys (production passes them in the environment).
    nodes.push(await startTestServer({ ...env, NODE_ID: "a" }, { pushCa: push.certificate }));
    const keys = JSON.parse(readFileSync(join(nodes[0]!.dataDir, "vapid.json"), "utf8")) as { publicKey: string; privateKey: string };
    nodes.push(await startTestServer({ ...env, NODE_ID: "b", VAPID_PUBLIC_KEY: keys.publicKey, VAPID_PRIVATE_KEY: keys.privateKey }, { pushCa: push.certificate }));
    gym = await aGym(nodes[0]!.server.db.orm, { members: 1 });
  }, 60_000);

  afterAll(async () => {
    for (const n of nodes) await n.cleanup();
    await Promise.all([db?.drop(), push?.close()]);
  });

  it("sends notices a dead node committed, once per device, while both nodes sweep", async () => {
    const member = gym.members[0]!;
    const sql = (q: string, params: unknown[] = []) => nodes[0]!.server.db.orm.em.fork().getConnection().execute(q, params);
    const devices = [push.device(), push.device()];
    for (const d of devices)
      await sql(`insert into push_subscription (id, user_id, session_id, endpoint, p256dh, auth, created_at) values (?, ?, null, ?, ?, ?, now())`, [
        randomUUID(), member.id, d.endpoint, d.keys.p256dh, d.keys.auth,
      ]);
    // What a node's commit leaves when the node dies before its own send: due rows.
    const ids = Array.from({ length: 40 }, () => randomUUID());
    for (const id of ids)
      await sql(`insert into notice (id, user_id, gym_id, kind, text, session_id, at, read_at, delivery_due_at, delivery_attempts) values (?, ?, ?, 'promoted', 'You are in', null, now(), null, now(), 0)`, [
        id, member.id, gym.gymId,
      ]);
    await eventually(async () => {
      for (const d of devices) expect(d.received).toHaveLength(ids.length);
      expect(await sql(`select count(*)::int as n from notice where delivery_due_at is not null`)).toEqual([{ n: 0 }]);
    }, 15_000);
    for (const d of devices) expect(d.received.map((m) => (JSON.parse(m.text) as { id: string }).id).sort()).toEqual([...ids].sort());
    expect(await sql(`select count(*)::int as n from notice_delivery where status = 'sent' and channel = 'push'`)).toEqual([{ n: ids.length * devices.length }]);
    // And one email each, queued once through the mail outbox.
    expect(await sql(`select count(*)::int as n from mail_outbox where template = 'notice'`)).toEqual([{ n: ids.length }]);
  });
});
