import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Booking, ClassSession, Gym, GymMembership, User } from "../../../domain/model.js";
import {
  BookingEntity,
  ClassSessionEntity,
  ClassTypeEntity,
  GymEntity,
  GymMembershipEntity,
  LocationEntity,
  UserEntity,
} from "../../../server/db/entities/index.js";
import { demoId } from "../../../server/demo/seedDemo.js";
import { migrateUp, openDatabase, type Database } from "../../../server/db/orm.js";
import { emptyDatabases, requirePostgres } from "../../support/services.js";

const pg = await requirePostgres();

const MEMBERS = 500;
const SESSIONS = 300;
const SESSIONS_PER_DAY = 10;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5, 6); // a Monday, 06:00 UTC

/** A gym of 500 members and 300 sessions over 30 days; session i holds i % 21 bookings, every third one cancelled. */
function aBusyGym() {
  const id = (name: string) => demoId(`persistence:${name}`);
  const gym: Gym = {
    id: id("gym"),
    name: "Busy Box",
    timeZone: "Europe/Berlin",
    policy: {
      currency: "EUR",
      lateCancelFeeCents: 500,
      noShowFeeCents: 1000,
      promotionMode: "automatic",
      offerClaimMinutes: 15,
      bookingOpensMinutes: 10_080,
      bookingClosesMinutes: 0,
      lateCancelMinutes: 120,
      autoPromoteCutoffMinutes: 30,
      checkInOpensMinutes: 30,
      checkInClosesMinutes: 15,
      waitlistLimit: 10,
    },
  };
  const location = { id: id("location"), gymId: gym.id, name: "Main floor" };
  const classType = { id: id("type"), gymId: gym.id, name: "Strength", description: "", color: "#e4572e", promotionMode: null };
  const users: User[] = Array.from({ length: MEMBERS }, (_, i) => ({
    id: id(`user:${i}`),
    email: `m${i}@busy.example`,
    name: `Member ${i}`,
    phone: null,
    visible: i % 5 !== 0,
  }));
  const memberships: GymMembership[] = users.map((u, i) => ({
    id: id(`membership:${i}`),
    gymId: gym.id,
    userId: u.id,
    role: "member",
    status: "active",
    planId: null,
    credits: null,
    creditsExpireAt: null,
    notes: "",
    joinedAt: T0 - i * DAY,
  }));
  const sessions: ClassSession[] = Array.from({ length: SESSIONS }, (_, i) => {
    const startsAt = T0 + Math.floor(i / SESSIONS_PER_DAY) * DAY + (i % SESSIONS_PER_DAY) * 3_600_000;
    return {
      id: id(`session:${i}`),
      gymId: gym.id,
      locationId: location.id,
      classTypeId: classType.id,
      coachId: null,
      scheduleId: null,
      roomId: null,
      startsAt,
      endsAt: startsAt + 3_600_000,
      capacity: 20,
      status: "scheduled",
      cancelReason: null,
      promotionMode: "automatic",
      bookingOpensMinutes: 10_080,
      bookingClosesMinutes: 0,
      lateCancelMinutes: 120,
      autoPromoteCutoffMinutes: 30,
      checkInOpensMinutes: 30,
      checkInClosesMinutes: 15,
      waitlistLimit: 10,
      offerClaimMinutes: 15,
    };
  });
  const bookings: Booking[] = sessions.flatMap((s, i) =>
    Array.from({ length: i % 21 }, (_, k) => ({
      id: id(`booking:${i}:${k}`),
      gymId: gym.id,
      sessionId: s.id,
      memberId: users[(i * 7 + k) % MEMBERS]!.id,
      status: k % 3 === 2 ? "cancelled" : "booked",
      createdAt: s.startsAt - (k + 1) * 60_000,
      updatedAt: s.startsAt - k * 60_000,
      creditUsed: false,
      promotedFromWaitlist: k === 0,
    })),
  );
  return { gym, location, classType, users, memberships, sessions, bookings };
}

describe.each(emptyDatabases(pg))("a busy gym persisted to $name", ({ name, create }) => {
  const data = aBusyGym();
  let db: Database;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    const created = await create();
    dispose = created.dispose;
    db = await openDatabase(created.target, 2);
    await migrateUp(db);
    const started = performance.now();
    await db.orm.em.fork().transactional(async (em) => {
      await em.insert(GymEntity, data.gym);
      await em.insert(LocationEntity, data.location);
      await em.insert(ClassTypeEntity, data.classType);
      await em.insertMany(UserEntity, data.users);
      await em.insertMany(GymMembershipEntity, data.memberships);
      await em.insertMany(ClassSessionEntity, data.sessions);
      await em.insertMany(BookingEntity, data.bookings);
    });
    console.log(
      `[persistence/${name}] inserted ${data.users.length} members, ${data.sessions.length} sessions, ${data.bookings.length} bookings in ${Math.round(performance.now() - started)} ms`,
    );
  });
  afterAll(async () => {
    await db?.close();
    await dispose?.();
  });

  it("reloads the sessions of a time range and their bookings exactly as stored", async () => {
    const from = T0 + 10 * DAY;
    const to = T0 + 20 * DAY;
    const started = performance.now();
    const em = db.orm.em.fork();
    // The gym room's lookup: sessions of one gym between two instants; then each class room's: bookings by session.
    const sessions = await em.find(
      ClassSessionEntity,
      { gymId: data.gym.id, startsAt: { $gte: from, $lt: to } },
      { orderBy: { startsAt: "asc" } },
    );
    const bookings = await em.find(BookingEntity, { sessionId: { $in: sessions.map((s) => s.id) } });
    const members = await em.find(GymMembershipEntity, { gymId: data.gym.id });
    console.log(
      `[persistence/${name}] reloaded ${sessions.length} sessions, ${bookings.length} bookings, ${members.length} members in ${Math.round(performance.now() - started)} ms`,
    );

    const expectedSessions = data.sessions.filter((s) => s.startsAt >= from && s.startsAt < to);
    expect(sessions).toHaveLength(10 * SESSIONS_PER_DAY);
    expect(sessions).toEqual(expectedSessions);
    const ids = new Set(expectedSessions.map((s) => s.id));
    const expectedBookings = data.bookings.filter((b) => ids.has(b.sessionId));
    expect(bookings).toHaveLength(expectedBookings.length);
    expect([...bookings].sort((a, b) => a.id.localeCompare(b.id))).toEqual([...expectedBookings].sort((a, b) => a.id.localeCompare(b.id)));
    expect(members).toHaveLength(MEMBERS);
  });

  it("finds each session's bookings by session, with the live ones counted per session", async () => {
    const em = db.orm.em.fork();
    for (const i of [0, 1, 20, 41, 299]) {
      const bookings = await em.find(BookingEntity, { sessionId: data.sessions[i]!.id });
      expect(bookings, `session ${i}`).toHaveLength(i % 21);
      expect(bookings.filter((b) => b.status === "booked")).toHaveLength((i % 21) - Math.floor((i % 21) / 3));
    }
    expect(await em.count(BookingEntity, { gymId: data.gym.id })).toBe(data.bookings.length);
    expect(await em.count(ClassSessionEntity, { gymId: data.gym.id })).toBe(SESSIONS);
  });
});
