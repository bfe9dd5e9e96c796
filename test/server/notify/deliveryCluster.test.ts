/**
 * The delivery outbox across nodes: notices a node committed and never sent (it died right after its commit) are
 * sent by the nodes left, each to each device exactly once, however the nodes' sweeps race (issue 20).
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SpotterServer } from "../../../server/createServer.js";
import { nodeCommand, serverEnv, startServerProcess } from "../../../scripts/lib/serverProcess.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { startPushService, type TestPushService } from "../../support/pushService.js";
import { createTestDatabase, requirePostgres, startTestServer, type TestDatabase, type TestServer } from "../../support/services.js";
import { connectAs, eventually } from "../../support/sockets.js";

const pg = await requirePostgres();

describe("notice delivery on two nodes", () => {
  let db: TestDatabase;
  let push: TestPushService;
  const nodes: TestServer[] = [];
  let gym: GymFixture;

  let keys: { publicKey: string; privateKey: string };

  beforeAll(async () => {
    [push, db] = await Promise.all([startPushService(), createTestDatabase(pg.url!)]);
    const env = { DATABASE_URL: db.url, SPOTTER_MODE: "embedded" as const, JWT_SECRET: "c".repeat(40) };
    // Both nodes sign with the same VAPID keys (production passes them in the environment).
    nodes.push(await startTestServer({ ...env, NODE_ID: "a" }, { pushCa: push.certificate }));
    keys = JSON.parse(readFileSync(join(nodes[0]!.dataDir, "vapid.json"), "utf8")) as { publicKey: string; privateKey: string };
    nodes.push(
      await startTestServer(
        { ...env, NODE_ID: "b", VAPID_PUBLIC_KEY: keys.publicKey, VAPID_PRIVATE_KEY: keys.privateKey },
        { pushCa: push.certificate },
      ),
    );
    gym = await aGym(nodes[0]!.server.db.orm, { members: 3, capacity: 1 });
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
      await sql(
        `insert into push_subscription (id, user_id, session_id, endpoint, p256dh, auth, created_at) values (?, ?, null, ?, ?, ?, now())`,
        [randomUUID(), member.id, d.endpoint, d.keys.p256dh, d.keys.auth],
      );
    // What a node's commit leaves when the node dies before its own send: due rows.
    const ids = Array.from({ length: 40 }, () => randomUUID());
    for (const id of ids)
      await sql(
        `insert into notice (id, user_id, gym_id, kind, text, session_id, at, read_at, delivery_due_at, delivery_attempts) values (?, ?, ?, 'promoted', 'You are in', null, now(), null, now(), 0)`,
        [id, member.id, gym.gymId],
      );
    await eventually(async () => {
      for (const d of devices) expect(d.received).toHaveLength(ids.length);
      expect(await sql(`select count(*)::int as n from notice where delivery_due_at is not null`)).toEqual([{ n: 0 }]);
    }, 45_000);
    for (const d of devices) expect(d.received.map((m) => (JSON.parse(m.text) as { id: string }).id).sort()).toEqual([...ids].sort());
    expect(await sql(`select count(*)::int as n from notice_delivery where status = 'sent' and channel = 'push'`)).toEqual([
      { n: ids.length * devices.length },
    ]);
    // And one email each, queued once through the mail outbox.
    expect(await sql(`select count(*)::int as n from mail_outbox where template = 'notice'`)).toEqual([{ n: ids.length }]);
  }, 60_000);

  it("a node SIGKILLed between a promotion's commit and its push: another node pushes it, once per device", async () => {
    const [a, b] = [gym.members[1]!, gym.members[2]!];
    const sql = (q: string, params: unknown[] = []) => nodes[0]!.server.db.orm.em.fork().getConnection().execute(q, params);
    // The doomed node: a real process on the same database and VAPID keys, trusting the local push service.
    const doomed = await startServerProcess(
      nodeCommand,
      serverEnv({
        DATA_DIR: mkdtempSync(join(tmpdir(), "spotter-doomed-")),
        PORT: "0",
        SEED_DEMO: "false",
        DATABASE_URL: db.url,
        SPOTTER_MODE: "embedded",
        JWT_SECRET: "c".repeat(40),
        NODE_ID: "doomed",
        VAPID_PUBLIC_KEY: keys.publicKey,
        VAPID_PRIVATE_KEY: keys.privateKey,
        NODE_EXTRA_CA_CERTS: push.certificateFile(),
        COMMANDS_PER_SECOND: "1000",
        NOTICE_CLAIM_SECONDS: "3",
      }),
    );
    const devices = [push.device(), push.device()];
    for (const d of devices)
      await sql(
        `insert into push_subscription (id, user_id, session_id, endpoint, p256dh, auth, created_at) values (?, ?, null, ?, ?, ?, now())`,
        [randomUUID(), b.id, d.endpoint, d.keys.p256dh, d.keys.auth],
      );
    const on = { url: doomed.url, jwtSecret: "c".repeat(40) } as SpotterServer;
    const [sa, sb] = [await connectAs(on, a.id), await connectAs(on, b.id)];
    try {
      const room = `class:${gym.sessionId}`;
      expect(await sa.command(room, "class:book", { sessionId: gym.sessionId })).toMatchObject({ ok: true });
      expect(await sb.command(room, "class:book", { sessionId: gym.sessionId, waitlist: true })).toMatchObject({ ok: true });
      // The doomed node's first push reaching the service kills it there: committed, claimed, never sent.
      let killed = false;
      for (const d of devices)
        d.onArrive = () => {
          if (!killed) process.kill(doomed.pid, "SIGKILL");
          killed = true;
          return true;
        };
      await sa.command(room, "class:cancelBooking", { sessionId: gym.sessionId });
      const [notice] = (await sql(`select id from notice where user_id = ? and kind = 'promoted'`, [b.id])) as { id: string }[];
      expect(notice).toBeDefined();
      await eventually(() => expect(killed).toBe(true), 10_000);
      await doomed.stop("SIGKILL");
      expect(devices.every((d) => d.received.length === 0)).toBe(true);
      for (const d of devices) delete d.onArrive;
      // The node left sends it once the dead node's claim runs out (3 s here; a minute by default), once per device.
      await eventually(async () => {
        for (const d of devices) expect(d.received.map((m) => (JSON.parse(m.text) as { id: string }).id)).toEqual([notice!.id]);
        expect(
          await sql(`select count(*)::int as n from notice_delivery where notice_id = ? and status = 'sent' and channel = 'push'`, [
            notice!.id,
          ]),
        ).toEqual([{ n: 2 }]);
      }, 30_000);
      await sql(`update notice set delivery_due_at = now() where id = ?`, [notice!.id]);
      await new Promise((r) => setTimeout(r, 1_500));
      for (const d of devices) expect(d.received).toHaveLength(1);
    } finally {
      sa.close();
      sb.close();
      await doomed.stop("SIGKILL");
    }
  }, 120_000);
});
