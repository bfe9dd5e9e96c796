/**
 * A cold class room reads everything it shows in one statement (JSON subqueries mapped through the
 * entities). Proof that this reads exactly what the entity queries read, field by field and in order,
 * for every kind of row a session has — on embedded PGlite and on PostgreSQL.
 */
import { randomUUID } from "node:crypto";
import type { MikroORM } from "@mikro-orm/core";
import type { AbstractSqlConnection } from "@mikro-orm/knex";
import { PostgreSqlDriver } from "@mikro-orm/postgresql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RoomId } from "../../../domain/protocol/envelope.js";
import { DefaultGymPolicy } from "../../../domain/policy.js";
import {
  AttendanceEventEntity,
  BookingEntity,
  ConsentEntity,
  GymEntity,
  GymMembershipEntity,
  MembershipPlanEntity,
  CheckInEntity,
  ClassWorkoutEntity,
  FeeEntity,
  WaitlistEntryEntity,
  WorkoutResultEntity,
} from "../../../server/db/entities/index.js";
import { classStore } from "../../../server/persistence/classStore.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { requirePostgres, serverTargets, startTestServer, type TestDatabase, type TestServer } from "../../support/services.js";

const pg = await requirePostgres();

describe.each(serverTargets(pg))("a cold class room's snapshot on $name", ({ env }) => {
  let t: TestServer;
  let db: TestDatabase | undefined;
  let orm: MikroORM;
  let gym: GymFixture;

  beforeAll(async () => {
    const target = await env();
    db = target.db;
    t = await startTestServer(target.env);
    orm = t.server.db.orm;
    gym = await aGym(orm, { capacity: 2, members: 6 });
  }, 120_000);

  afterAll(async () => {
    await t?.cleanup();
    await db?.drop();
  });

  it("reads every row of the session exactly as the entity queries do, in the room's order", async () => {
    const s = gym.session;
    const [a, b, c, d] = gym.members.map((m) => m.id);
    const t0 = Date.UTC(2026, 10, 21, 6, 0, 0, 123);
    const em = orm.em.fork();
    const booking = (memberId: string, i: number, status: string) => ({
      id: randomUUID(),
      gymId: gym.gymId,
      sessionId: s.id,
      memberId,
      status,
      createdAt: t0 + i,
      updatedAt: t0 + i + 7,
      creditUsed: i % 2 === 0,
      promotedFromWaitlist: i === 2,
    });
    // Same creation instant for two rows: the id decides, as in the room.
    const bookings = [booking(a!, 0, "checked_in"), booking(b!, 0, "booked"), booking(c!, 2, "late_cancelled")];
    for (const x of bookings) em.create(BookingEntity, x as never);
    em.create(WaitlistEntryEntity, {
      id: randomUUID(),
      gymId: gym.gymId,
      sessionId: s.id,
      memberId: d!,
      position: 1,
      status: "offered",
      createdAt: t0 + 5,
      updatedAt: t0 + 6,
      offerExpiresAt: t0 + 60_000,
      reason: null,
    });
    em.create(WaitlistEntryEntity, {
      id: randomUUID(),
      gymId: gym.gymId,
      sessionId: s.id,
      memberId: c!,
      position: 0,
      status: "left",
      createdAt: t0 + 4,
      updatedAt: t0 + 9,
      offerExpiresAt: null,
      reason: "Left the waitlist — ünïcode 'quoted'",
    });
    em.create(FeeEntity, {
      id: randomUUID(),
      gymId: gym.gymId,
      memberId: c!,
      sessionId: s.id,
      bookingId: bookings[2]!.id,
      kind: "late_cancel",
      amountCents: 500,
      currency: "EUR",
      createdAt: t0 + 10,
      waived: false,
    });
    em.create(FeeEntity, {
      id: randomUUID(),
      gymId: gym.gymId,
      memberId: c!,
      sessionId: s.id,
      bookingId: bookings[2]!.id,
      kind: "no_show",
      amountCents: 0,
      currency: "EUR",
      createdAt: t0 + 11,
      waived: true,
    });
    em.create(CheckInEntity, {
      id: randomUUID(),
      gymId: gym.gymId,
      memberId: a!,
      sessionId: s.id,
      source: "qr",
      result: "accepted",
      reason: null,
      at: t0 + 20,
      byUserId: gym.deskId,
    });
    em.create(CheckInEntity, {
      id: randomUUID(),
      gymId: gym.gymId,
      memberId: b!,
      sessionId: s.id,
      source: "desk",
      result: "denied",
      reason: "OUTSIDE_CHECK_IN_WINDOW",
      at: t0 + 21,
      byUserId: null,
    });
    em.create(AttendanceEventEntity, { id: randomUUID(), gymId: gym.gymId, memberId: a!, sessionId: s.id, at: t0 + 20 });
    const workoutId = randomUUID();
    em.create(ClassWorkoutEntity, {
      id: workoutId,
      gymId: gym.gymId,
      sessionId: s.id,
      title: "Fran",
      description: "21-15-9",
      scoreType: "for_time",
      divisions: ["rx", "scaled"],
      setBy: gym.coachId,
      setAt: t0 + 30,
    });
    em.create(WorkoutResultEntity, {
      id: randomUUID(),
      gymId: gym.gymId,
      sessionId: s.id,
      workoutId,
      memberId: a!,
      score: { type: "for_time", ms: 254_300 },
      division: "rx",
      submittedAt: t0 + 40,
      loggedBy: a!,
    });
    em.create(WorkoutResultEntity, {
      id: randomUUID(),
      gymId: gym.gymId,
      sessionId: s.id,
      workoutId,
      memberId: b!,
      score: { type: "for_time", ms: 301_000 },
      division: "scaled",
      submittedAt: t0 + 41,
      loggedBy: gym.coachId,
    });
    // A row of another session must not appear.
    const other = await gym.addSession();
    em.create(BookingEntity, { ...booking(d!, 3, "booked"), sessionId: other.id } as never);
    await em.flush();

    const store = classStore({ orm, nodeId: "snapshot-test", now: Date.now, idempotencyWindowMs: 60_000 });
    const loaded = await store.loadClass(`class:${s.id}` as RoomId, s.id);
    const cls = loaded!.state.cls;

    const read = orm.em.fork();
    const plain = <T extends object>(xs: T[]) => xs.map((x) => ({ ...x }));
    expect(cls.bookings).toEqual(plain(await read.find(BookingEntity, { sessionId: s.id }, { orderBy: { createdAt: "asc", id: "asc" } })));
    expect(cls.waitlist).toEqual(
      plain(await read.find(WaitlistEntryEntity, { sessionId: s.id }, { orderBy: { createdAt: "asc", id: "asc" } })),
    );
    expect(cls.fees).toEqual(plain(await read.find(FeeEntity, { sessionId: s.id }, { orderBy: { id: "asc" } })));
    expect(cls.checkIns).toEqual(plain(await read.find(CheckInEntity, { sessionId: s.id }, { orderBy: { at: "asc", id: "asc" } })));
    expect(cls.attendance).toEqual(plain(await read.find(AttendanceEventEntity, { sessionId: s.id }, { orderBy: { id: "asc" } })));
    expect(cls.board.workout).toEqual({ ...(await read.findOneOrFail(ClassWorkoutEntity, { sessionId: s.id })) });
    expect(cls.board.results).toEqual(
      plain(await read.find(WorkoutResultEntity, { sessionId: s.id }, { orderBy: { submittedAt: "asc", id: "asc" } })),
    );
    // Spot checks that the values are the domain's, not the database's spelling.
    expect(cls.bookings).toHaveLength(3);
    expect(cls.bookings.every((x) => typeof x.createdAt === "number")).toBe(true);
    expect(cls.waitlist.find((w) => w.memberId === d)?.offerExpiresAt).toBe(t0 + 60_000);
    expect(cls.board.results[0]!.score).toEqual({ type: "for_time", ms: 254_300 });
    expect(loaded!.state.labels).toMatchObject({ className: "Strength", locationName: "Main floor" });
    expect(cls.timeZone).toBe("Europe/Berlin");
  });

  it("reads members' standings: plan, credits, this week's other bookings, missing consents, who they are", async () => {
    const g = await aGym(orm, { capacity: 10, members: 5 });
    const [weekly, pack, none, consenting, other] = g.members.map((m) => m.id) as [string, string, string, string, string];
    const em = orm.em.fork();
    await em.nativeUpdate(
      GymEntity,
      { id: g.gymId },
      { policy: { ...DefaultGymPolicy, requiredConsents: { terms: "2026-01", privacy: "2026-02" } } },
    );
    const weeklyPlan = randomUUID();
    const packPlan = randomUUID();
    em.create(MembershipPlanEntity, {
      id: weeklyPlan,
      gymId: g.gymId,
      name: "2 a week",
      entitlement: { kind: "weekly", classesPerWeek: 2 },
      weeklyTarget: 2,
      priceCents: 5000,
    });
    em.create(MembershipPlanEntity, {
      id: packPlan,
      gymId: g.gymId,
      name: "10-pack",
      entitlement: { kind: "pack", credits: 10, validDays: 90 },
      weeklyTarget: 2,
      priceCents: 9000,
    });
    await em.flush();
    await em.nativeUpdate(GymMembershipEntity, { gymId: g.gymId, userId: weekly }, { planId: weeklyPlan });
    await em.nativeUpdate(
      GymMembershipEntity,
      { gymId: g.gymId, userId: pack },
      { planId: packPlan, credits: 3, creditsExpireAt: Date.UTC(2027, 0, 1) },
    );
    await em.nativeUpdate(GymMembershipEntity, { gymId: g.gymId, userId: none }, { planId: null, status: "frozen" });
    // A Wednesday; the same ISO week in Berlin: two other sessions count (booked, no-show), a cancelled one doesn't,
    // nor this session, nor next week's.
    const at = (ms: number) => ({ startsAt: ms, endsAt: ms + 3_600_000 });
    const wednesday = Date.UTC(2026, 11, 2, 9);
    const base = await g.addSession(at(wednesday));
    const sameWeek = [
      await g.addSession(at(wednesday - 2 * 86_400_000)),
      await g.addSession(at(wednesday + 3 * 86_400_000)),
      await g.addSession(at(wednesday + 86_400_000)),
    ];
    const nextWeek = await g.addSession(at(wednesday + 7 * 86_400_000));
    const book = (sessionId: string, memberId: string, status: string) =>
      em.create(BookingEntity, {
        id: randomUUID(),
        gymId: g.gymId,
        sessionId,
        memberId,
        status,
        createdAt: 1,
        updatedAt: 1,
        creditUsed: false,
        promotedFromWaitlist: false,
      } as never);
    book(sameWeek[0]!.id, weekly, "booked");
    book(sameWeek[1]!.id, weekly, "no_show");
    book(sameWeek[2]!.id, weekly, "cancelled");
    book(base.id, weekly, "booked");
    book(nextWeek.id, weekly, "booked");
    em.create(ConsentEntity, { id: randomUUID(), userId: consenting, kind: "terms", version: "2026-01", acceptedAt: 1 });
    em.create(ConsentEntity, { id: randomUUID(), userId: consenting, kind: "privacy", version: "2026-02", acceptedAt: 2 });
    em.create(ConsentEntity, { id: randomUUID(), userId: pack, kind: "terms", version: "2025-01", acceptedAt: 3 });
    await em.flush();
    const stranger = (await aGym(orm, { members: 1 })).members[0]!.id;

    const store = classStore({ orm, nodeId: "snapshot-test", now: Date.now, idempotencyWindowMs: 60_000 });
    const found = await store.loadMembers(base, [weekly, pack, none, consenting, other, stranger, "not-a-uuid"]);
    expect([...found.keys()].sort()).toEqual([weekly, pack, none, consenting, other].sort());
    expect(found.get(weekly)!.standing).toEqual({
      memberId: weekly,
      gymId: g.gymId,
      role: "member",
      status: "active",
      entitlement: { kind: "weekly", classesPerWeek: 2 },
      credits: null,
      creditsExpireAt: null,
      bookingsThisWeek: 2,
      missingConsents: ["terms", "privacy"],
    });
    expect(found.get(pack)!.standing).toMatchObject({
      entitlement: { kind: "pack", credits: 10, validDays: 90 },
      credits: 3,
      creditsExpireAt: Date.UTC(2027, 0, 1),
      missingConsents: ["terms", "privacy"],
    });
    expect(found.get(none)!.standing).toMatchObject({ status: "frozen", entitlement: null });
    expect(found.get(consenting)!.standing.missingConsents).toEqual([]);
    const user = g.members.find((m) => m.id === other)!;
    expect(found.get(other)!.person).toEqual({
      name: user.name,
      email: user.email,
      phone: user.phone,
      visible: user.visible,
      membershipStatus: "active",
      notes: expect.stringMatching(/^private note/),
    });
  });

  it("loads rooms that start at the same time in one statement, each with its own rows (a herd of cold classes)", async () => {
    const g = await aGym(orm, { capacity: 10, members: 3 });
    const sessions = [g.session, ...(await Promise.all(Array.from({ length: 11 }, () => g.addSession())))];
    const em = orm.em.fork();
    sessions.forEach((s, i) => {
      // Session i has i % 3 + 1 bookings, so a row given to the wrong room shows.
      for (const m of g.members.slice(0, (i % 3) + 1))
        em.create(BookingEntity, {
          id: randomUUID(),
          gymId: g.gymId,
          sessionId: s.id,
          memberId: m.id,
          status: "booked",
          createdAt: i,
          updatedAt: i,
          creditUsed: false,
          promotedFromWaitlist: false,
        } as never);
    });
    await em.flush();
    const store = classStore({ orm, nodeId: "snapshot-test", now: Date.now, idempotencyWindowMs: 60_000 });
    const reads: { sql: string; options?: { name?: string } }[] = [];
    const knex = (orm.em.getConnection() as AbstractSqlConnection).getKnex();
    const count = (q: { sql: string; options?: { name?: string } }) => void (q.sql.includes("row_to_json(s) as session") && reads.push(q));
    knex.on("query", count);
    const missing = randomUUID();
    try {
      const loaded = await Promise.all([
        ...sessions.map((s) => store.loadClass(`class:${s.id}` as RoomId, s.id)),
        store.loadClass(`class:${missing}` as RoomId, missing),
      ]);
      expect(loaded.at(-1)).toBeNull();
      sessions.forEach((s, i) => {
        expect(loaded[i]!.state.cls.session.id).toBe(s.id);
        expect(loaded[i]!.state.cls.bookings.map((b) => b.sessionId)).toEqual(Array((i % 3) + 1).fill(s.id));
        // Booked members and the coach.
        expect(Object.keys(loaded[i]!.state.cls.members).sort()).toEqual(
          [...g.members.slice(0, (i % 3) + 1).map((m) => m.id), s.coachId].sort(),
        );
      });
    } finally {
      knex.removeListener("query", count);
    }
    // The first room reads at once; the 12 that asked while it ran share the next statement.
    expect(reads.length).toBeLessThanOrEqual(2);
    // Prepared by name on PostgreSQL (one room's text, or a batch's with the rooms as arrays, whatever its size).
    const pg = orm.em.getDriver() instanceof PostgreSqlDriver;
    for (const r of reads)
      expect(r.options?.name).toBe(
        pg ? (r.sql.includes("unnest(") ? "spotter_class_snapshot_many" : "spotter_class_snapshot_one") : undefined,
      );
  });

  it("answers nothing for a session that doesn't exist", async () => {
    const store = classStore({ orm, nodeId: "snapshot-test", now: Date.now, idempotencyWindowMs: 60_000 });
    const id = randomUUID();
    expect(await store.loadClass(`class:${id}` as RoomId, id)).toBeNull();
  });
});
