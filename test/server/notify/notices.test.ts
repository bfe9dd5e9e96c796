/**
 * Notifications (issue 20) over real sockets against a real server on PostgreSQL: the inbox row written in the
 * class commit, the live badge on every device, paging, and Web Push from the server's real send path to a local
 * RFC 8030 service that checks the VAPID signature and decrypts the message with the device's keys (RFC 8291).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ack, JoinResult, RoomDelta } from "../../../domain/protocol/envelope.js";
import { applyPatch } from "../../../domain/protocol/patch.js";
import type { UserView } from "../../../domain/views/userView.js";
import { approveDeletion, requestDeletion } from "../../../server/persistence/privacyStore.js";
import { revokeTokens } from "../../../server/persistence/revocationStore.js";
import { PgSessionStore } from "../../../server/persistence/sessionStore.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { startPushService, type TestDevice, type TestPushService } from "../../support/pushService.js";
import { createTestDatabase, requirePostgres, startTestServer, type TestDatabase, type TestServer } from "../../support/services.js";
import { startSmtp, type TestSmtp } from "../../support/smtp.js";
import { eventually, suiteSockets, watchRoom, type TestSocket } from "../../support/sockets.js";

const pg = await requirePostgres();

const ok = <T>(ack: Ack<T>): T => {
  if (!ack.ok) throw new Error(`expected ok, got ${JSON.stringify(ack.error)}`);
  return ack.result;
};

/** A live copy of a member's own room, kept by its deltas as a client keeps it. */
const watchUser = (s: TestSocket, userId: string) => watchRoom<UserView>(s, `user:${userId}`);

const subscription = (d: TestDevice) => ({ endpoint: d.endpoint, keys: d.keys });

describe("notices: the inbox, the badge and Web Push", () => {
  let db: TestDatabase;
  let t: TestServer;
  let push: TestPushService;
  let smtp: TestSmtp;
  let gym: GymFixture;
  const sockets = suiteSockets(() => t.server);
  const sql = async <T = Record<string, unknown>>(q: string, params: unknown[] = []): Promise<T[]> =>
    (await t.server.db.orm.em.fork().getConnection().execute(q, params)) as T[];

  beforeAll(async () => {
    [push, smtp, db] = await Promise.all([startPushService(), startSmtp(), createTestDatabase(pg.url!)]);
    t = await startTestServer(
      { DATABASE_URL: db.url, SPOTTER_MODE: "embedded", JWT_SECRET: "n".repeat(40), SMTP_URL: smtp.url, COMMANDS_PER_SECOND: "1000" },
      { pushCa: push.certificate },
    );
    gym = await aGym(t.server.db.orm, { capacity: 1, members: 6, startsInMinutes: 24 * 60 });
  }, 60_000);

  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
    await Promise.all([db?.drop(), push?.close(), smtp?.close()]);
  });

  it("stores a promotion's notice in the class commit, shows it on every device with the unread badge, and pushes it encrypted to each device once", async () => {
    const [a, b] = gym.members;
    const room = `class:${gym.sessionId}`;
    const [sa, phone, laptop] = await Promise.all([sockets.connect(a!.id), sockets.connect(b!.id), sockets.connect(b!.id)]);
    ok(await sa.command(room, "class:book", { sessionId: gym.sessionId }));
    ok(await phone.command(room, "class:book", { sessionId: gym.sessionId, waitlist: true }));
    const [onPhone, onLaptop] = await Promise.all([watchUser(phone, b!.id), watchUser(laptop, b!.id)]);
    expect(onPhone().unread).toBe(0);
    const [d1, d2] = [push.device(), push.device()];
    ok(await phone.command(`user:${b!.id}`, "push:subscribe", { subscription: subscription(d1) }));
    ok(await laptop.command(`user:${b!.id}`, "push:subscribe", { subscription: subscription(d2) }));

    ok(await sa.command(room, "class:cancelBooking", { sessionId: gym.sessionId }));

    const [stored] = await sql<{ id: string; kind: string; session_id: string; text: string }>(
      `select id, kind, session_id, text from notice where user_id = ?`,
      [b!.id],
    );
    expect(stored).toMatchObject({ kind: "promoted", session_id: gym.sessionId, text: expect.stringMatching(/^You're in: /) });
    await eventually(() => {
      expect(onPhone().unread).toBe(1);
      expect(onLaptop().notices[stored!.id]).toMatchObject({ kind: "promoted", readAt: null, sessionId: gym.sessionId });
      expect(d1.received).toHaveLength(1);
      expect(d2.received).toHaveLength(1);
    });
    for (const d of [d1, d2]) {
      expect(JSON.parse(d.received[0]!.text)).toEqual({
        id: stored!.id,
        kind: "promoted",
        title: "Spotter",
        body: stored!.text,
        url: `/bookings?session=${gym.sessionId}`,
        sessionId: gym.sessionId,
      });
      expect(d.received[0]!.audience).toBe(push.url);
      expect(d.received[0]!.headers.urgency).toBe("high");
    }
    await eventually(async () => {
      const rows = await sql<{ target: string; status: string }>(
        `select target, status from notice_delivery where notice_id = ? and channel = 'push'`,
        [stored!.id],
      );
      expect(rows.map((r) => r.status)).toEqual(["sent", "sent"]);
      expect((await sql(`select 1 from notice where id = ? and delivery_due_at is null`, [stored!.id])).length).toBe(1);
    });

    // Read on the phone: the laptop's badge drops too, and the mark is stored.
    expect(ok(await phone.command(`user:${b!.id}`, "inbox:markRead", { ids: [stored!.id] }))).toEqual({ unread: 0 });
    await eventually(() => expect(onLaptop().unread).toBe(0));
    expect((await sql(`select 1 from notice where id = ? and read_at is not null`, [stored!.id])).length).toBe(1);
  });

  it("stores a fee notice in the commit that charges the fee, and a cancelled-class notice for everyone booked or waitlisted", async () => {
    const [a, b, c] = gym.members;
    const other = await gym.addSession({ startsAt: Date.now() + 48 * 3_600_000, endsAt: Date.now() + 49 * 3_600_000, capacity: 1 });
    const room = `class:${other.id}`;
    const coach = await sockets.connect(gym.coachId);
    ok(await (await sockets.connect(a!.id)).command(room, "class:book", { sessionId: other.id }));
    ok(await (await sockets.connect(b!.id)).command(room, "class:book", { sessionId: other.id, waitlist: true }));
    // Staff cancel a's booking with the fee: the fee row and its notice are one commit.
    ok(await coach.command(room, "class:cancelBooking", { sessionId: other.id, memberId: a!.id, withFee: true }));
    const fee = await sql<{ kind: string; text: string }>(`select kind, text from notice where user_id = ? and session_id = ?`, [
      a!.id,
      other.id,
    ]);
    expect(fee).toEqual([{ kind: "fee_charged", text: expect.stringMatching(/^A late-cancel fee of .*5\.00 was charged for /) }]);
    ok(await (await sockets.connect(c!.id)).command(room, "class:book", { sessionId: other.id, waitlist: true }));
    ok(await coach.command(room, "class:cancel", { sessionId: other.id, reason: "Coach is ill" }));
    const cancelled = await sql<{ user_id: string }>(
      `select user_id from notice where session_id = ? and kind = 'class_cancelled' order by user_id`,
      [other.id],
    );
    expect(cancelled.map((r) => r.user_id)).toEqual([b!.id, c!.id].sort());
  });

  it("tells everyone booked or waiting when their class moves, in the commit that moves it", async () => {
    const [a, b] = gym.members;
    const startsAt = Date.now() + 72 * 3_600_000;
    const moved = await gym.addSession({ startsAt, endsAt: startsAt + 3_600_000, capacity: 1 });
    ok(await (await sockets.connect(a!.id)).command(`class:${moved.id}`, "class:book", { sessionId: moved.id }));
    ok(await (await sockets.connect(b!.id)).command(`class:${moved.id}`, "class:book", { sessionId: moved.id, waitlist: true }));
    const owner = await sockets.connect(gym.ownerId);
    ok(await owner.command(`class:${moved.id}`, "class:setCapacity", { sessionId: moved.id, capacity: 1 }));
    expect(await sql(`select 1 from notice where session_id = ?`, [moved.id])).toEqual([]);
    ok(await owner.command(`gym:${gym.gymId}`, "schedule:updateSession", { sessionId: moved.id, startsAt: startsAt + 3_600_000 }));
    const rows = await sql<{ user_id: string; kind: string; text: string }>(
      `select user_id, kind, text from notice where session_id = ? order by user_id`,
      [moved.id],
    );
    expect(rows.map((r) => r.user_id)).toEqual([a!.id, b!.id].sort());
    expect(rows[0]).toMatchObject({ kind: "class_changed", text: expect.stringMatching(/^Moved: .* Strength is now /) });
  });

  it("catches a reconnecting device up with the notices it missed (the room's deltas since its last seq), each once", async () => {
    const h = gym.members[1]!;
    const first = await sockets.connect(h.id);
    const joined = ok(await first.join(`user:${h.id}`)) as Extract<JoinResult<UserView>, { snapshot: UserView }>;
    first.close();
    const [n1] = await t.server.notices.notify([h.id], { kind: "message", text: "Missed one", gymId: gym.gymId });
    const [n2] = await t.server.notices.notify([h.id], { kind: "message", text: "Missed two", gymId: gym.gymId });
    const again = await sockets.connect(h.id);
    const resumed = ok(await again.join(`user:${h.id}`, joined.seq)) as Extract<JoinResult<UserView>, { deltas: RoomDelta[] }>;
    expect("deltas" in resumed).toBe(true);
    const view = resumed.deltas.reduce<UserView>((v, d) => applyPatch(v, d.ops), joined.snapshot);
    expect(
      Object.values(view.notices)
        .map((n) => n.id)
        .filter((id) => id === n1!.id || id === n2!.id)
        .sort(),
    ).toEqual([n1!.id, n2!.id].sort());
    expect(view.unread).toBe(joined.snapshot.unread + 2);
  });

  it("sends a failed push again with backoff, and never twice to a device that has it", async () => {
    const c = gym.members[2]!;
    const s = await sockets.connect(c.id);
    const d = push.device();
    d.answer = 503;
    ok(await s.command(`user:${c.id}`, "push:subscribe", { subscription: subscription(d) }));
    const [n] = await t.server.notices.notify([c.id], { kind: "message", text: "Open gym closes early today", gymId: gym.gymId });
    await eventually(async () => {
      const [row] = await sql<{ status: string; last_error: string }>(
        `select status, last_error from notice_delivery where notice_id = ?`,
        [n!.id],
      );
      expect(row).toMatchObject({ status: "retrying", last_error: "push service answered 503" });
    });
    const [{ due }] = await sql<{ due: Date | string }>(`select delivery_due_at as due from notice where id = ?`, [n!.id]);
    expect(new Date(due).getTime()).toBeGreaterThan(Date.now());
    d.answer = 201;
    // Due now (the backoff passed); then due again as if a node died before clearing it: the device still gets one.
    await sql(`update notice set delivery_due_at = now() where id = ?`, [n!.id]);
    await eventually(async () =>
      expect((await sql(`select 1 from notice_delivery where notice_id = ? and status = 'sent'`, [n!.id])).length).toBe(1),
    );
    await sql(`update notice set delivery_due_at = now() where id = ?`, [n!.id]);
    await eventually(async () =>
      expect((await sql(`select 1 from notice where id = ? and delivery_due_at is null`, [n!.id])).length).toBe(1),
    );
    expect(d.received.map((m) => (JSON.parse(m.text) as { id: string }).id)).toEqual([n!.id]);
  });

  it("forgets a device the push service does not know (404), and only that one", async () => {
    const c = gym.members[2]!;
    const s = await sockets.connect(c.id);
    const [unknown, kept] = [push.device(), push.device()];
    unknown.answer = 404;
    ok(await s.command(`user:${c.id}`, "push:subscribe", { subscription: subscription(unknown) }));
    ok(await s.command(`user:${c.id}`, "push:subscribe", { subscription: subscription(kept) }));
    const [n] = await t.server.notices.notify([c.id], { kind: "message", text: "Towels are back", gymId: gym.gymId });
    await eventually(async () => {
      // (This member's device from the retry test above gets it too.)
      const rows = await sql<{ status: string; last_error: string | null }>(
        `select status, last_error from notice_delivery where notice_id = ? and channel = 'push' order by status`,
        [n!.id],
      );
      expect(rows).toEqual([
        { status: "gone", last_error: "push service answered 404" },
        { status: "sent", last_error: null },
        { status: "sent", last_error: null },
      ]);
      expect((await sql(`select 1 from notice where id = ? and delivery_due_at is null`, [n!.id])).length).toBe(1);
    });
    expect(await sql(`select 1 from push_subscription where endpoint = ?`, [unknown.endpoint])).toEqual([]);
    expect(await sql(`select 1 from push_subscription where endpoint = ?`, [kept.endpoint])).toHaveLength(1);
    expect(kept.received.map((m) => (JSON.parse(m.text) as { id: string }).id)).toEqual([n!.id]);
  });

  it("forgets a device the push service says is gone (410)", async () => {
    const c = gym.members[3]!;
    const s = await sockets.connect(c.id);
    const d = push.device();
    d.answer = 410;
    ok(await s.command(`user:${c.id}`, "push:subscribe", { subscription: subscription(d) }));
    const [n] = await t.server.notices.notify([c.id], { kind: "message", text: "Hello", gymId: gym.gymId });
    await eventually(async () => {
      expect(await sql(`select status from notice_delivery where notice_id = ?`, [n!.id])).toEqual([{ status: "gone" }]);
      expect(await sql(`select 1 from push_subscription where endpoint = ?`, [d.endpoint])).toEqual([]);
    });
    // Staff see how it went (never the text): owners and admins only.
    const owner = await sockets.connect(gym.ownerId);
    const seen = ok(await owner.command(`gym:${gym.gymId}`, "gym:noticeDeliveries", {})) as { notices: { noticeId: string }[] };
    expect(seen.notices.find((x) => x.noticeId === n!.id)).toMatchObject({
      kind: "message",
      recipient: { id: c.id },
      deliveries: [{ channel: "push", status: "gone", lastError: "push service answered 410" }],
    });
    expect(await (await sockets.connect(gym.coachId)).command(`gym:${gym.gymId}`, "gym:noticeDeliveries", {})).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
  });

  it("keeps the newest 50 in the room, pages older ones from the store, and marks all read", async () => {
    const e = gym.members[4]!;
    const s = await sockets.connect(e.id);
    for (let i = 0; i < 6; i++) await t.server.notices.notify([e.id], { kind: "social", text: `Note ${i}`, gymId: gym.gymId });
    await sql(`update notice set at = at - (interval '1 second' * ?) where user_id = ? and text = ?`, [100, e.id, "Note 0"]);
    for (let i = 0; i < 50; i++) await t.server.notices.notify([e.id], { kind: "social", text: `Later ${i}`, gymId: gym.gymId });
    const view = await watchUser(s, e.id);
    expect(Object.keys(view().notices)).toHaveLength(50);
    expect(view().unread).toBe(56);
    const first = ok(await s.command(`user:${e.id}`, "inbox:page", { limit: 50 })) as {
      notices: { id: string; at: number }[];
      next: { at: number; id: string };
    };
    expect(first.notices).toHaveLength(50);
    const rest = ok(await s.command(`user:${e.id}`, "inbox:page", { before: first.next, limit: 50 })) as {
      notices: { text: string }[];
      next: unknown;
    };
    expect(rest.notices).toHaveLength(6);
    expect(rest.notices.at(-1)!.text).toBe("Note 0");
    expect(rest.next).toBeNull();
    expect(ok(await s.command(`user:${e.id}`, "inbox:markRead", { ids: [(rest.notices[5] as unknown as { id: string }).id] }))).toEqual({
      unread: 55,
    });
    expect(ok(await s.command(`user:${e.id}`, "inbox:markAllRead", {}))).toEqual({ unread: 0 });
    await eventually(() => expect(view().unread).toBe(0));
    expect(await sql(`select count(*)::int as n from notice where user_id = ? and read_at is null`, [e.id])).toEqual([{ n: 0 }]);
  });

  it("emails the kinds a member chose, once, through the mail outbox", async () => {
    const f = gym.members[5]!;
    const s = await sockets.connect(f.id);
    const prefs = ok(await s.command(`user:${f.id}`, "inbox:preferences", {})) as {
      preferences: { kind: string; channel: string; enabled: boolean }[];
    };
    expect(prefs.preferences).toContainEqual({ kind: "message", channel: "email", enabled: false });
    expect(prefs.preferences).toContainEqual({ kind: "offered", channel: "email", enabled: true });
    ok(await s.command(`user:${f.id}`, "inbox:setPreference", { kind: "message", channel: "email", enabled: true }));
    await t.server.notices.notify([f.id], { kind: "message", text: "The sauna is back", gymId: gym.gymId });
    const mail = await smtp.next(f.email);
    expect(mail.subject).toBe("The sauna is back");
    expect(mail.body).toContain("Open Spotter: http");
  });

  it("removes a device's push subscription in the statement that ends its sign-in session, and all of them when signing out everywhere or revoked", async () => {
    const g = gym.members[0]!;
    const store = new PgSessionStore(t.server.db.orm);
    const sessions = [randomUUID(), randomUUID()];
    const now = Date.now();
    for (const id of sessions)
      await store.create(
        {
          id,
          userId: g.id,
          method: "email_code",
          factors: ["email"],
          userAgent: "test",
          ip: "",
          createdAt: now,
          lastSeenAt: now,
          idleExpiresAt: now + 3_600_000,
          expiresAt: now + 7_200_000,
          endedAt: null,
          endReason: null,
        },
        randomUUID(),
      );
    const insert = (sessionId: string | null) =>
      sql(
        `insert into push_subscription (id, user_id, session_id, endpoint, p256dh, auth, created_at) values (?, ?, ?, ?, 'k', 'a', now())`,
        [randomUUID(), g.id, sessionId, `https://push.example/${randomUUID()}`],
      );
    await insert(sessions[0]!);
    await insert(sessions[1]!);
    await insert(null);
    await store.end(sessions[0]!, g.id, "signed_out", Date.now());
    expect(await sql(`select session_id from push_subscription where user_id = ? order by session_id nulls last`, [g.id])).toEqual([
      { session_id: sessions[1] },
      { session_id: null },
    ]);
    await store.endAll(g.id, "signed_out_everywhere", Date.now());
    expect(await sql(`select 1 from push_subscription where user_id = ?`, [g.id])).toEqual([]);
    // Revoking the user's tokens (staff revocation, account deletion) removes them too, in its statement.
    await insert(null);
    await revokeTokens(t.server.db.orm.em.fork(), g.id, Date.now());
    expect(await sql(`select 1 from push_subscription where user_id = ?`, [g.id])).toEqual([]);
  });

  it("removes a member's push subscriptions, inbox and choices in the commit that approves their account's deletion", async () => {
    const h = gym.members[3]!;
    await sql(
      `insert into push_subscription (id, user_id, session_id, endpoint, p256dh, auth, created_at) values (?, ?, null, ?, 'k', 'a', now())`,
      [randomUUID(), h.id, `https://push.example/${randomUUID()}`],
    );
    await sql(`insert into notice_quiet_hours (user_id, start_minute, end_minute, time_zone) values (?, 1320, 420, 'UTC')`, [h.id]);
    expect((await sql(`select 1 from notice where user_id = ?`, [h.id])).length).toBeGreaterThan(0);
    await requestDeletion(t.server.db.orm, h.id, Date.now());
    expect(await approveDeletion(t.server.db.orm, gym.gymId, h.id, gym.ownerId, Date.now())).toMatchObject({ ok: true });
    for (const table of ["push_subscription", "notice", "notice_quiet_hours"])
      expect(await sql(`select 1 from ${table} where user_id = ?`, [h.id])).toEqual([]);
  });
});
