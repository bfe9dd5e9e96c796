/**
 * Issue 18 "Set-up": the wizard's gym details and first location, locations and rooms, class types (archived, never
 * deleted), and series edits whose effect on bookings is previewed first, then made by each class room (its notices
 * to the members). Over real sockets against a real server on PostgreSQL.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AuditLogEntity,
  BookingEntity,
  ClassSessionEntity,
  GymEntity,
  GymMembershipEntity,
  LocationEntity,
  RecurringScheduleEntity,
} from "../../../server/db/entities/index.js";
import { addDays, localDate } from "../../../domain/schedule/timeZone.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { createTestDatabase, requirePostgres, startTestServer, type TestDatabase, type TestServer } from "../../support/services.js";
import { eventually, suiteSockets, type TestSocket } from "../../support/sockets.js";

const pg = await requirePostgres();
const hours = {
  "0": [],
  "1": [{ opens: "06:00", closes: "21:00" }],
  "2": [{ opens: "06:00", closes: "21:00" }],
  "3": [],
  "4": [],
  "5": [],
  "6": [{ opens: "08:00", closes: "12:00" }],
};
const TZ = "Europe/Berlin";

describe.skipIf(!pg.ok)("setting a gym up (PostgreSQL)", () => {
  let db: TestDatabase;
  let t: TestServer;
  let gym: GymFixture;
  const sockets = suiteSockets(() => t.server);
  let owner: TestSocket;
  let coach: TestSocket;
  let room: string;
  const em = () => t.server.db.orm.em.fork();
  const ok = <T>(a: unknown) => {
    expect(a).toMatchObject({ ok: true });
    return (a as { result: T }).result;
  };

  beforeAll(async () => {
    db = await createTestDatabase(pg.url!);
    t = await startTestServer({ DATABASE_URL: db.url, SPOTTER_MODE: "embedded", JWT_SECRET: "s".repeat(40) });
    gym = await aGym(t.server.db.orm, { members: 6 });
    room = `gym:${gym.gymId}`;
    [owner, coach] = await Promise.all([sockets.connect(gym.ownerId), sockets.connect(gym.coachId)]);
  }, 60_000);

  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
    await db?.drop();
  });

  it("a new gym's owner sees the wizard; saving details creates the first location once, live on the gym room, audited", async () => {
    const e = em();
    const gymId = randomUUID();
    e.create(GymEntity, {
      id: gymId,
      name: "Fresh Gym",
      timeZone: TZ,
      policy: (await e.findOneOrFail(GymEntity, { id: gym.gymId })).policy,
      needsSetup: true,
    });
    e.create(GymMembershipEntity, {
      id: randomUUID(),
      gymId,
      userId: gym.ownerId,
      role: "owner",
      status: "active",
      planId: null,
      credits: null,
      creditsExpireAt: null,
      notes: "",
      joinedAt: Date.now(),
    });
    await e.flush();
    const fresh = `gym:${gymId}`;
    expect(ok(await owner.command(fresh, "gym:me", {}))).toMatchObject({ needsSetup: true });
    expect(ok(await owner.join(fresh))).toBeTruthy();
    const details = {
      name: "Harbour Strength",
      timeZone: "Europe/Lisbon",
      currency: "GBP",
      locale: "en-GB",
      openingHours: hours,
      firstLocation: { name: "Docklands", address: "1 Quay St" },
    };
    const commandId = randomUUID();
    const resets: unknown[] = [];
    owner.socket.on("room:reset", (r: unknown) => void resets.push(r));
    const saved = ok<{ locationId: string }>(await owner.command(fresh, "gym:saveSetup", details, commandId));
    expect(saved.locationId).toEqual(expect.any(String));
    // A new time zone (UTC → Lisbon) restarts the gym's live rooms: the screen rejoins for a view counted in it.
    await eventually(() => expect(resets).toEqual([{ room: fresh, reason: "room_restarted" }]));
    expect(ok(await owner.join(fresh))).toBeTruthy();
    // A retry answers the first result (and tells the rooms again: the first answer may have been lost before they
    // were told); a second save never adds a second "first" location.
    expect(ok(await owner.command(fresh, "gym:saveSetup", details, commandId))).toEqual(saved);
    await eventually(() => expect(resets).toHaveLength(2));
    expect(ok(await owner.join(fresh))).toBeTruthy();
    expect(ok(await owner.command(fresh, "gym:saveSetup", { ...details, name: "Harbour Strength Co" }))).toEqual({ locationId: null });
    expect(await em().count(LocationEntity, { gymId })).toBe(1);
    await eventually(() => expect(JSON.stringify(owner.deltas)).toContain("Harbour Strength Co"));
    await eventually(() => expect(JSON.stringify(owner.deltas)).toContain("Docklands"));
    // Finishing needs a class type too.
    expect(await owner.command(fresh, "gym:finishSetup", {})).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", message: expect.stringContaining("class type") },
    });
    ok(await owner.command(fresh, "schedule:createClassType", { name: "Barbell" }));
    expect(ok(await owner.command(fresh, "gym:finishSetup", {}))).toEqual({ needsSetup: false });
    expect(ok(await owner.command(fresh, "gym:me", {}))).toMatchObject({
      needsSetup: false,
      gymName: "Harbour Strength Co",
      timeZone: "Europe/Lisbon",
      currency: "GBP",
    });
    const setup = ok<{ locale: string; openingHours: unknown }>(await owner.command(fresh, "gym:setup", {}));
    expect(setup).toMatchObject({
      locale: "en-GB",
      openingHours: hours,
      locations: [{ name: "Docklands", address: "1 Quay St", archived: false, rooms: [] }],
    });
    expect(await em().count(AuditLogEntity, { gymId, action: { $in: ["gym:saveSetup", "gym:saveLocation", "gym:finishSetup"] } })).toBe(4);
  });

  it("refuses bad details in words, and details from anyone but an owner", async () => {
    expect(
      await owner.command(room, "gym:saveSetup", {
        name: "X",
        timeZone: "Mars/Olympus",
        currency: "euro",
        locale: "en",
        openingHours: hours,
      }),
    ).toMatchObject({
      ok: false,
      error: {
        code: "VALIDATION_FAILED",
        fields: { timeZone: expect.stringContaining("time zone"), currency: expect.stringContaining("3-letter") },
      },
    });
    expect(
      await coach.command(room, "gym:saveSetup", { name: "X", timeZone: TZ, currency: "EUR", locale: "en", openingHours: hours }),
    ).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await coach.command(room, "gym:saveLocation", { name: "Annex" })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  });

  it("adds, renames and archives a location and its rooms; an archived location takes no new classes but keeps its history", async () => {
    ok(await owner.join(room));
    const { locationId } = ok<{ locationId: string }>(
      await owner.command(room, "gym:saveLocation", { name: "Annex", address: "2 Side St" }),
    );
    const { roomId } = ok<{ roomId: string }>(await owner.command(room, "gym:saveRoom", { locationId, name: "Spin studio" }));
    ok(await owner.command(room, "gym:saveRoom", { locationId, roomId, name: "Cycle studio" }));
    expect(await owner.command(room, "gym:saveLocation", { name: "annex" })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", fields: { name: "Taken" } },
    });
    ok(await owner.command(room, "gym:saveLocation", { locationId, name: "The Annex" }));
    await eventually(() => expect(JSON.stringify(owner.deltas)).toContain("The Annex"));
    const start = localDate(Date.now() + 86_400_000, TZ);
    const series = {
      classTypeId: gym.session.classTypeId,
      locationId,
      durationMinutes: 60,
      capacity: 10,
      weekdays: [1, 3],
      startTime: "07:00",
      startDate: start,
      endDate: addDays(start, 20),
    };
    ok(await owner.command(room, "schedule:createSeries", series));
    ok(await owner.command(room, "gym:saveLocation", { locationId, name: "The Annex", archived: true }));
    expect(await owner.command(room, "schedule:createSeries", series)).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND", message: expect.stringContaining("archived") },
    });
    expect(await owner.command(room, "gym:saveRoom", { locationId, name: "Yoga room" })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining("archived") },
    });
    expect(await em().count(ClassSessionEntity, { locationId })).toBeGreaterThan(0);
    const setup = ok<{ locations: { locationId: string; archived: boolean; rooms: { name: string }[] }[] }>(
      await owner.command(room, "gym:setup", {}),
    );
    expect(setup.locations.find((l) => l.locationId === locationId)).toMatchObject({ archived: true, rooms: [{ name: "Cycle studio" }] });
  });

  it("a class or series names a room of its location: shown on the schedule and the roster; an archived room or another location's can't be chosen", async () => {
    ok(await owner.join(room));
    const { locationId } = ok<{ locationId: string }>(await owner.command(room, "gym:saveLocation", { name: "Rooms block" }));
    const { roomId } = ok<{ roomId: string }>(await owner.command(room, "gym:saveRoom", { locationId, name: "Studio 2" }));
    const { roomId: oldRoom } = ok<{ roomId: string }>(await owner.command(room, "gym:saveRoom", { locationId, name: "Old hall" }));
    ok(await owner.command(room, "gym:saveRoom", { locationId, roomId: oldRoom, name: "Old hall", archived: true }));
    const { classTypeId } = gym.session;
    const startsAt = Date.now() + 3 * 86_400_000;
    const single = { classTypeId, locationId, startsAt, durationMinutes: 45, capacity: 8 };
    const { sessionIds } = ok<{ sessionIds: string[] }>(await owner.command(room, "schedule:createSession", { ...single, roomId }));
    const sessionId = sessionIds[0]!;
    expect(await em().findOneOrFail(ClassSessionEntity, { id: sessionId })).toMatchObject({ roomId });
    await eventually(() => expect(JSON.stringify(owner.deltas)).toContain(`"roomName":"Studio 2"`));
    const roster = ok<{ snapshot: { session: { roomName: string } } }>(await coach.join(`class:${sessionId}`));
    expect(roster.snapshot.session.roomName).toBe("Studio 2");
    // The archived room, and a room of another location, are refused in words; nothing is created.
    expect(await owner.command(room, "schedule:createSession", { ...single, roomId: oldRoom })).toMatchObject({
      ok: false,
      error: {
        code: "VALIDATION_FAILED",
        message: "Pick a room of Rooms block — that one isn't there (or is archived).",
        fields: { roomId: expect.any(String) },
      },
    });
    expect(await owner.command(room, "schedule:createSession", { ...single, locationId: gym.session.locationId, roomId })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", fields: { roomId: expect.any(String) } },
    });
    const start = localDate(Date.now() + 86_400_000, TZ);
    const series = ok<{ sessionIds: string[]; scheduleId: string }>(
      await owner.command(room, "schedule:createSeries", {
        classTypeId,
        locationId,
        roomId,
        durationMinutes: 60,
        capacity: 10,
        weekdays: [2],
        startTime: "18:00",
        startDate: start,
        endDate: addDays(start, 13),
      }),
    );
    expect(await em().findOneOrFail(RecurringScheduleEntity, { id: series.scheduleId })).toMatchObject({ roomId });
    expect((await em().find(ClassSessionEntity, { id: { $in: series.sessionIds } })).map((s) => s.roomId)).toEqual(
      series.sessionIds.map(() => roomId),
    );
  });

  it("edits and archives a class type: the schedule shows the new name at once, archived types take no new classes", async () => {
    ok(await owner.join(room));
    const { classTypeId } = ok<{ classTypeId: string }>(await owner.command(room, "schedule:createClassType", { name: "Mobility" }));
    ok(
      await owner.command(room, "schedule:createSession", {
        classTypeId,
        locationId: gym.session.locationId,
        durationMinutes: 45,
        capacity: 8,
        startsAt: Date.now() + 3 * 86_400_000,
      }),
    );
    ok(await owner.command(room, "gym:saveClassType", { classTypeId, name: "Mobility & Stretch", color: "#123456" }));
    await eventually(() => expect(JSON.stringify(owner.deltas)).toContain("Mobility & Stretch"));
    ok(await owner.command(room, "gym:saveClassType", { classTypeId, archived: true }));
    expect(
      await owner.command(room, "schedule:createSession", {
        classTypeId,
        locationId: gym.session.locationId,
        durationMinutes: 45,
        capacity: 8,
        startsAt: Date.now() + 4 * 86_400_000,
      }),
    ).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining("archived") },
    });
    expect(await em().count(AuditLogEntity, { gymId: gym.gymId, action: "gym:saveClassType", entityId: classTypeId })).toBe(2);
  });

  it("previews then moves this and the following classes of a series: bookings stay, booked members are told, the series row changes", async () => {
    const start = localDate(Date.now() + 2 * 86_400_000, TZ);
    const made = ok<{ sessionIds: string[]; scheduleId: string }>(
      await owner.command(room, "schedule:createSeries", {
        classTypeId: gym.session.classTypeId,
        locationId: gym.session.locationId,
        durationMinutes: 60,
        capacity: 10,
        weekdays: [0, 1, 2, 3, 4, 5, 6],
        startTime: "18:00",
        startDate: start,
        endDate: addDays(start, 4),
      }),
    );
    expect(made.sessionIds).toHaveLength(5);
    const [first, second] = made.sessionIds;
    const member = await sockets.connect(gym.members[0]!.id);
    ok(await member.join(`user:${gym.members[0]!.id}`));
    ok(await member.command(`class:${second}`, "class:book", { sessionId: second }));
    const change = { action: "edit", sessionId: second, scope: "following", startTime: "19:30" };
    const preview = ok<{
      sessions: { sessionId: string; effect: string; booked: number }[];
      totals: { classes: number; bookings: number; told: number };
    }>(await owner.command(room, "gym:previewSeriesChange", change));
    expect(preview.totals).toMatchObject({ classes: 4, bookings: 1, told: 1 });
    expect(preview.sessions[0]).toMatchObject({ sessionId: second, effect: "moved", booked: 1 });
    // The preview changed nothing.
    expect((await em().findOneOrFail(ClassSessionEntity, { id: second! })).startsAt).toBe(
      (await em().findOneOrFail(ClassSessionEntity, { id: second! })).startsAt,
    );
    const done = ok<{ applied: number; failed: unknown[] }>(await owner.command(room, "gym:changeSeries", change));
    expect(done).toMatchObject({ applied: 4, failed: [] });
    const moved = await em().findOneOrFail(ClassSessionEntity, { id: second! });
    expect(new Intl.DateTimeFormat("en-GB", { timeZone: TZ, hour: "2-digit", minute: "2-digit" }).format(moved.startsAt)).toBe("19:30");
    expect(
      new Intl.DateTimeFormat("en-GB", { timeZone: TZ, hour: "2-digit", minute: "2-digit" }).format(
        (await em().findOneOrFail(ClassSessionEntity, { id: first! })).startsAt,
      ),
    ).toBe("18:00");
    expect(await em().count(BookingEntity, { sessionId: second!, memberId: gym.members[0]!.id, status: "booked" })).toBe(1);
    expect((await em().findOneOrFail(RecurringScheduleEntity, { id: made.scheduleId })).startTime).toBe("19:30");
    await eventually(() => expect(JSON.stringify(member.frames)).toContain("Moved:"));
  });

  it("ends a series: later classes are cancelled without fees, their members told, earlier ones stay", async () => {
    const start = localDate(Date.now() + 2 * 86_400_000, TZ);
    const made = ok<{ sessionIds: string[]; scheduleId: string }>(
      await owner.command(room, "schedule:createSeries", {
        classTypeId: gym.session.classTypeId,
        locationId: gym.session.locationId,
        durationMinutes: 60,
        capacity: 10,
        weekdays: [0, 1, 2, 3, 4, 5, 6],
        startTime: "09:00",
        startDate: start,
        endDate: addDays(start, 3),
      }),
    );
    const last = made.sessionIds[3]!;
    const member = await sockets.connect(gym.members[1]!.id);
    ok(await member.join(`user:${gym.members[1]!.id}`));
    ok(await member.command(`class:${last}`, "class:book", { sessionId: last }));
    const change = { action: "end", scheduleId: made.scheduleId, lastDate: addDays(start, 1) };
    const preview = ok<{ totals: { classes: number; cancelled: number; bookings: number } }>(
      await owner.command(room, "gym:previewSeriesChange", change),
    );
    expect(preview.totals).toMatchObject({ classes: 2, cancelled: 2, bookings: 1 });
    expect(ok(await owner.command(room, "gym:changeSeries", change))).toMatchObject({ applied: 2, failed: [] });
    expect((await em().findOneOrFail(ClassSessionEntity, { id: last })).status).toBe("cancelled");
    expect((await em().findOneOrFail(ClassSessionEntity, { id: made.sessionIds[1]! })).status).toBe("scheduled");
    expect((await em().findOneOrFail(RecurringScheduleEntity, { id: made.scheduleId })).endDate).toBe(addDays(start, 1));
    expect(await em().count(BookingEntity, { sessionId: last, status: "cancelled" })).toBe(1);
    await eventually(() => expect(JSON.stringify(member.frames)).toContain("Cancelled:"));
    expect(await em().count(AuditLogEntity, { gymId: gym.gymId, action: "gym:changeSeries", entityId: made.scheduleId })).toBe(1);
  });
});
