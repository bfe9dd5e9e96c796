/**
 * A room's commit is ONE statement, so one round trip, whatever the batch: the version check, answered commands,
 * audit rows, every entity change (from the unit of work's change sets), the credit guard and the outbox row.
 * Counted at the PostgreSQL driver (every `pg` query call, per connection, BEGIN and COMMIT included), the way the
 * bench counts "round trips per commit". Regression: a commit was BEGIN + records + flush (a statement or more per
 * entity type) + COMMIT, 4 or more round trips, most of its time MikroORM's flush on the server's one core.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RoomId } from "../../../domain/protocol/envelope.js";
import type { Caller, RoomRuntime } from "../../../rooms/ports.js";
import { RoomRegistry } from "../../../rooms/RoomRegistry.js";
import { settleAnchors } from "../../../server/audit/anchors.js";
import { verifyAudit } from "../../../server/audit/verifyAudit.js";
import {
  AttendanceEventEntity,
  BookingEntity,
  CheckInEntity,
  FeeEntity,
  GymMembershipEntity,
  MembershipPlanEntity,
  ProcessedCommandEntity,
  WaitlistEntryEntity,
} from "../../../server/db/entities/index.js";
import { migrateUp, openDatabase, type Database } from "../../../server/db/orm.js";
import { classStore, CreditsConflict } from "../../../server/persistence/classStore.js";
import { WeeklyLimitConflict } from "../../../server/persistence/standingGuards.js";
import type { ClassStateEvent, MemberStanding } from "../../../domain/class/index.js";
import { gymStore } from "../../../server/persistence/gymStore.js";
import { settleOutbox } from "../../../server/persistence/outbox.js";
import { userStore } from "../../../server/persistence/userStore.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { testRuntime } from "../../support/roomRuntime.js";
import { createTestDatabase, requirePostgres, type TestDatabase } from "../../support/services.js";
import { onPgQuery } from "../../support/pgStatements.js";

const pg = await requirePostgres();

/** Every statement a room commit sent, as units: a transaction (BEGIN … COMMIT on one connection) or a lone statement. */
function countRoundTrips() {
  const open = new WeakMap<object, string[]>();
  const units: string[][] = [];
  const stop = onPgQuery((client, text) => {
    const statements = open.get(client);
    if (/^\s*begin/i.test(text)) open.set(client, [text]);
    else if (statements) {
      statements.push(text);
      if (/^\s*(commit|rollback)\b/i.test(text)) {
        units.push(statements);
        open.delete(client);
      }
    } else units.push([text]);
  });
  return {
    /** The units that moved a gym chain's head (anchors of room heads). */
    anchors: () => units.filter((u) => u.some((s) => s.includes("audit_head")) && u.some((s) => s.includes("insert into audit_log"))),
    /** The units that wrote a room's version: its commits. */
    commits: () => units.filter((u) => u.some((s) => s.includes("room_fence") && /^\s*with held/i.test(s))),
    restore: stop,
  };
}

describe.skipIf(!pg.ok)("a room's commit statement", () => {
  let made: TestDatabase;
  let db: Database;
  let gym: GymFixture;
  let registry: RoomRegistry;
  let counter: ReturnType<typeof countRoundTrips>;

  const command = (userId: string, type: string, payload: Record<string, unknown>, role: "member" | "coach" = "member") => {
    const caller: Caller = { userId, membership: { gymId: gym.gymId, role, status: "active" } };
    return registry.send(`class:${gym.sessionId}` as RoomId, {
      kind: "command",
      caller,
      commandId: randomUUID(),
      type,
      payload: { sessionId: gym.sessionId, ...payload },
      receivedAt: Date.now(),
    });
  };

  beforeAll(async () => {
    made = await createTestDatabase(pg.url!);
    db = await openDatabase({ kind: "postgres", url: made.url }, 4);
    await migrateUp(db);
    gym = await aGym(db.orm, { capacity: 20, members: 30, startsInMinutes: 10 });
    // Ten members on a 5-credit pack: their bookings move credits, under the commit's guard.
    const em = db.orm.em.fork();
    const planId = randomUUID();
    em.create(MembershipPlanEntity, {
      id: planId,
      gymId: gym.gymId,
      name: "Pack",
      entitlement: { kind: "pack", credits: 5, validDays: 90 } as never,
      weeklyTarget: 1,
      priceCents: 100,
    });
    await em.flush();
    await em.nativeUpdate(
      GymMembershipEntity,
      { gymId: gym.gymId, userId: { $in: gym.members.slice(0, 10).map((m) => m.id) } },
      { planId, credits: 5 },
    );
    // Group commit: a 20 ms window gathers a storm into a few batches.
    const rt: RoomRuntime = { ...testRuntime(Date.now, randomUUID), flushMaxDelayMs: 20 };
    const deps = { orm: db.orm, nodeId: "one-statement", now: Date.now, idempotencyWindowMs: 60_000 };
    registry = new RoomRegistry(rt, { classes: classStore(deps), gyms: gymStore(deps, async () => null), users: userStore(deps) }, 60_000);
    counter = countRoundTrips();
  }, 120_000);

  afterAll(async () => {
    counter?.restore();
    await registry?.close();
    if (db) {
      await settleAnchors(db.orm);
      await settleOutbox(db.orm);
      await db.close();
    }
    await made?.drop();
  });

  it("stores a storm of bookings, a waitlist, cancels with promotions and check-ins in one round trip per commit", async () => {
    const members = gym.members.map((m) => m.id);
    const booked = await Promise.all(members.map((m) => command(m, "class:book", { waitlist: true })));
    expect(booked.filter((a) => !a.ok)).toEqual([]);
    // Late cancels: fees, and spots that open for the waitlist (updates of bookings and waitlist entries).
    const cancels = await Promise.all(members.slice(0, 4).map((m) => command(m, "class:cancelBooking", { acceptFee: true })));
    expect(cancels.filter((a) => !a.ok)).toEqual([]);
    // Check-ins: check-in and attendance rows, and the outbox row of their side effects.
    const checkIns = await Promise.all(
      members.slice(4, 9).map((m) => command(gym.coachId, "class:checkIn", { memberId: m, source: "desk" }, "coach")),
    );
    expect(checkIns.map((a) => (a.ok ? "ok" : a.error.code))).toEqual(["ok", "ok", "ok", "ok", "ok"]);

    const commits = counter.commits();
    expect(commits.length).toBeGreaterThan(0);
    // Fewer commits than commands: batches of several, each still one statement.
    expect(commits.length).toBeLessThan(members.length + 9);
    for (const c of commits) expect(c).toHaveLength(1);
    // Rows travel as one array per column: a statement's text does not grow with its batch (at most a few dozen
    // parameters whatever the rows), so commits of the same shape share one text, prepared once per connection.
    const largest = Math.max(...commits.map((c) => (c[0]!.match(/\$\d+/g) ?? []).length));
    expect(largest).toBeLessThan(60);
    // Values are bound by PostgreSQL, not formatted into the text (MikroORM's formatting was a tenth of a commit's CPU).
    for (const c of commits) for (const m of members) expect(c[0]).not.toContain(m);

    // What the statements wrote is what the room answered.
    const em = db.orm.em.fork();
    const promoted = await em.count(BookingEntity, { sessionId: gym.sessionId, promotedFromWaitlist: true });
    expect(await em.count(BookingEntity, { sessionId: gym.sessionId, status: { $in: ["booked", "checked_in"] } })).toBe(16 + promoted);
    expect(await em.count(BookingEntity, { sessionId: gym.sessionId, status: "late_cancelled" })).toBe(4);
    expect(await em.count(BookingEntity, { sessionId: gym.sessionId, status: "checked_in" })).toBe(5);
    expect(await em.count(WaitlistEntryEntity, { sessionId: gym.sessionId, status: "waiting" })).toBe(10 - promoted);
    expect(await em.count(FeeEntity, { sessionId: gym.sessionId, kind: "late_cancel" })).toBe(4);
    expect(await em.count(CheckInEntity, { sessionId: gym.sessionId })).toBe(5);
    expect(await em.count(AttendanceEventEntity, { sessionId: gym.sessionId })).toBe(5);
    expect(await em.count(ProcessedCommandEntity, { room: `class:${gym.sessionId}` })).toBe(members.length + 9);
    // Credits: each pack member's booking took one (5 → 4); a late cancel gives none back.
    const credits = await em.find(GymMembershipEntity, { gymId: gym.gymId, userId: { $in: members.slice(0, 10) } });
    expect(credits.map((m) => m.credits)).toEqual(Array(10).fill(4));
  }, 60_000);

  it("sends commits of one shape as one statement text, whatever their batch size (prepared once per connection)", async () => {
    const session = await gym.addSession({ startsAt: Date.now() + 3_600_000, endsAt: Date.now() + 7_200_000 });
    const book = (userId: string) => {
      const caller: Caller = { userId, membership: { gymId: gym.gymId, role: "member", status: "active" } };
      return registry.send(`class:${session.id}` as RoomId, {
        kind: "command",
        caller,
        commandId: randomUUID(),
        type: "class:book",
        payload: { sessionId: session.id },
        receivedAt: Date.now(),
      });
    };
    // Members without a pack (no credit rows): a booking of one, then a batch of three.
    const [first, ...rest] = gym.members.slice(10, 14).map((m) => m.id);
    const before = counter.commits().length;
    expect((await book(first!)).ok).toBe(true);
    expect((await Promise.all(rest.map(book))).every((a) => a.ok)).toBe(true);
    const texts = counter
      .commits()
      .slice(before)
      .map((c) => c[0]);
    expect(texts.length).toBeGreaterThanOrEqual(2);
    expect(new Set(texts).size).toBe(1);
  });

  /** A commit straight through the store, of `ann` booking `sessionId` on the standing the room holds (`standing`). */
  const commitBooking = async (sessionId: string, ann: string, standing: Partial<MemberStanding>, creditsAfter?: number) => {
    const deps = { orm: db.orm, nodeId: "guards", now: Date.now, idempotencyWindowMs: 60_000 };
    const store = classStore(deps);
    const room = `class:${sessionId}` as RoomId;
    const loaded = (await store.loadClass(room, sessionId))!;
    const base = loaded.state;
    const known: MemberStanding = {
      memberId: ann,
      gymId: gym.gymId,
      role: "member",
      status: "active",
      entitlement: { kind: "unlimited" },
      credits: null,
      creditsExpireAt: null,
      bookingsThisWeek: 0,
      ...standing,
    };
    const now = Date.now();
    const booking = {
      id: randomUUID(),
      gymId: gym.gymId,
      sessionId,
      memberId: ann,
      status: "booked" as const,
      createdAt: now,
      updatedAt: now,
      creditUsed: creditsAfter !== undefined,
      promotedFromWaitlist: false,
    };
    const events: ClassStateEvent[] = [
      { type: "standing.updated", standing: known },
      { type: "booking.created", booking },
    ];
    if (creditsAfter !== undefined) events.push({ type: "credits.changed", memberId: ann, credits: creditsAfter });
    const processed = [
      {
        room,
        userId: ann,
        commandId: randomUUID(),
        gymId: gym.gymId,
        type: "class:book",
        response: { ok: true as const, result: null },
        createdAt: now,
        role: "member",
      },
    ];
    const attempt = store.commitClass(room, base, events, processed, { version: loaded.fence, audit: loaded.audit! });
    return { attempt, room };
  };

  /** Nothing of a refused statement was written: no booking, no answered command, no version. */
  const nothingWritten = async (sessionId: string, room: string) => {
    const em = db.orm.em.fork();
    expect(await em.count(BookingEntity, { sessionId })).toBe(0);
    expect(await em.count(ProcessedCommandEntity, { room })).toBe(0);
    const [fence] = await em.getConnection().execute<{ n: string }[]>(`select count(*) as n from room_fence where room_id = ?`, [room]);
    expect(Number(fence!.n)).toBe(0);
  };

  it("refuses the whole statement when a member's credits went elsewhere (the credits guard)", async () => {
    const session = await gym.addSession({ startsAt: Date.now() + 3_600_000, endsAt: Date.now() + 7_200_000 });
    const ann = gym.members[9]!.id; // the room believes she has 4; the database says 0 (spent elsewhere)
    await db.orm.em.fork().nativeUpdate(GymMembershipEntity, { gymId: gym.gymId, userId: ann }, { credits: 0 });
    const { attempt, room } = await commitBooking(
      session.id,
      ann,
      { entitlement: { kind: "pack", credits: 5, validDays: 90 }, credits: 4 },
      3,
    );
    const err = await attempt.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CreditsConflict);
    expect((err as CreditsConflict).memberIds).toEqual([ann]);
    await nothingWritten(session.id, room);
    expect((await db.orm.em.fork().findOneOrFail(GymMembershipEntity, { gymId: gym.gymId, userId: ann })).credits).toBe(0);
  }, 60_000);

  it("refuses the whole statement when another class took a member's last weekly slot (the weekly guard)", async () => {
    const bob = gym.members[19]!.id; // booked in the first session of this week; the room believes 0 this week
    const em = db.orm.em.fork();
    const planId = randomUUID();
    em.create(MembershipPlanEntity, {
      id: planId,
      gymId: gym.gymId,
      name: "Once a week",
      entitlement: { kind: "weekly", classesPerWeek: 1 } as never,
      weeklyTarget: 1,
      priceCents: 100,
    });
    await em.flush();
    await em.nativeUpdate(GymMembershipEntity, { gymId: gym.gymId, userId: bob }, { planId, credits: null });
    const session = await gym.addSession({ startsAt: gym.session.startsAt + 60_000, endsAt: gym.session.endsAt + 60_000 });
    const { attempt, room } = await commitBooking(session.id, bob, { entitlement: { kind: "weekly", classesPerWeek: 1 } });
    const err = await attempt.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeeklyLimitConflict);
    expect((err as WeeklyLimitConflict).memberIds).toEqual([bob]);
    await nothingWritten(session.id, room);
  }, 60_000);
  it("anchors room heads into the gym's chain in one round trip once the writer knows the gym's head, and the chains verify", async () => {
    await settleAnchors(db.orm);
    const before = counter.anchors().length;
    for (const m of gym.members.slice(24, 28)) {
      expect(await command(m.id, "class:leaveWaitlist", {})).toMatchObject({ ok: true });
      await settleAnchors(db.orm);
    }
    const anchors = counter.anchors().slice(before);
    expect(anchors).toHaveLength(4);
    for (const a of anchors) expect(a).toHaveLength(1);
    expect(await verifyAudit(db.orm.em.fork(), gym.gymId)).toMatchObject({ broken: null, unanchored: 0 });
  }, 60_000);

  it("refuses a value longer than its column instead of cutting it (regression: a cast to varchar(n) truncates)", async () => {
    const session = await gym.addSession({ startsAt: Date.now() + 3_600_000, endsAt: Date.now() + 7_200_000 });
    const store = classStore({ orm: db.orm, nodeId: "lengths", now: Date.now, idempotencyWindowMs: 60_000 });
    const room = `class:${session.id}` as RoomId;
    const loaded = (await store.loadClass(room, session.id))!;
    const checkIn = {
      id: randomUUID(),
      gymId: gym.gymId,
      memberId: gym.members[0]!.id,
      sessionId: session.id,
      source: "desk" as const,
      result: "denied" as const,
      reason: "X".repeat(41) as never,
      at: Date.now(),
      byUserId: gym.deskId,
    };
    await expect(
      store.commitClass(room, loaded.state, [{ type: "checkin.recorded", checkIn }], [], { version: loaded.fence, audit: loaded.audit! }),
    ).rejects.toThrow(/too long/);
    expect(await db.orm.em.fork().count(CheckInEntity, { sessionId: session.id })).toBe(0);
  }, 60_000);
});
