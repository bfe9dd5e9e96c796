/**
 * Issue 18 "Import", classes (a history too), over the upload route against PostgreSQL: the dry run's every row error
 * in words, all or nothing, the duplicate rule (same class type, start and location = already there, skipped and
 * listed), the same file again a no-op, audited as `gym:importClasses`, owners and admins only.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditLogEntity, ClassSessionEntity, ClassTypeEntity, GymMembershipEntity } from "../../../server/db/entities/index.js";
import { localDate, zoneOffset } from "../../../domain/schedule/timeZone.js";
import { uploadImport } from "../../support/importUpload.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { postgresOrPglite, suiteDatabase, startTestServer, type SuiteDatabase, type TestServer } from "../../support/services.js";

const pg = await postgresOrPglite();
const TZ = "Europe/Berlin";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** "YYYY-MM-DD" and "HH:MM" of an instant in the gym's zone. */
function wall(at: number): { date: string; time: string } {
  const local = new Date(at + zoneOffset(at, TZ));
  return { date: localDate(at, TZ), time: local.toISOString().slice(11, 16) };
}

describe("importing classes", () => {
  let db: SuiteDatabase;
  let t: TestServer;
  let gym: GymFixture;
  const em = () => t.server.db.orm.em.fork();

  const upload = (csv: string, query: Record<string, string> = {}, as = gym.ownerId) =>
    uploadImport(t.server, "classes", csv, { gymId: gym.gymId, as, query });
  const classes = () => em().count(ClassSessionEntity, { gymId: gym.gymId });

  beforeAll(async () => {
    db = await suiteDatabase(pg);
    t = await startTestServer({ ...db.env, SPOTTER_MODE: "embedded", JWT_SECRET: "c".repeat(40) });
    gym = await aGym(t.server.db.orm, { members: 2 });
    // The second member is made an admin before any request reads their role.
    await em().nativeUpdate(GymMembershipEntity, { gymId: gym.gymId, userId: gym.members[1]!.id }, { role: "admin", planId: null });
  }, 60_000);

  afterAll(async () => {
    await t?.cleanup();
    await db?.drop();
  });

  it("says every row's problem in words and imports nothing while any row has one", async () => {
    const csv = [
      "Class Name,Class Date,Start Time,Location,Room,Duration,Capacity",
      "Strength,2026-03-02,18:00,Main floor,,60,12",
      "Strength,2026-13-02,18:00,Basement,,60,12",
      "Yoga,2026-03-03,7pm,Main floor,Loft,ninety,900",
    ].join("\r\n");
    const before = await classes();
    const dry = await upload(csv);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ rows: 3, committed: false, errorCount: 5, counts: { add: 1, newTypes: 0, duplicate: 0 } });
    expect(dry.body.errors).toEqual([
      { line: 3, field: "date", message: '"2026-13-02" is not a date — use YYYY-MM-DD, M/D/YYYY or D.M.YYYY.' },
      { line: 3, field: "location", message: 'No location named "Basement" in this gym — add it on Settings first (or fix the name).' },
      { line: 4, field: "room", message: 'Main floor has no room named "Loft" — add it first, or leave the room empty.' },
      { line: 4, field: "duration", message: '"ninety" is not a duration — use whole minutes from 5 to 1440.' },
      { line: 4, field: "capacity", message: '"900" is not a number of spots — use 0 to 500.' },
    ]);
    const refused = await upload(csv, { commit: "1" });
    expect(refused).toMatchObject({
      status: 400,
      body: { error: { code: "VALIDATION_FAILED", message: expect.stringContaining("2 rows have errors") } },
    });
    expect(await classes()).toBe(before);
  });

  it("skips classes already there (same class type, start and location), adds the rest with new class types, and the same file again adds nothing", async () => {
    const startsAt = Math.floor((Date.now() + 3 * DAY) / 60_000) * 60_000;
    await gym.addSession({ startsAt, endsAt: startsAt + HOUR, capacity: 10 });
    const there = wall(startsAt);
    const past = wall(Math.floor((Date.now() - 30 * DAY) / 60_000) * 60_000);
    const later = wall(startsAt + 2 * HOUR);
    // Mindbody-style columns, recognised without a mapping.
    const csv = [
      "Class Name,Class Date,Start Time,Location,Duration,Capacity",
      `strength,${there.date},${there.time},Main floor,60,10`,
      `Strength,${past.date},${past.time},Main floor,45,12`,
      `Pilates Mat,${later.date},${later.time},main floor,50,8`,
      `Pilates Mat,${later.date},${later.time},Main floor,50,8`,
    ].join("\n");
    const before = await classes();
    const dry = await upload(csv);
    expect(dry.body).toMatchObject({
      rows: 4,
      errorCount: 0,
      counts: { add: 2, newTypes: 1, duplicate: 2 },
      mapping: {
        classType: "Class Name",
        date: "Class Date",
        time: "Start Time",
        location: "Location",
        duration: "Duration",
        capacity: "Capacity",
      },
      duplicates: [
        { line: 2, message: `Strength on ${there.date} ${there.time} is already on the schedule at that location — skipped.` },
        { line: 5, message: `Pilates Mat on ${later.date} ${later.time} is the same class as line 4 — skipped.` },
      ],
    });
    expect(await classes()).toBe(before);

    const done = await upload(csv, { commit: "1" });
    expect(done).toMatchObject({ status: 200, body: { committed: true, counts: { add: 2, newTypes: 1, duplicate: 2 } } });
    expect(await classes()).toBe(before + 2);
    const pilates = await em().findOneOrFail(ClassTypeEntity, { gymId: gym.gymId, name: "Pilates Mat" });
    expect(await em().find(ClassSessionEntity, { gymId: gym.gymId, classTypeId: pilates.id })).toMatchObject([
      { status: "scheduled", capacity: 8 },
    ]);
    expect(await em().count(ClassSessionEntity, { gymId: gym.gymId, status: "completed" })).toBe(1);
    const audit = await em().find(AuditLogEntity, { gymId: gym.gymId, action: "gym:importClasses" }, { orderBy: { pos: "asc" } });
    expect(audit.map((a) => [a.entityType, a.actorId])).toEqual([
      ["class_type", gym.ownerId],
      ["session", gym.ownerId],
    ]);

    // The same file again: every row a duplicate, nothing written, no new audit rows.
    const again = await upload(csv, { commit: "1" });
    expect(again.body).toMatchObject({ committed: true, counts: { add: 0, newTypes: 0, duplicate: 4 } });
    expect(await classes()).toBe(before + 2);
    expect(await em().count(AuditLogEntity, { gymId: gym.gymId, action: "gym:importClasses" })).toBe(2);
  });

  it("adds a file's classes once when it is imported twice at the same moment", async () => {
    const csv = "Class,Start,Location\nStrength,2098-05-04 08:00,Main floor\nStrength,2098-05-05 08:00,Main floor";
    const before = await classes();
    const both = await Promise.all([upload(csv, { commit: "1" }), upload(csv, { commit: "1" })]);
    for (const r of both) expect([200, 409]).toContain(r.status);
    expect(both.some((r) => r.status === 200 && (r.body.counts as { add: number }).add === 2)).toBe(true);
    expect(await classes()).toBe(before + 2);
  });

  it("asks for the columns it could not recognise, and takes the owner's mapping", async () => {
    const csv = "Kurs,Datum,Ort\nStrength,2026-04-01 09:30,Main floor";
    const dry = await upload(csv);
    expect(dry.body.errors).toEqual([{ line: 1, field: "row", message: "Pick the column that holds the class's name (its class type)." }]);
    const mapped = await upload(csv, { mapping: JSON.stringify({ classType: "Kurs", date: "Datum", location: "Ort" }) });
    expect(mapped.body).toMatchObject({ errorCount: 0, counts: { add: 1, newTypes: 0, duplicate: 0 } });
  });

  it("is for owners and admins of the gym only", async () => {
    const csv = "Class,Date,Location\nStrength,2026-04-01 09:30,Main floor";
    for (const who of [gym.deskId, gym.coachId, gym.members[0]!.id]) expect((await upload(csv, {}, who)).status).toBe(403);
    expect((await upload(csv, {}, gym.members[1]!.id)).status).toBe(200);
    expect(await upload(csv, { mapping: "{not json" })).toMatchObject({ status: 400 });
  });
});
