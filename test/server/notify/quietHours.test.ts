/**
 * Quiet hours (issue 20) against a real server on PostgreSQL and a local RFC 8030 push service: a push waits until
 * they end, an offer never waits past its expiry (it goes out at once, living only until the offer ends), and an
 * offer that ran out before it could be sent is recorded, not pushed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ack } from "../../../domain/protocol/envelope.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { startPushService, type TestDevice, type TestPushService } from "../../support/pushService.js";
import { createTestDatabase, requirePostgres, startTestServer, type TestDatabase, type TestServer } from "../../support/services.js";
import { eventually, suiteSockets, type TestSocket } from "../../support/sockets.js";

const pg = await requirePostgres();

const ok = <T>(ack: Ack<T>): T => {
  if (!ack.ok) throw new Error(`expected ok, got ${JSON.stringify(ack.error)}`);
  return ack.result;
};

/** Quiet from an hour ago until three hours from now (UTC). */
function quietNow() {
  const d = new Date();
  const m = d.getUTCHours() * 60 + d.getUTCMinutes();
  return { startMinute: (m + 1_380) % 1_440, endMinute: (m + 180) % 1_440, timeZone: "UTC" };
}

describe("notices: quiet hours", () => {
  let db: TestDatabase;
  let t: TestServer;
  let push: TestPushService;
  let gym: GymFixture;
  const sockets = suiteSockets(() => t.server);
  const sql = async <T = Record<string, unknown>>(q: string, params: unknown[] = []): Promise<T[]> =>
    (await t.server.db.orm.em.fork().getConnection().execute(q, params)) as T[];

  beforeAll(async () => {
    [push, db] = await Promise.all([startPushService(), createTestDatabase(pg.url!)]);
    t = await startTestServer(
      { DATABASE_URL: db.url, SPOTTER_MODE: "embedded", JWT_SECRET: "q".repeat(40), COMMANDS_PER_SECOND: "1000" },
      { pushCa: push.certificate },
    );
    gym = await aGym(t.server.db.orm, { capacity: 1, members: 4, startsInMinutes: 24 * 60 });
  }, 60_000);

  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
    await Promise.all([db?.drop(), push?.close()]);
  });

  async function quietMember(i: number): Promise<{ id: string; s: TestSocket; device: TestDevice }> {
    const m = gym.members[i]!;
    const s = await sockets.connect(m.id);
    const device = push.device();
    ok(await s.command(`user:${m.id}`, "push:subscribe", { subscription: { endpoint: device.endpoint, keys: device.keys } }));
    expect(ok(await s.command(`user:${m.id}`, "inbox:setQuietHours", { quietHours: quietNow() }))).toEqual({ quietHours: quietNow() });
    return { id: m.id, s, device };
  }

  it("stores quiet hours per member and refuses an unknown zone or an empty span", async () => {
    const { id, s } = await quietMember(0);
    expect(ok(await s.command(`user:${id}`, "inbox:preferences", {}))).toMatchObject({ quietHours: quietNow() });
    expect(
      await s.command(`user:${id}`, "inbox:setQuietHours", { quietHours: { startMinute: 60, endMinute: 120, timeZone: "Mars/Olympus" } }),
    ).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
    expect(
      await s.command(`user:${id}`, "inbox:setQuietHours", { quietHours: { startMinute: 60, endMinute: 60, timeZone: "UTC" } }),
    ).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
    ok(await s.command(`user:${id}`, "inbox:setQuietHours", { quietHours: null }));
    expect(ok(await s.command(`user:${id}`, "inbox:preferences", {}))).toMatchObject({ quietHours: null });
  });

  it("holds a push until quiet hours end, without counting it as an attempt", async () => {
    const { id, device } = await quietMember(1);
    const [n] = await t.server.notices.notify([id], { kind: "message", text: "Open gym is closed on Monday", gymId: gym.gymId });
    await eventually(async () => {
      const [row] = await sql<{ due: Date; attempts: number }>(
        `select delivery_due_at as due, delivery_attempts as attempts from notice where id = ?`,
        [n!.id],
      );
      expect(new Date(row!.due).getTime()).toBeGreaterThan(Date.now() + 2 * 3_600_000);
      expect(row!.attempts).toBe(0);
    });
    expect(device.received).toEqual([]);
  });

  it("pushes an offer at once during quiet hours, living only until the offer expires (the class room's real offer)", async () => {
    const [a] = gym.members;
    const { id, s, device } = await quietMember(2);
    const offer = await gym.addSession({
      promotionMode: "offer",
      capacity: 1,
      startsAt: Date.now() + 48 * 3_600_000,
      endsAt: Date.now() + 49 * 3_600_000,
    });
    const room = `class:${offer.id}`;
    const sa = await sockets.connect(a!.id);
    ok(await sa.command(room, "class:book", { sessionId: offer.id }));
    ok(await s.command(room, "class:book", { sessionId: offer.id, waitlist: true }));
    const cancelledAt = Date.now();
    ok(await sa.command(room, "class:cancelBooking", { sessionId: offer.id }));
    const [stored] = await sql<{ id: string; expires_at: Date }>(
      `select id, expires_at from notice where user_id = ? and kind = 'offered'`,
      [id],
    );
    const expiresAt = new Date(stored!.expires_at).getTime();
    expect(expiresAt).toBeGreaterThanOrEqual(cancelledAt + 30 * 60_000 - 1_000);
    await eventually(() => expect(device.received).toHaveLength(1));
    const ttl = Number(device.received[0]!.headers.ttl);
    expect(ttl).toBeLessThanOrEqual(30 * 60);
    expect(ttl).toBeGreaterThan(30 * 60 - 30);
    expect(JSON.parse(device.received[0]!.text)).toMatchObject({ id: stored!.id, kind: "offered", sessionId: offer.id });
  });

  it("records an offer that ran out before it could be sent as expired, and never pushes it", async () => {
    const { id, device } = await quietMember(3);
    ok(await (await sockets.connect(id)).command(`user:${id}`, "inbox:setQuietHours", { quietHours: null }));
    const [n] = await t.server.notices.notify([id], {
      kind: "offered",
      text: "A spot opened",
      gymId: gym.gymId,
      expiresAt: Date.now() - 1_000,
    });
    await eventually(async () => {
      expect(await sql(`select status, last_error from notice_delivery where notice_id = ?`, [n!.id])).toEqual([
        { status: "expired", last_error: "It ran out before it could be sent." },
      ]);
    });
    expect(device.received).toEqual([]);
  });
});
