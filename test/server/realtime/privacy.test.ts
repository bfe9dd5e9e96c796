/**
 * Privacy rights over the real protocol, on embedded PGlite and on PostgreSQL: a member downloads exactly
 * their data; deletion anonymizes the person and keeps their records (and the audit chain) intact, blocked by
 * a legal hold, idempotent; consents are insert-only and a new policy version must be accepted before booking.
 */
import { randomUUID } from "node:crypto";
import type { MikroORM } from "@mikro-orm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ack } from "../../../domain/protocol/envelope.js";
import { verifyAudit } from "../../../server/audit/verifyAudit.js";
import { signToken } from "../../../server/auth.js";
import {
  AttendanceEventEntity,
  BookingEntity,
  CheckInEntity,
  ClassWorkoutEntity,
  FeeEntity,
  GymEntity,
  GymMembershipEntity,
  UserEntity,
  WorkoutResultEntity,
} from "../../../server/db/entities/index.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { postgresOrPglite, suiteDatabase, startTestServer, type SuiteDatabase, type TestServer } from "../../support/services.js";
import { suiteSockets } from "../../support/sockets.js";

const pg = await postgresOrPglite();
const targets = [
  { name: "embedded PGlite", env: async (): Promise<{ env: Record<string, string>; db?: SuiteDatabase }> => ({ env: {} }) },
  ...(pg.ok
    ? [
        {
          name: "PostgreSQL",
          env: async () => {
            const db = await suiteDatabase(pg);
            return { env: { ...db.env, SPOTTER_MODE: "embedded", JWT_SECRET: "p".repeat(40) }, db };
          },
        },
      ]
    : []),
];

const result = <T>(a: Ack<unknown>) => {
  if (!a.ok) throw new Error(`expected ok, got ${JSON.stringify(a.error)}`);
  return a.result as T;
};

/** A past class with a check-in, attendance, a no-show fee and a workout result for `memberId`, written as the class room would. */
async function pastVisit(orm: MikroORM, gym: GymFixture, memberId: string) {
  const session = await gym.addSession({
    startsAt: Date.now() - 3 * 86_400_000,
    endsAt: Date.now() - 3 * 86_400_000 + 3_600_000,
    status: "completed",
  });
  const em = orm.em.fork();
  const at = session.startsAt;
  const booking = em.create(BookingEntity, {
    id: randomUUID(),
    gymId: gym.gymId,
    sessionId: session.id,
    memberId,
    status: "checked_in",
    createdAt: at - 86_400_000,
    updatedAt: at,
    creditUsed: false,
    promotedFromWaitlist: false,
  });
  const checkIn = em.create(CheckInEntity, {
    id: randomUUID(),
    gymId: gym.gymId,
    memberId,
    sessionId: session.id,
    source: "desk",
    result: "accepted",
    reason: null,
    at,
    byUserId: gym.deskId,
  });
  const attendance = em.create(AttendanceEventEntity, { id: randomUUID(), gymId: gym.gymId, memberId, sessionId: session.id, at });
  const fee = em.create(FeeEntity, {
    id: randomUUID(),
    gymId: gym.gymId,
    memberId,
    sessionId: session.id,
    bookingId: booking.id,
    kind: "no_show",
    amountCents: 1000,
    currency: "EUR",
    createdAt: at,
    waived: false,
  });
  const workout = em.create(ClassWorkoutEntity, {
    id: randomUUID(),
    gymId: gym.gymId,
    sessionId: session.id,
    title: "Fran",
    scoreType: "for_time",
    divisions: ["rx", "scaled"],
    setBy: gym.coachId,
    setAt: at,
  });
  const score = em.create(WorkoutResultEntity, {
    id: randomUUID(),
    gymId: gym.gymId,
    sessionId: session.id,
    workoutId: workout.id,
    memberId,
    score: { type: "for_time", ms: 300_000 },
    division: "rx",
    submittedAt: at + 3_000_000,
    loggedBy: gym.coachId,
  });
  await em.flush();
  return { bookingId: booking.id, checkInId: checkIn.id, attendanceId: attendance.id, feeId: fee.id, resultId: score.id };
}

const counts = async (orm: MikroORM, memberId: string) => {
  const em = orm.em.fork();
  return {
    bookings: await em.count(BookingEntity, { memberId }),
    checkIns: await em.count(CheckInEntity, { memberId }),
    attendance: await em.count(AttendanceEventEntity, { memberId }),
    fees: await em.count(FeeEntity, { memberId }),
  };
};

describe.each(targets)("privacy rights on $name", ({ env }) => {
  let t: TestServer;
  let db: SuiteDatabase | undefined;
  let gym: GymFixture;
  let orm: MikroORM;
  const sockets = suiteSockets(() => t.server);
  const as = sockets.connect;

  beforeAll(async () => {
    const target = await env();
    db = target.db;
    t = await startTestServer(target.env);
    orm = t.server.db.orm;
    gym = await aGym(orm, { members: 6 });
  }, 60_000);
  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
    await db?.drop();
  });

  it("exports exactly my data — profile, memberships, bookings, waitlist, check-ins, attendance, fees, workout results, consents — and no secrets", async () => {
    const [me, other] = [gym.members[0]!, gym.members[1]!];
    const mine = await pastVisit(orm, gym, me.id);
    const theirs = await pastVisit(orm, gym, other.id);
    const s = await as(me.id);
    const booked = result<{ bookingId: string }>(await s.command(`class:${gym.sessionId}`, "class:book", { sessionId: gym.sessionId }));
    result(await s.command(`user:${me.id}`, "user:consent", { kind: "marketing", version: "2026-01" }));
    const { url: feed } = result<{ url: string }>(await s.command(`user:${me.id}`, "user:icalLink", {}));

    const data = result<Record<string, unknown>>(await s.command(`user:${me.id}`, "user:exportData", {}));
    expect(data).toMatchObject({
      profile: { id: me.id, name: me.name, email: me.email, phone: me.phone },
      memberships: [{ gymId: gym.gymId, role: "member", status: "active", plan: "Unlimited" }],
      consents: [{ kind: "marketing", version: "2026-01" }],
      deletionRequest: null,
    });
    const ids = (k: string) => (data[k] as { id: string }[]).map((x) => x.id).sort();
    expect(ids("bookings")).toEqual([mine.bookingId, booked.bookingId].sort());
    expect(ids("checkIns")).toEqual([mine.checkInId]);
    expect(ids("attendance")).toEqual([mine.attendanceId]);
    expect(ids("fees")).toEqual([mine.feeId]);
    expect(data.workoutResults).toEqual([
      expect.objectContaining({ id: mine.resultId, workout: "Fran", score: { type: "for_time", ms: 300_000 }, loggedByMe: false }),
    ]);
    expect(data.waitlistEntries).toEqual([]);
    const text = JSON.stringify(data);
    const token = /\/ical\/([^.]+)\.ics/.exec(feed)![1]!;
    for (const secretOrSomeoneElse of [
      token,
      other.id,
      other.email,
      other.name,
      theirs.bookingId,
      theirs.feeId,
      theirs.resultId,
      gym.deskId,
      gym.coachId,
      "private note",
    ])
      expect(text).not.toContain(secretOrSomeoneElse);

    const http = await fetch(`${t.server.url}/api/me/export.json`, {
      headers: { authorization: `Bearer ${await signToken(t.server.jwtSecret!, me.id)}` },
    });
    expect(http.status).toBe(200);
    expect(http.headers.get("content-disposition")).toContain("attachment");
    const { exportedAt: _a, ...overHttp } = (await http.json()) as Record<string, unknown>;
    const { exportedAt: _b, ...overSocket } = data;
    expect(overHttp).toEqual(overSocket);
    expect((await fetch(`${t.server.url}/api/me/export.json`)).status).toBe(401);
    expect(await s.command(`user:${other.id}`, "user:exportData", {})).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });

  it("anonymizes a member when an owner approves their deletion, keeping bookings, check-ins and fees as anonymous records", async () => {
    const member = gym.members[2]!;
    const visit = await pastVisit(orm, gym, member.id);
    const before = await counts(orm, member.id);
    const s = await as(member.id);
    const asked = result<{ status: string }>(await s.command(`user:${member.id}`, "user:requestDeletion", {}));
    expect(asked.status).toBe("requested");
    expect(result<{ status: string }>(await s.command(`user:${member.id}`, "user:requestDeletion", {})).status).toBe("requested");

    const owner = await as(gym.ownerId);
    const approved = result<{ alreadyDone: boolean; approvedAt: number }>(
      await owner.command(`gym:${gym.gymId}`, "gym:approveDeletion", { memberId: member.id }),
    );
    expect(approved.alreadyDone).toBe(false);

    const em = orm.em.fork();
    expect(await em.findOneOrFail(UserEntity, { id: member.id })).toMatchObject({
      name: "Deleted member",
      email: `deleted-${member.id}@deleted.invalid`,
      phone: null,
      visible: false,
    });
    expect((await em.findOneOrFail(GymMembershipEntity, { gymId: gym.gymId, userId: member.id })).notes).toBe("");
    expect(await counts(orm, member.id)).toEqual(before);
    expect(await em.findOne(BookingEntity, { id: visit.bookingId })).toMatchObject({ memberId: member.id, status: "checked_in" });
    expect(await em.findOne(FeeEntity, { id: visit.feeId })).toMatchObject({ memberId: member.id, amountCents: 1000 });
    const found = result<{ members: unknown[] }>(await owner.command(`gym:${gym.gymId}`, "gym:searchMembers", { q: member.name }));
    expect(found.members).toEqual([]);
    expect((await verifyAudit(orm.em.fork(), gym.gymId)).broken).toBeNull();

    // Idempotent: approving again answers the first approval and changes nothing.
    const again = result<{ alreadyDone: boolean; approvedAt: number }>(
      await owner.command(`gym:${gym.gymId}`, "gym:approveDeletion", { memberId: member.id }),
    );
    expect(again).toEqual({ memberId: member.id, approvedAt: approved.approvedAt, alreadyDone: true });
    expect(await counts(orm, member.id)).toEqual(before);
  });

  it("stops live rooms from showing an anonymized member: watchers are told to rejoin and get the anonymous name", async () => {
    const member = gym.members[5]!;
    const room = `class:${gym.sessionId}`;
    const s = await as(member.id);
    result(await s.command(room, "class:book", { sessionId: gym.sessionId }));
    result(await s.command(`user:${member.id}`, "user:requestDeletion", {}));
    const coach = await as(gym.coachId);
    const first = result<{ snapshot: { roster: Record<string, { memberId: string; name: string }> } }>(await coach.join(room));
    expect(Object.values(first.snapshot.roster).find((r) => r.memberId === member.id)?.name).toBe(member.name);
    const reset = new Promise<unknown>((resolve) => coach.socket.once("room:reset", resolve));
    const owner = await as(gym.ownerId);
    result(await owner.command(`gym:${gym.gymId}`, "gym:approveDeletion", { memberId: member.id }));
    expect(await reset).toMatchObject({ room, reason: "room_restarted" });
    const again = result<{ snapshot: { roster: Record<string, { memberId: string; name: string }> } }>(await coach.join(room));
    expect(Object.values(again.snapshot.roster).find((r) => r.memberId === member.id)?.name).toBe("Deleted member");
    expect(JSON.stringify(again.snapshot)).not.toContain(member.email);
  });

  it("refuses to approve a deletion nobody asked for, or while a legal hold stands (saying why), until it is lifted", async () => {
    const member = gym.members[3]!;
    const owner = await as(gym.ownerId);
    const approve = () => owner.command(`gym:${gym.gymId}`, "gym:approveDeletion", { memberId: member.id });
    expect(await approve()).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    const s = await as(member.id);
    result(await s.command(`user:${member.id}`, "user:requestDeletion", {}));
    result(
      await owner.command(`gym:${gym.gymId}`, "gym:setLegalHold", { memberId: member.id, hold: true, reason: "Open payment dispute" }),
    );
    const held = await approve();
    expect(held).toMatchObject({ ok: false, error: { code: "LEGAL_HOLD" } });
    expect(!held.ok && held.error.message).toContain("Open payment dispute");
    expect((await orm.em.fork().findOneOrFail(UserEntity, { id: member.id })).name).toBe(member.name);
    expect(await owner.command(`gym:${gym.gymId}`, "gym:setLegalHold", { memberId: member.id, hold: true, reason: " " })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED" },
    });
    const desk = await as(gym.deskId);
    expect(await desk.command(`gym:${gym.gymId}`, "gym:setLegalHold", { memberId: member.id, hold: false, reason: "" })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    result(await owner.command(`gym:${gym.gymId}`, "gym:setLegalHold", { memberId: member.id, hold: false, reason: "" }));
    expect(result<{ alreadyDone: boolean }>(await approve()).alreadyDone).toBe(false);
  });

  it("anonymizes once when an owner and an admin approve at the same time, and keeps one request when asked twice at once", async () => {
    const member = gym.members[4]!;
    const s = await as(member.id);
    const asked = await Promise.all([1, 2].map(() => s.command(`user:${member.id}`, "user:requestDeletion", {})));
    expect(asked.map((a) => a.ok)).toEqual([true, true]);
    expect(
      await orm.em.fork().getConnection().execute(`select count(*)::int as n from deletion_request where user_id = ?`, [member.id]),
    ).toEqual([{ n: 1 }]);
    const admin = randomUUID();
    const em = orm.em.fork();
    em.create(UserEntity, { id: admin, email: `admin-${admin}@test.spotter`, name: "Admin Race", phone: null, visible: true });
    em.create(GymMembershipEntity, {
      id: randomUUID(),
      gymId: gym.gymId,
      userId: admin,
      role: "admin",
      status: "active",
      planId: null,
      credits: null,
      creditsExpireAt: null,
      notes: "",
      joinedAt: Date.now(),
    });
    await em.flush();
    const [owner, adm] = await Promise.all([as(gym.ownerId), as(admin)]);
    const answers = await Promise.all(
      [owner, adm].map((x) => x.command(`gym:${gym.gymId}`, "gym:approveDeletion", { memberId: member.id })),
    );
    const done = answers.map((a) => result<{ alreadyDone: boolean; approvedAt: number }>(a));
    expect(done.map((d) => d.alreadyDone).sort()).toEqual([false, true]);
    expect(done[0]!.approvedAt).toBe(done[1]!.approvedAt);
    const audited = await orm.em
      .fork()
      .getConnection()
      .execute(`select count(*)::int as n from audit_log where action = 'gym:approveDeletion' and entity_id = ?`, [member.id]);
    expect(audited).toEqual([{ n: 1 }]);
  });

  it("keeps consent rows immutable: the database refuses UPDATE and DELETE", async () => {
    const member = gym.members[1]!;
    const s = await as(member.id);
    result(await s.command(`user:${member.id}`, "user:consent", { kind: "terms", version: "1" }));
    const conn = orm.em.fork().getConnection();
    await expect(conn.execute(`update consent set version = '0' where user_id = ?`, [member.id])).rejects.toThrow(/insert-only/);
    await expect(conn.execute(`delete from consent where user_id = ?`, [member.id])).rejects.toThrow(/insert-only/);
    const rows = await conn.execute<{ version: string }[]>(`select version from consent where user_id = ?`, [member.id]);
    expect(rows.map((r: { version: string }) => r.version)).toEqual(["1"]);
  });

  it("refuses booking with CONSENT_REQUIRED until the member accepts the gym's current terms and privacy policy", async () => {
    const g = await aGym(orm, { members: 1 });
    const member = g.members[0]!;
    const em = orm.em.fork();
    const row = await em.findOneOrFail(GymEntity, { id: g.gymId });
    row.policy = { ...row.policy, requiredConsents: { terms: "2026-02", privacy: "3" } };
    await em.flush();
    const s = await as(member.id);
    result(await s.command(`user:${member.id}`, "user:consent", { kind: "terms", version: "2026-01" }));
    const book = () => s.command(`class:${g.sessionId}`, "class:book", { sessionId: g.sessionId });
    const refused = await book();
    expect(refused).toMatchObject({
      ok: false,
      error: { code: "CONSENT_REQUIRED", message: "Please accept the updated terms before booking." },
    });
    const me = result<{ requiredConsents: unknown }>(await s.command(`gym:${g.gymId}`, "gym:me", {}));
    expect(me.requiredConsents).toEqual({ terms: "2026-02", privacy: "3" });
    result(await s.command(`user:${member.id}`, "user:consent", { kind: "terms", version: "2026-02" }));
    expect(await book()).toMatchObject({ ok: false, error: { code: "CONSENT_REQUIRED" } });
    result(await s.command(`user:${member.id}`, "user:consent", { kind: "privacy", version: "3" }));
    expect(await book()).toMatchObject({ ok: true, result: { status: "booked" } });
  });
});
