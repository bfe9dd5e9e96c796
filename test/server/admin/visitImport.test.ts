/**
 * Issue 18 "Import", visit history, over the upload route against PostgreSQL: the dry run's every row error in words
 * (unknown member, a class the schedule doesn't have, one not started or cancelled), all or nothing, each visit a
 * booking with its check-in and attendance (or a no-show) through the visit-history import, the same file again a
 * no-op, audited as `gym:importHistory`, owners and admins only.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AttendanceEventEntity, AuditLogEntity, BookingEntity, CheckInEntity, FeeEntity } from "../../../server/db/entities/index.js";
import { addDays, localDate, zonedInstant, zoneOffset } from "../../../domain/schedule/timeZone.js";
import { uploadImport } from "../../support/importUpload.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { postgresOrPglite, suiteDatabase, startTestServer, type SuiteDatabase, type TestServer } from "../../support/services.js";

const pg = await postgresOrPglite();
const TZ = "Europe/Berlin";
const HOUR = 3_600_000;

/** "YYYY-MM-DD" and "HH:MM" of an instant in the gym's zone. */
function wall(at: number): { date: string; time: string } {
  const local = new Date(at + zoneOffset(at, TZ));
  return { date: localDate(at, TZ), time: local.toISOString().slice(11, 16) };
}

describe("importing visit history", () => {
  let db: SuiteDatabase;
  let t: TestServer;
  let gym: GymFixture;
  const em = () => t.server.db.orm.em.fork();

  const upload = (csv: string, query: Record<string, string> = {}, as = gym.ownerId) =>
    uploadImport(t.server, "visits", csv, { gymId: gym.gymId, as, query });

  beforeAll(async () => {
    db = await suiteDatabase(pg);
    t = await startTestServer({ ...db.env, SPOTTER_MODE: "embedded", JWT_SECRET: "v".repeat(40) });
    gym = await aGym(t.server.db.orm, { members: 2 });
  }, 60_000);

  afterAll(async () => {
    await t?.cleanup();
    await db?.drop();
  });

  it("says every row's problem in words, imports nothing while any row has one, then all of it once", async () => {
    const [ann, ben] = gym.members as [GymFixture["members"][0], GymFixture["members"][0]];
    const lastWeek = addDays(localDate(Date.now(), TZ), -7);
    // Two past classes of the gym's "Strength" type, as the class history import leaves them, and one cancelled.
    const at = (time: string) => zonedInstant(lastWeek, time, TZ);
    const evening = await gym.addSession({ startsAt: at("18:00"), endsAt: at("18:00") + HOUR });
    const morning = await gym.addSession({ startsAt: at("07:00"), endsAt: at("07:00") + HOUR });
    await gym.addSession({ startsAt: at("12:00"), endsAt: at("12:00") + HOUR, status: "cancelled" });
    const later = zonedInstant(addDays(localDate(Date.now(), TZ), 2), "10:00", TZ);
    const ahead = await gym.addSession({ startsAt: later, endsAt: later + HOUR });
    const next = wall(ahead.startsAt);
    const bad = [
      "Client Email,Class Name,Class Date,Start Time,Status",
      `${ann.email},Strength,${lastWeek},18:00,Checked in`,
      `${ben.email},Strength,${lastWeek},7:00 AM,No-show`,
      `nobody@example.com,Strength,${lastWeek},18:00,`,
      `${ann.email},Strength,${next.date},${next.time},`,
      `${ben.email},Strength,${lastWeek},12:00,`,
      `${ben.email},Pilates,yesterday,noon,maybe`,
      `${ben.email},Strength,${lastWeek},19:00,`,
    ].join("\r\n");
    const dry = await upload(bad);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      rows: 7,
      committed: false,
      mapping: { email: "Client Email", classType: "Class Name", date: "Class Date", time: "Start Time", outcome: "Status" },
      counts: { checkedIn: 1, noShow: 1, matched: 0 },
    });
    expect(dry.body.errors).toEqual([
      { line: 4, field: "email", message: "No member with the email nobody@example.com — import your members first." },
      {
        line: 5,
        field: "date",
        message: `The Strength class on ${next.date} ${next.time} hasn't started — import it with the upcoming bookings instead.`,
      },
      { line: 6, field: "date", message: `The Strength class on ${lastWeek} 12:00 was cancelled — nobody came to it.` },
      { line: 7, field: "date", message: '"yesterday" is not a date — use YYYY-MM-DD, M/D/YYYY or D.M.YYYY.' },
      { line: 7, field: "time", message: '"noon" is not a time of day — use 18:00 or 6:00 PM.' },
      {
        line: 7,
        field: "classType",
        message: 'No class type named "Pilates" in this gym — import the class history first (Schedule → Import classes).',
      },
      { line: 7, field: "outcome", message: '"maybe" is not an outcome — use "checked in" or "no-show" (empty: checked in).' },
      {
        line: 8,
        field: "date",
        message: `No Strength class on ${lastWeek} 19:00 — check the date and time (the gym's time zone) or import the class history first.`,
      },
    ]);
    // All or nothing: a commit with errors imports no row.
    const refused = await upload(bad, { commit: "1" });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { code: "VALIDATION_FAILED", message: expect.stringContaining("Nothing was imported") } });
    expect(await em().count(BookingEntity, { sessionId: { $in: [evening.id, morning.id] } })).toBe(0);

    // The good rows (and the first one twice): Ann checked in to the evening class, Ben a no-show in the morning.
    const lines = bad.split("\r\n");
    const good = [lines[0], lines[1], lines[2], lines[1]].join("\r\n");
    const done = await upload(good, { commit: "1" });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ committed: true, errorCount: 0, counts: { checkedIn: 1, noShow: 1, matched: 1 } });
    const bookings = await em().find(BookingEntity, { sessionId: { $in: [evening.id, morning.id] } }, { orderBy: { memberId: "asc" } });
    expect(bookings.map((b) => [b.sessionId, b.memberId, b.status]).sort()).toEqual(
      [
        [evening.id, ann.id, "checked_in"],
        [morning.id, ben.id, "no_show"],
      ].sort(),
    );
    expect(await em().count(CheckInEntity, { sessionId: evening.id, memberId: ann.id, result: "accepted" })).toBe(1);
    expect(await em().count(AttendanceEventEntity, { sessionId: evening.id, memberId: ann.id })).toBe(1);
    // No fees: the old system settled them.
    expect(await em().count(FeeEntity, { sessionId: morning.id })).toBe(0);
    // Audited once, counts only.
    const audit = await em().find(AuditLogEntity, { gymId: gym.gymId, action: "gym:importHistory" });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.summary).toMatchObject({ after: { visits: 2, checkedIn: 1, noShows: 1, fees: 0 } });
    expect(JSON.stringify(audit[0]!.summary)).not.toContain(ann.email);

    // The same file again adds nothing (and writes no audit row): each visit is matched.
    expect((await upload(good, { commit: "1" })).body).toMatchObject({ committed: true, counts: { checkedIn: 0, noShow: 0, matched: 3 } });
    expect(await em().count(BookingEntity, { sessionId: { $in: [evening.id, morning.id] } })).toBe(2);
    expect(await em().count(AuditLogEntity, { gymId: gym.gymId, action: "gym:importHistory" })).toBe(1);
  });

  it("is for owners and admins only: a coach, the desk or a member is refused before the file is read", async () => {
    const csv = `Email,Class,Date,Time\r\n${gym.members[0]!.email},Strength,2020-01-01,10:00`;
    for (const who of [gym.coachId, gym.deskId, gym.members[0]!.id]) {
      const r = await upload(csv, { commit: "1" }, who);
      expect(r).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN", message: "Only owners and admins import." } } });
    }
  });
});
