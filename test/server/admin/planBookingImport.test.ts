/**
 * Issue 18 "Import", plans and upcoming bookings, over the upload routes against PostgreSQL: dry runs with every
 * row's error in words, all or nothing (one bad row imports nothing), one audit row per import, the same file again
 * changing nothing — and bookings made by the class rooms, so a class never takes more than its spots.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../../server/auth.js";
import {
  AuditLogEntity,
  BookingEntity,
  CreditLedgerEntity,
  GymMembershipEntity,
  PlanAssignmentEntity,
} from "../../../server/db/entities/index.js";
import { localDate, zoneOffset } from "../../../domain/schedule/timeZone.js";
import { uploadImport } from "../../support/importUpload.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { postgresOrPglite, suiteDatabase, startTestServer, type SuiteDatabase, type TestServer } from "../../support/services.js";
import { eventually, suiteSockets, type TestSocket } from "../../support/sockets.js";

const pg = await postgresOrPglite();
const TZ = "Europe/Berlin";
const HOUR = 3_600_000;

/** "YYYY-MM-DD" and "HH:MM" of an instant in the gym's zone. */
function wall(at: number): { date: string; time: string } {
  const local = new Date(at + zoneOffset(at, TZ));
  return { date: localDate(at, TZ), time: local.toISOString().slice(11, 16) };
}

describe("importing plans and upcoming bookings", () => {
  let db: SuiteDatabase;
  let t: TestServer;
  let gym: GymFixture;
  const sockets = suiteSockets(() => t.server);
  let owner: TestSocket;
  let packId: string;
  const em = () => t.server.db.orm.em.fork();
  const email = (i: number) => gym.members[i]!.email;

  const upload = (kind: "plans" | "bookings", csv: string, query: Record<string, string> = {}, as = gym.ownerId) =>
    uploadImport(t.server, kind, csv, { gymId: gym.gymId, as, query });
  const membership = (i: number) => em().findOneOrFail(GymMembershipEntity, { gymId: gym.gymId, userId: gym.members[i]!.id });
  const live = (sessionId: string) => em().count(BookingEntity, { sessionId, status: { $in: ["booked", "checked_in"] } });
  /** A class of the fixture's type starting `hours` from now on a whole minute. */
  const aClass = async (hours: number, capacity: number) => {
    const startsAt = Math.floor((Date.now() + hours * HOUR) / 60_000) * 60_000;
    const s = await gym.addSession({ startsAt, endsAt: startsAt + HOUR, capacity });
    return { id: s.id, ...wall(startsAt) };
  };

  beforeAll(async () => {
    db = await suiteDatabase(pg);
    t = await startTestServer({ ...db.env, SPOTTER_MODE: "embedded", JWT_SECRET: "b".repeat(40) });
    gym = await aGym(t.server.db.orm, { members: 8 });
    owner = await sockets.connect(gym.ownerId);
    const saved = await owner.command(`gym:${gym.gymId}`, "gym:savePlan", {
      name: "10 Class Pack",
      kind: "pack",
      priceCents: 12_000,
      billingPeriod: "once",
      credits: 10,
      validDays: 90,
      weeklyTarget: 2,
      classTypeIds: [],
    });
    packId = (saved as { result: { planId: string } }).result.planId;
  }, 60_000);

  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
    await db?.drop();
  });

  it("plans: a dry run names every row's problem, a file with one bad row imports nothing, a good one sets plan, credits and history once", async () => {
    const header = "Client Email,Pricing Option,Activation Date,Expiration Date,Remaining";
    const good = [`${email(0)},10 class pack,2026-11-01,2099-02-28,7`, `${email(1)},Unlimited,11/15/2026,,`];
    const bad = [
      "nobody@example.com,Unlimited,,,",
      `${email(2)},Gold,,,`,
      `${email(3)},Unlimited,,,4`,
      `${email(4)},10 Class Pack,2020-01-01,2020-03-31,2`,
    ];
    const dry = await upload("plans", [header, ...good, ...bad].join("\r\n"));
    expect(dry).toMatchObject({
      status: 200,
      body: {
        committed: false,
        rows: 6,
        mapping: {
          email: "Client Email",
          plan: "Pricing Option",
          startsOn: "Activation Date",
          endsOn: "Expiration Date",
          credits: "Remaining",
        },
        counts: { assign: 2, matched: 0 },
        errorCount: 4,
        errors: [
          { line: 4, field: "email", message: "No member with the email nobody@example.com — import your members first." },
          { line: 5, field: "plan", message: 'No plan named "Gold" in this gym — create it on Plans first.' },
          { line: 6, field: "credits", message: '"Unlimited" holds no credits — leave the cell empty.' },
          { line: 7, field: "endsOn", message: "This plan ended on 2020-03-31 — import only plans members hold now." },
        ],
      },
    });
    const refused = await upload("plans", [header, ...good, bad[0]].join("\r\n"), { commit: "1" });
    expect(refused).toMatchObject({
      status: 400,
      body: { error: { code: "VALIDATION_FAILED", message: expect.stringContaining("Nothing was imported") } },
    });
    expect(await membership(0)).toMatchObject({ credits: null });

    const done = await upload("plans", [header, ...good].join("\r\n"), { commit: "1" });
    expect(done).toMatchObject({ status: 200, body: { committed: true, counts: { assign: 2, matched: 0 } } });
    const ana = await membership(0);
    expect(ana).toMatchObject({ planId: packId, credits: 7 });
    expect(new Date(ana.creditsExpireAt!).toISOString()).toBe("2099-02-28T23:00:00.000Z");
    // The balance the rooms use is the sum of the member's ledger entries.
    const entries = await em().find(CreditLedgerEntity, { gymId: gym.gymId, memberId: gym.members[0]!.id });
    expect(entries).toMatchObject([{ kind: "opening", amount: 7, balanceAfter: 7, reason: "Imported balance" }]);
    expect(await em().find(PlanAssignmentEntity, { gymId: gym.gymId, memberId: gym.members[1]!.id })).toMatchObject([
      { startsOn: "2026-11-15", endsOn: null, priceCents: 9_900 },
    ]);
    expect(await em().find(AuditLogEntity, { gymId: gym.gymId, action: "gym:importPlans" })).toMatchObject([
      { actorId: gym.ownerId, entityType: "import", summary: { after: { rows: 2, assign: 2, matched: 0 } } },
    ]);
    const again = await upload("plans", [header, ...good].join("\r\n"), { commit: "1" });
    expect(again).toMatchObject({ status: 200, body: { committed: true, counts: { assign: 0, matched: 2 } } });
    expect(await em().count(CreditLedgerEntity, { gymId: gym.gymId, memberId: gym.members[0]!.id })).toBe(1);
  });

  it("bookings: refuses unknown, past and over-capacity rows in words; one bad row books nobody; a good file books through the rooms, once", async () => {
    const small = await aClass(30, 2);
    const other = await aClass(54, 10);
    const past = await aClass(-3, 10);
    // One spot of the small class is taken already, by a member booking themself.
    const member7 = await sockets.connect(gym.members[7]!.id);
    expect(await member7.command(`class:${small.id}`, "class:book", { sessionId: small.id })).toMatchObject({ ok: true });
    const header = "Client Email,Class Name,Class Date,Class Time";
    const rows = [
      `${email(1)},strength,${small.date},${small.time}`,
      `${email(2)},Strength,${small.date},${small.time}`,
      `${email(3)},Strength,${other.date},${other.time}`,
      `${email(4)},Strength,${past.date},${past.time}`,
      `${email(5)},Yoga,${other.date},${other.time}`,
      `${email(6)},Strength,${other.date},05:17`,
    ];
    const dry = await upload("bookings", [header, ...rows].join("\r\n"));
    expect(dry).toMatchObject({
      status: 200,
      body: {
        committed: false,
        mapping: { email: "Client Email", classType: "Class Name", date: "Class Date", time: "Class Time" },
        counts: { book: 2, matched: 0 },
        errorCount: 4,
        errors: [
          { line: 3, field: "row", message: expect.stringMatching(/has 2 spots and 1 are booked — this row is one too many/) },
          { line: 5, field: "date", message: expect.stringMatching(/is in the past — import only upcoming bookings\.$/) },
          { line: 6, field: "classType", message: 'No class type named "Yoga" in this gym — add it on Schedule first.' },
          { line: 7, field: "date", message: expect.stringMatching(/^No Strength class on .* 05:17 — check the date and time/) },
        ],
      },
    });
    const refused = await upload("bookings", [header, ...rows].join("\r\n"), { commit: "1" });
    expect(refused).toMatchObject({ status: 400, body: { error: { code: "VALIDATION_FAILED" } } });
    expect([await live(small.id), await live(other.id)]).toEqual([1, 0]);

    const file = [header, rows[0], rows[2]].join("\r\n");
    expect(await upload("bookings", file, { commit: "1" })).toMatchObject({
      status: 200,
      body: { committed: true, counts: { book: 2, matched: 0 } },
    });
    expect([await live(small.id), await live(other.id)]).toEqual([2, 1]);
    // The room made them: it knows its last spot is gone, so nobody oversells it.
    const member6 = await sockets.connect(gym.members[6]!.id);
    expect(await member6.command(`class:${small.id}`, "class:book", { sessionId: small.id })).toMatchObject({
      ok: false,
      error: { code: "CLASS_FULL" },
    });
    expect(await em().find(AuditLogEntity, { gymId: gym.gymId, action: "gym:importBookings" })).toMatchObject([
      { actorId: gym.ownerId, summary: { after: { rows: 2, book: 2, matched: 0 } } },
    ]);
    expect(await em().count(AuditLogEntity, { gymId: gym.gymId, action: "class:book", actorId: gym.ownerId })).toBe(2);
    expect(await upload("bookings", file, { commit: "1" })).toMatchObject({ status: 200, body: { counts: { book: 0, matched: 2 } } });
    expect([await live(small.id), await live(other.id)]).toEqual([2, 1]);
    // A member waiting for a class is refused in the dry run (the room would refuse the row and undo the import).
    expect(await member6.command(`class:${small.id}`, "class:book", { sessionId: small.id, waitlist: true })).toMatchObject({ ok: true });
    expect(
      await upload(
        "bookings",
        [header, `${email(6)},Strength,${other.date},${other.time}`, `${email(6)},Strength,${small.date},${small.time}`].join("\r\n"),
      ),
    ).toMatchObject({
      status: 200,
      body: {
        counts: { book: 1 },
        errors: [
          {
            line: 3,
            field: "email",
            message: expect.stringMatching(/is on the waitlist of the Strength class on .* — take them off the waitlist first/),
          },
        ],
      },
    });
  });

  it("bookings: a row the class room refuses at import undoes the import's other bookings (all or nothing)", async () => {
    const first = await aClass(80, 10);
    const second = await aClass(81, 10);
    // The check can't know credits: a member on a pack with none left passes it, and the room refuses them.
    expect(await upload("plans", `Email,Plan,Credits\r\n${email(5)},10 Class Pack,0`, { commit: "1" })).toMatchObject({ status: 200 });
    const file = [
      "Email,Class,Start Date,Start Time",
      `${email(3)},Strength,${first.date},${first.time}`,
      `${email(5)},Strength,${second.date},${second.time}`,
    ];
    expect(await upload("bookings", file.join("\n"))).toMatchObject({ body: { errorCount: 0, counts: { book: 2 } } });
    const audited = await em().count(AuditLogEntity, { gymId: gym.gymId, action: "gym:importBookings" });
    const refused = await upload("bookings", file.join("\n"), { commit: "1" });
    expect(refused).toMatchObject({
      status: 400,
      body: {
        error: { code: "VALIDATION_FAILED", message: expect.stringMatching(/^Line 3: .* has no class credits left.*nothing was imported/) },
      },
    });
    // Staff wording (regression: the room's member wording "No class credits left — buy a new pack…" reached the owner).
    const message = (refused.body as { error: { message: string } }).error.message;
    expect(message).toContain(`Line 3: ${gym.members[5]!.name} has no class credits left`);
    expect(message).toContain(`the Strength class on ${second.date} ${second.time}`);
    await eventually(async () => expect([await live(first.id), await live(second.id)]).toEqual([0, 0]));
    expect(await em().count(AuditLogEntity, { gymId: gym.gymId, action: "gym:importBookings" })).toBe(audited);
  });

  it("is for owners and admins of the gym, on the upload routes", async () => {
    for (const kind of ["plans", "bookings"] as const) {
      expect((await upload(kind, "Email,Plan\r\nx@example.com,Unlimited", {}, gym.deskId)).status).toBe(403);
      expect((await upload(kind, "Email,Plan\r\nx@example.com,Unlimited", {}, gym.members[0]!.id)).status).toBe(403);
      expect(await upload(kind, "Email,Plan\r\nx@example.com,Unlimited", { mapping: "{not json" })).toMatchObject({ status: 400 });
    }
  });

  it("lets one owner write at most 10 imports in a row into a gym, then one a minute (dry runs are not counted)", async () => {
    const other = await aGym(t.server.db.orm, { members: 1 });
    const send = async (commit: string) => {
      const q = new URLSearchParams({ gym: other.gymId, commit });
      const res = await fetch(`${t.server.url}/api/imports/bookings?${q}`, {
        method: "POST",
        headers: { authorization: `Bearer ${await signToken(t.server.jwtSecret!, other.ownerId)}`, "x-spotter": "1" },
        body: "Email,Class,Date\r\nx@example.com,Yoga,2099-01-12 18:00",
      });
      return res.status;
    };
    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push(await send("1"));
    expect(statuses).toEqual([...Array<number>(10).fill(400), 429]);
    expect(await send("0")).toBe(200);
  });
});
