/**
 * The live class over real sockets against a real server, on embedded PGlite and on PostgreSQL:
 * ordered deltas, the booking race, resume without gaps, idempotent retries, privacy of frames,
 * and a failing commit that rolls the room back.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ack, JoinResult, RoomDelta } from "../../domain/protocol/envelope.js";
import { applyPatch } from "../../domain/protocol/patch.js";
import type { PublicClassView, StaffClassView } from "../../domain/views/classView.js";
import { BookingEntity, WaitlistEntryEntity } from "../../server/db/entities/index.js";
import { aGym, type GymFixture } from "../support/gymFixture.js";
import { requirePostgres, serverTargets, startTestServer, type TestDatabase, type TestServer } from "../support/services.js";
import { suiteSockets, eventually } from "../support/sockets.js";

const pg = await requirePostgres();

const targets = serverTargets(pg);

const ok = <T>(ack: Ack<T>): T => {
  if (!ack.ok) throw new Error(`expected ok, got ${JSON.stringify(ack.error)}`);
  return ack.result;
};
const snapshotOf = <V>(ack: Ack<JoinResult>): V => {
  const r = ok(ack);
  if (!("snapshot" in r)) throw new Error("expected a snapshot");
  return r.snapshot as V;
};

describe.each(targets)("a live class on $name", (target) => {
  let t: TestServer;
  let db: TestDatabase | undefined;
  let gym: GymFixture;
  const sockets = suiteSockets(() => t.server);
  const connect = sockets.connect;

  beforeAll(async () => {
    const { env, db: made } = await target.env();
    db = made;
    t = await startTestServer({ ...env, COMMANDS_PER_SECOND: "1000", FLUSH_MAX_DELAY_MS: "2" });
    gym = await aGym(t.server.db.orm, { capacity: 20, members: 200 });
  }, 120_000);

  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
    await db?.drop();
  });

  it("ends a booking race of 200 members for 20 spots with exactly 20 booked and the rest waitlisted in arrival order", async () => {
    const room = `class:${gym.sessionId}`;
    const staff = await connect(gym.coachId);
    snapshotOf<StaffClassView>(await staff.join(room));
    const clients = await Promise.all(gym.members.map((m) => connect(m.id)));
    const acks = await Promise.all(clients.map((c) => c.command(room, "class:book", { sessionId: gym.sessionId, waitlist: true })));
    const results = acks.map((a) => ok(a) as { status: string; position?: number });
    expect(results.filter((r) => r.status === "booked")).toHaveLength(20);
    const positions = results.flatMap((r) => (r.status === "waitlisted" ? [r.position!] : [])).sort((a, b) => a - b);
    expect(positions).toEqual(Array.from({ length: 180 }, (_, i) => i + 1));

    const em = t.server.db.orm.em.fork();
    const live = await em.find(BookingEntity, { sessionId: gym.sessionId, status: { $in: ["booked", "checked_in"] } });
    expect(live).toHaveLength(20);
    const waiting = await em.find(WaitlistEntryEntity, { sessionId: gym.sessionId, status: "waiting" }, { orderBy: { position: "asc" } });
    expect(waiting.map((w) => w.position)).toEqual(positions);
    // Arrival order: a later position never joined the waitlist before an earlier one.
    const created = waiting.map((w) => w.createdAt);
    expect([...created].sort((a, b) => a - b)).toEqual(created);
  });

  it("shows every watcher the same ordered deltas, and a watcher's replayed copy equals a fresh snapshot", async () => {
    const session = await gym.addSession({ capacity: 5 });
    const room = `class:${session.id}`;
    const watchers = await Promise.all([gym.ownerId, gym.coachId, gym.deskId].map(connect));
    const views = await Promise.all(watchers.map(async (w) => snapshotOf<StaffClassView>(await w.join(room))));
    for (const m of gym.members.slice(0, 8))
      ok(await (await connect(m.id)).command(room, "class:book", { sessionId: session.id, waitlist: true }));
    await eventually(() => expect(watchers.every((w) => w.deltas.filter((d) => d.room === room).length >= 8)).toBe(true));
    const streams = watchers.map((w) => w.deltas.filter((d) => d.room === room));
    expect(streams[1]).toEqual(streams[0]);
    expect(streams[2]).toEqual(streams[0]);
    const base = streams[0]![0]!.seq - 1;
    expect(streams[0]!.map((d) => d.seq)).toEqual(streams[0]!.map((_, i) => base + i + 1));
    const replayed = streams[0]!.reduce((v, d) => applyPatch(v, d.ops), views[0]!);
    const fresh = snapshotOf<StaffClassView>(await (await connect(gym.ownerId)).join(room));
    expect(replayed).toEqual(fresh);
    expect(fresh.counts).toMatchObject({ booked: 5, waitlist: 3, spotsLeft: 0 });
  });

  it("resumes a watcher that was away with exactly the deltas it missed", async () => {
    const session = await gym.addSession({ capacity: 10 });
    const room = `class:${session.id}`;
    const away = await connect(gym.coachId);
    const first = ok(await away.join(room));
    away.close();
    for (const m of gym.members.slice(20, 24)) ok(await (await connect(m.id)).command(room, "class:book", { sessionId: session.id }));
    const back = await connect(gym.coachId);
    const resumed = ok(await back.join(room, first.seq));
    expect("deltas" in resumed).toBe(true);
    const deltas = (resumed as { deltas: RoomDelta[] }).deltas;
    expect(deltas.map((d) => d.seq)).toEqual([first.seq + 1, first.seq + 2, first.seq + 3, first.seq + 4]);
    const view = deltas.reduce((v, d) => applyPatch(v, d.ops), (first as { snapshot: StaffClassView }).snapshot);
    expect(view.counts.booked).toBe(4);
  });

  it("applies a retried commandId once and answers the retry with the first result", async () => {
    const session = await gym.addSession({ capacity: 10 });
    const room = `class:${session.id}`;
    const member = await connect(gym.members[30]!.id);
    const commandId = randomUUID();
    const [a, b] = await Promise.all([
      member.command(room, "class:book", { sessionId: session.id }, commandId),
      member.command(room, "class:book", { sessionId: session.id }, commandId),
    ]);
    const again = await member.command(room, "class:book", { sessionId: session.id }, commandId);
    expect(b).toEqual(a);
    expect(again).toEqual(a);
    expect(ok(a)).toMatchObject({ status: "booked" });
    // Regression: a freshly loaded room (after eviction, restart or takeover) re-ran a retried command.
    t.server.registry.drop(room);
    await new Promise((r) => setTimeout(r, 50));
    expect(await member.command(room, "class:book", { sessionId: session.id }, commandId)).toEqual(a);
    const rows = await t.server.db.orm.em.fork().find(BookingEntity, { sessionId: session.id });
    expect(rows).toHaveLength(1);
  });

  it("never sends a member another member's email, phone, membership state or notes", async () => {
    const session = await gym.addSession({ capacity: 30 });
    const room = `class:${session.id}`;
    const viewer = await connect(gym.members[40]!.id);
    const publicView = snapshotOf<PublicClassView>(await viewer.join(room));
    expect(publicView).not.toHaveProperty("roster");
    const others = gym.members.slice(41, 51);
    for (const m of others) ok(await (await connect(m.id)).command(room, "class:book", { sessionId: session.id }));
    await eventually(() => expect(viewer.deltas.filter((d) => d.room === room).length).toBeGreaterThanOrEqual(10));
    const raw = viewer.frames.join("\n");
    for (const m of others) {
      expect(raw).not.toContain(m.email);
      expect(raw).not.toContain(m.id);
      if (m.phone) expect(raw).not.toContain(m.phone);
    }
    expect(raw).not.toContain("private note");
    expect(raw).not.toContain("membershipStatus");
    // The staff audience of the same room does carry them.
    const staff = snapshotOf<StaffClassView>(await (await connect(gym.deskId)).join(room));
    expect(Object.values(staff.roster).map((r) => r.email)).toContain(others[0]!.email);
  });

  it("answers every command of a failed commit with an error, stores nothing of it, and recovers", async () => {
    const session = await gym.addSession({ capacity: 10 });
    const room = `class:${session.id}`;
    const staff = await connect(gym.ownerId);
    snapshotOf<StaffClassView>(await staff.join(room));
    const conn = t.server.db.orm.em.getConnection();
    await conn.execute(
      `create or replace function spotter_test_refuse() returns trigger as $$ begin raise exception 'injected failure'; end $$ language plpgsql`,
    );
    await conn.execute(
      `create trigger spotter_test_refuse before insert on booking for each row when (new.session_id = '${session.id}') execute function spotter_test_refuse()`,
    );
    const members = await Promise.all(gym.members.slice(60, 65).map((m) => connect(m.id)));
    const failed = await Promise.all(members.map((m) => m.command(room, "class:book", { sessionId: session.id })));
    expect(failed.every((a) => !a.ok && a.error.code === "UNAVAILABLE")).toBe(true);
    expect(await t.server.db.orm.em.fork().count(BookingEntity, { sessionId: session.id })).toBe(0);
    await conn.execute(`drop trigger spotter_test_refuse on booking`);
    const retried = await Promise.all(members.map((m) => m.command(room, "class:book", { sessionId: session.id })));
    expect(retried.every((a) => a.ok)).toBe(true);
    expect(await t.server.db.orm.em.fork().count(BookingEntity, { sessionId: session.id })).toBe(5);
    const fresh = snapshotOf<StaffClassView>(await (await connect(gym.ownerId)).join(room));
    expect(fresh.counts.booked).toBe(5);
  });

  it("regression: a command the database refuses fails alone, never the batch-mates it was group-committed with", async () => {
    const session = await gym.addSession({ capacity: 10 });
    const room = `class:${session.id}`;
    const [refused, ...others] = gym.members.slice(70, 76);
    const conn = t.server.db.orm.em.getConnection();
    await conn.execute(
      `create or replace function spotter_test_refuse_one() returns trigger as $$ begin raise exception 'injected failure'; end $$ language plpgsql`,
    );
    await conn.execute(
      `create trigger spotter_test_refuse_one before insert on booking for each row when (new.member_id = '${refused!.id}') execute function spotter_test_refuse_one()`,
    );
    try {
      const sockets = await Promise.all([refused!, ...others].map((m) => connect(m.id)));
      // Sent together, so they share group commits with the refused one (before the fix every batch-mate got UNAVAILABLE).
      const answers = await Promise.all(sockets.map((c) => c.command(room, "class:book", { sessionId: session.id })));
      expect(answers[0]).toMatchObject({ ok: false, error: { code: "UNAVAILABLE" } });
      expect(answers.slice(1).every((a) => a.ok)).toBe(true);
      const stored = await t.server.db.orm.em.fork().find(BookingEntity, { sessionId: session.id });
      expect(stored.map((b) => b.memberId).sort()).toEqual(others.map((m) => m.id).sort());
      const fresh = snapshotOf<StaffClassView>(await (await connect(gym.ownerId)).join(room));
      expect(fresh.counts.booked).toBe(others.length);
    } finally {
      await conn.execute(`drop trigger spotter_test_refuse_one on booking`);
    }
  });

  it("answers another gym's class as NOT_FOUND and refuses staff commands from members", async () => {
    const other = await aGym(t.server.db.orm, { members: 1 });
    const outsider = await connect(other.members[0]!.id);
    const join = await outsider.join(`class:${gym.sessionId}`);
    expect(join).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    const cmd = await outsider.command(`class:${gym.sessionId}`, "class:book", { sessionId: gym.sessionId });
    expect(cmd).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    const member = await connect(gym.members[70]!.id);
    const cap = await member.command(`class:${gym.sessionId}`, "class:setCapacity", { sessionId: gym.sessionId, capacity: 99 });
    expect(cap).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    const bad = await member.command(`class:${gym.sessionId}`, "class:book", { sessionId: 42, extra: true });
    expect(bad).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
  });
});
