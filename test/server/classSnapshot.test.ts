/**
 * A cold class room reads everything it shows in one statement (JSON subqueries mapped through the
 * entities). Proof that this reads exactly what the entity queries read, field by field and in order,
 * for every kind of row a session has — on embedded PGlite and on PostgreSQL.
 */
import { randomUUID } from "node:crypto";
import type { MikroORM } from "@mikro-orm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RoomId } from "../../domain/protocol/envelope.js";
import {
  AttendanceEventEntity,
  BookingEntity,
  CheckInEntity,
  ClassWorkoutEntity,
  FeeEntity,
  WaitlistEntryEntity,
  WorkoutResultEntity,
} from "../../server/db/entities/index.js";
import { classStore } from "../../server/persistence/classStore.js";
import { aGym, type GymFixture } from "../support/gymFixture.js";
import { requirePostgres, serverTargets, startTestServer, type TestDatabase, type TestServer } from "../support/services.js";

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
      id: randomUUID(), gymId: gym.gymId, sessionId: s.id, memberId, status, createdAt: t0 + i, updatedAt: t0 + i + 7, creditUsed: i % 2 === 0, promotedFromWaitlist: i === 2,
    });
    // Same creation instant for two rows: the id decides, as in the room.
    const bookings = [booking(a!, 0, "checked_in"), booking(b!, 0, "booked"), booking(c!, 2, "late_cancelled")];
    for (const x of bookings) em.create(BookingEntity, x as never);
    em.create(WaitlistEntryEntity, { id: randomUUID(), gymId: gym.gymId, sessionId: s.id, memberId: d!, position: 1, status: "offered", createdAt: t0 + 5, updatedAt: t0 + 6, offerExpiresAt: t0 + 60_000, reason: null });
    em.create(WaitlistEntryEntity, { id: randomUUID(), gymId: gym.gymId, sessionId: s.id, memberId: c!, position: 0, status: "left", createdAt: t0 + 4, updatedAt: t0 + 9, offerExpiresAt: null, reason: "Left the waitlist — ünïcode 'quoted'" });
    em.create(FeeEntity, { id: randomUUID(), gymId: gym.gymId, memberId: c!, sessionId: s.id, bookingId: bookings[2]!.id, kind: "late_cancel", amountCents: 500, currency: "EUR", createdAt: t0 + 10, waived: false });
    em.create(FeeEntity, { id: randomUUID(), gymId: gym.gymId, memberId: c!, sessionId: s.id, bookingId: bookings[2]!.id, kind: "no_show", amountCents: 0, currency: "EUR", createdAt: t0 + 11, waived: true });
    em.create(CheckInEntity, { id: randomUUID(), gymId: gym.gymId, memberId: a!, sessionId: s.id, source: "qr", result: "accepted", reason: null, at: t0 + 20, byUserId: gym.deskId });
    em.create(CheckInEntity, { id: randomUUID(), gymId: gym.gymId, memberId: b!, sessionId: s.id, source: "desk", result: "denied", reason: "OUTSIDE_CHECK_IN_WINDOW", at: t0 + 21, byUserId: null });
    em.create(AttendanceEventEntity, { id: randomUUID(), gymId: gym.gymId, memberId: a!, sessionId: s.id, at: t0 + 20 });
    const workoutId = randomUUID();
    em.create(ClassWorkoutEntity, { id: workoutId, gymId: gym.gymId, sessionId: s.id, title: "Fran", description: "21-15-9", scoreType: "for_time", divisions: ["rx", "scaled"], setBy: gym.coachId, setAt: t0 + 30 });
    em.create(WorkoutResultEntity, { id: randomUUID(), gymId: gym.gymId, sessionId: s.id, workoutId, memberId: a!, score: { type: "for_time", ms: 254_300 }, division: "rx", submittedAt: t0 + 40, loggedBy: a! });
    em.create(WorkoutResultEntity, { id: randomUUID(), gymId: gym.gymId, sessionId: s.id, workoutId, memberId: b!, score: { type: "for_time", ms: 301_000 }, division: "scaled", submittedAt: t0 + 41, loggedBy: gym.coachId });
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
    expect(cls.waitlist).toEqual(plain(await read.find(WaitlistEntryEntity, { sessionId: s.id }, { orderBy: { createdAt: "asc", id: "asc" } })));
    expect(cls.fees).toEqual(plain(await read.find(FeeEntity, { sessionId: s.id }, { orderBy: { id: "asc" } })));
    expect(cls.checkIns).toEqual(plain(await read.find(CheckInEntity, { sessionId: s.id }, { orderBy: { at: "asc", id: "asc" } })));
    expect(cls.attendance).toEqual(plain(await read.find(AttendanceEventEntity, { sessionId: s.id }, { orderBy: { id: "asc" } })));
    expect(cls.board.workout).toEqual({ ...(await read.findOneOrFail(ClassWorkoutEntity, { sessionId: s.id })) });
    expect(cls.board.results).toEqual(plain(await read.find(WorkoutResultEntity, { sessionId: s.id }, { orderBy: { submittedAt: "asc", id: "asc" } })));
    // Spot checks that the values are the domain's, not the database's spelling.
    expect(cls.bookings).toHaveLength(3);
    expect(cls.bookings.every((x) => typeof x.createdAt === "number")).toBe(true);
    expect(cls.waitlist.find((w) => w.memberId === d)?.offerExpiresAt).toBe(t0 + 60_000);
    expect(cls.board.results[0]!.score).toEqual({ type: "for_time", ms: 254_300 });
    expect(loaded!.state.labels).toMatchObject({ className: "Strength", locationName: "Main floor" });
    expect(cls.timeZone).toBe("Europe/Berlin");
  });

  it("answers nothing for a session that doesn't exist", async () => {
    const store = classStore({ orm, nodeId: "snapshot-test", now: Date.now, idempotencyWindowMs: 60_000 });
    const id = randomUUID();
    expect(await store.loadClass(`class:${id}` as RoomId, id)).toBeNull();
  });
});
