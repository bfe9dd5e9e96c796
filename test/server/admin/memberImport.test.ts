/**
 * Member import over the upload route (issue 18 "Import"), against PostgreSQL: a dry run with per-row errors that
 * changes nothing, an all-or-nothing import in batches with one audit row, and the same file again adding nobody.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../../server/auth.js";
import { AuditLogEntity, GymMembershipEntity, PlanAssignmentEntity, UserEntity } from "../../../server/db/entities/index.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { postgresOrPglite, suiteDatabase, startTestServer, type SuiteDatabase, type TestServer } from "../../support/services.js";
import { connectAs } from "../../support/sockets.js";

const pg = await postgresOrPglite();

const MINDBODY = [
  "First Name,Last Name,Email,Mobile Phone,Membership,Status,Creation Date,Tags",
  "Ana,Import,ana.import@example.com,+49 170 1111111,Unlimited,Active,3/1/2024,trial;early bird",
  "Ben,Import,ben.import@example.com,,,On Hold,2023-11-05,",
  '"Chen, Wei",Import,wei.import@example.com,,,Active,,vip',
].join("\r\n");

describe("member import", () => {
  let db: SuiteDatabase;
  let t: TestServer;
  let gym: GymFixture;

  const upload = async (
    csv: string,
    as: string,
    query: Record<string, string> = {},
    headers: Record<string, string> = { "x-spotter": "1" },
  ) => {
    const q = new URLSearchParams({ gym: gym.gymId, ...query });
    const res = await fetch(`${t.server.url}/api/imports/members?${q}`, {
      method: "POST",
      headers: { authorization: `Bearer ${await signToken(t.server.jwtSecret!, as)}`, "content-type": "text/csv", ...headers },
      body: csv,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const membersNamed = async (email: string) => {
    const em = t.server.db.orm.em.fork();
    const user = await em.findOne(UserEntity, { email });
    return user ? em.find(GymMembershipEntity, { gymId: gym.gymId, userId: user.id }) : [];
  };

  beforeAll(async () => {
    db = await suiteDatabase(pg);
    t = await startTestServer({ ...db.env, SPOTTER_MODE: "embedded", JWT_SECRET: "i".repeat(40) });
    gym = await aGym(t.server.db.orm, { members: 2 });
  }, 60_000);

  afterAll(async () => {
    await t?.cleanup();
    await db?.drop();
  });

  it("a dry run shows the suggested mapping, the first rows and every row's error in words, and changes nothing", async () => {
    const csv = `${MINDBODY}\r\nDee,,not-an-email,,Gold,,,\r\nEve,,${gym.members[0]!.email},,,,,`;
    const { status, body } = await upload(csv, gym.ownerId);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      committed: false,
      rows: 5,
      mapping: {
        firstName: "First Name",
        lastName: "Last Name",
        email: "Email",
        phone: "Mobile Phone",
        plan: "Membership",
        status: "Status",
        joinedOn: "Creation Date",
        tags: "Tags",
      },
      counts: { add: 3, join: 0, matched: 1 },
      errorCount: 2,
      errors: [
        { line: 5, field: "email", message: '"not-an-email" is not an email address.' },
        { line: 5, field: "plan", message: 'No plan named "Gold" in this gym — create it on Plans first, or leave the cell empty.' },
      ],
    });
    expect((body.sample as string[][])[2]).toEqual(["Chen, Wei", "Import", "wei.import@example.com", "", "", "Active", "", "vip"]);
    expect(await membersNamed("ana.import@example.com")).toEqual([]);
    // All or nothing: a file with errors is refused whole.
    const refused = await upload(csv, gym.ownerId, { commit: "1" });
    expect(refused).toMatchObject({
      status: 400,
      body: {
        error: { code: "VALIDATION_FAILED", message: "1 row has errors — fix or remove it and import again. Nothing was imported." },
      },
    });
    expect(await membersNamed("ana.import@example.com")).toEqual([]);
  });

  it("imports in one audited transaction, and the same file again adds nobody (matched by email)", async () => {
    const first = await upload(MINDBODY, gym.ownerId, { commit: "1" });
    expect(first).toMatchObject({ status: 200, body: { committed: true, counts: { add: 3, join: 0, matched: 0 }, errorCount: 0 } });
    const [ana] = await membersNamed("ana.import@example.com");
    expect(ana).toMatchObject({ role: "member", status: "active", tags: ["trial", "early bird"] });
    expect(ana!.planId).not.toBeNull();
    expect(new Date(ana!.joinedAt).toISOString().slice(0, 10)).toBe("2024-03-01");
    expect(await membersNamed("ben.import@example.com")).toMatchObject([{ status: "frozen", planId: null }]);
    const em = t.server.db.orm.em.fork();
    expect(await em.findOne(UserEntity, { email: "wei.import@example.com" })).toMatchObject({ name: "Chen, Wei Import" });
    expect(await em.count(PlanAssignmentEntity, { gymId: gym.gymId, memberId: ana!.userId })).toBe(1);
    expect(await em.find(AuditLogEntity, { gymId: gym.gymId, action: "gym:importMembers" })).toMatchObject([
      { actorId: gym.ownerId, entityType: "import", summary: { before: null, after: { rows: 3, add: 3, join: 0, matched: 0 } } },
    ]);

    const again = await upload(MINDBODY, gym.ownerId, { commit: "1" });
    expect(again).toMatchObject({ status: 200, body: { committed: true, counts: { add: 0, join: 0, matched: 3 } } });
    expect(await membersNamed("ana.import@example.com")).toHaveLength(1);
    expect(await em.fork().count(UserEntity, { email: { $like: "%.import@example.com" } })).toBe(3);
  });

  it("makes someone of another gym a member here with their one account, and the desk finds them at once", async () => {
    const other = await aGym(t.server.db.orm, { members: 1 });
    const person = other.members[0]!;
    const { body } = await upload(`Name,Email\r\n${person.name},${person.email}`, gym.ownerId, { commit: "1" });
    expect(body).toMatchObject({ counts: { add: 0, join: 1, matched: 0 } });
    expect(await membersNamed(person.email)).toHaveLength(1);
    const desk = await connectAs(t.server, gym.deskId);
    expect(await desk.command(`gym:${gym.gymId}`, "gym:checkIn", { memberId: person.id, openGym: true })).toMatchObject({
      ok: true,
      result: { status: "checked_in" },
    });
    desk.close();
  });

  it("mails each new member an invitation when asked, and nobody already a member", async () => {
    const csv = `Name,Email\r\nIva Invited,iva.invited@example.com\r\n${gym.members[0]!.name},${gym.members[0]!.email}`;
    const { body } = await upload(csv, gym.ownerId, { commit: "1", invite: "1" });
    expect(body).toMatchObject({ committed: true, counts: { add: 1, matched: 1 }, invitationsSent: 1, notInvited: 0 });
    const invitations = await t.server.db.orm.em
      .getConnection()
      .execute(`select email, role from invitation where gym_id = ?`, [gym.gymId]);
    expect(invitations).toEqual([{ email: "iva.invited@example.com", role: "member" }]);
  });

  it("takes a file far above the 64 KiB message limit through the upload route", async () => {
    const rows = Array.from(
      { length: 2_000 },
      (_, i) => `Bulk Member ${i},bulk${i}@example.com,+49 30 ${String(100000 + i)},Unlimited,active,2024-01-0${(i % 9) + 1},bulk`,
    );
    const csv = ["Name,Email,Phone,Plan,Status,Join Date,Tags", ...rows].join("\n");
    expect(csv.length).toBeGreaterThan(64 * 1024);
    const { status, body } = await upload(csv, gym.ownerId, { commit: "1" });
    expect(status).toBe(200);
    expect(body).toMatchObject({ committed: true, counts: { add: 2_000 } });
    // The upload route has its own cap: past 8 MiB it answers 413 before any handler runs.
    const huge = await fetch(`${t.server.url}/api/imports/members?gym=${gym.gymId}`, {
      method: "POST",
      headers: { "x-spotter": "1" },
      body: "x".repeat(9 * 1024 * 1024),
    });
    expect(huge.status).toBe(413);
  });

  it("is for owners and admins of the gym, from the app (X-Spotter), with a readable mapping", async () => {
    expect((await upload(MINDBODY, gym.coachId)).status).toBe(403);
    expect((await upload(MINDBODY, gym.deskId)).status).toBe(403);
    expect((await upload(MINDBODY, gym.members[1]!.id)).status).toBe(403);
    expect((await upload(MINDBODY, (await aGym(t.server.db.orm, { members: 0 })).ownerId)).status).toBe(404);
    expect((await upload(MINDBODY, gym.ownerId, {}, {})).status).toBe(403);
    expect(await upload(MINDBODY, gym.ownerId, { mapping: "{not json" })).toMatchObject({
      status: 400,
      body: { error: { code: "VALIDATION_FAILED" } },
    });
    expect(await upload(MINDBODY, gym.ownerId, { mapping: JSON.stringify({ name: "First Name", email: "Nope" }) })).toMatchObject({
      status: 200,
      body: { errors: [{ line: 1, field: "row", message: 'The file has no column "Nope" (for email).' }] },
    });
  });
});
