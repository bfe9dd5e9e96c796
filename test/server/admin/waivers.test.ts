/**
 * Issue 18 "Policies and waivers" and "At the desk": an owner publishes a waiver version, members sign it (evidence
 * kept, insert-only), the desk and booking refuse per the gym's setting until the version in force is signed, a new
 * version needs signing again, staff see who hasn't signed; the desk overrides a refusal with a reason and checks a
 * walk-in in. Every write audited in its own commit.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditLogEntity, BookingEntity, CheckInEntity } from "../../../server/db/entities/index.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { postgresOrPglite, suiteDatabase, startTestServer, type SuiteDatabase, type TestServer } from "../../support/services.js";
import { suiteSockets, type TestSocket } from "../../support/sockets.js";

const pg = await postgresOrPglite();
const DAY = 86_400_000;
const TEXT = "I train at my own risk and tell the coach about injuries before class.";

describe("waivers, overrides and walk-ins", () => {
  let db: SuiteDatabase;
  let t: TestServer;
  let gym: GymFixture;
  const sockets = suiteSockets(() => t.server);
  let owner: TestSocket;
  let desk: TestSocket;
  let coach: TestSocket;
  let room: string;
  const em = () => t.server.db.orm.em.fork();
  const sql = <T extends Record<string, unknown>[] = Record<string, unknown>[]>(q: string, params: unknown[] = []) =>
    em().getConnection().execute<T>(q, params);

  beforeAll(async () => {
    db = await suiteDatabase(pg);
    t = await startTestServer({ ...db.env, SPOTTER_MODE: "embedded", JWT_SECRET: "w".repeat(40) });
    gym = await aGym(t.server.db.orm, { members: 6 });
    room = `gym:${gym.gymId}`;
    [owner, desk, coach] = await Promise.all([sockets.connect(gym.ownerId), sockets.connect(gym.deskId), sockets.connect(gym.coachId)]);
  }, 60_000);

  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
    await db?.drop();
  });

  it("publishes a version (audited), shows it to members, and refuses a second publish of the same version", async () => {
    expect(await desk.command(room, "gym:publishWaiver", { title: "Waiver", version: "2027-01", text: TEXT })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    const published = await owner.command(room, "gym:publishWaiver", { title: "Liability waiver", version: "2027-01", text: TEXT });
    expect(published).toMatchObject({
      ok: true,
      result: { version: "2027-01", textHash: createHash("sha256").update(TEXT).digest("hex") },
    });
    expect(await owner.command(room, "gym:publishWaiver", { title: "Again", version: "2027-01", text: TEXT })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", fields: { version: "Already published" } },
    });
    const member = await sockets.connect(gym.members[0]!.id);
    expect(await member.command(room, "gym:waiver", {})).toMatchObject({
      ok: true,
      result: { required: "off", current: { version: "2027-01", title: "Liability waiver", text: TEXT, signedAt: null }, upcoming: null },
    });
    expect(await em().count(AuditLogEntity, { gymId: gym.gymId, action: "gym:publishWaiver" })).toBe(1);
  });

  it("refuses at the desk with 'Waiver not signed' once the gym enforces it, until the member signs; the signature is evidence nobody can change", async () => {
    const m = gym.members[1]!;
    expect(await owner.command(room, "gym:setPolicy", { waiverRequired: "check_in" })).toMatchObject({
      ok: true,
      result: { changed: ["waiverRequired"] },
    });
    expect(await desk.command(room, "gym:checkIn", { memberId: m.id, openGym: true })).toMatchObject({
      ok: true,
      result: { status: "denied", reason: "WAIVER_NOT_SIGNED", message: expect.stringMatching(/^Waiver not signed/), overridable: true },
    });
    const member = await sockets.connect(m.id);
    expect(await member.command(room, "gym:signWaiver", { version: "2027-01", typedName: "M", agree: true })).toMatchObject({
      ok: false,
      error: { fields: { typedName: expect.any(String) } },
    });
    expect(await member.command(room, "gym:signWaiver", { version: "2027-01", typedName: "Member One", agree: false })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED" },
    });
    const signed = await member.command(room, "gym:signWaiver", { version: "2027-01", typedName: "  Member One ", agree: true });
    expect(signed).toMatchObject({ ok: true, result: { version: "2027-01", alreadySigned: false } });
    expect(await member.command(room, "gym:signWaiver", { version: "2027-01", typedName: "Member One", agree: true })).toMatchObject({
      ok: true,
      result: { alreadySigned: true },
    });
    const [row] = await sql<{ typed_name: string; text_hash: string; ip: string; user_agent: string }[]>(
      `select * from waiver_signature where member_id = ?`,
      [m.id],
    );
    expect(row).toMatchObject({
      typed_name: "Member One",
      text_hash: createHash("sha256").update(TEXT).digest("hex"),
      ip: expect.any(String),
      user_agent: expect.any(String),
    });
    await expect(sql(`update waiver_signature set typed_name = 'Someone else' where member_id = ?`, [m.id])).rejects.toThrow(/insert-only/);
    await expect(sql(`delete from waiver_document where gym_id = ?`, [gym.gymId])).rejects.toThrow(/insert-only/);
    expect(await desk.command(room, "gym:checkIn", { memberId: m.id, openGym: true })).toMatchObject({
      ok: true,
      result: { status: "checked_in" },
    });
    expect(await em().count(AuditLogEntity, { gymId: gym.gymId, action: "gym:signWaiver", actorId: m.id })).toBe(1);
    // The member's data export carries the evidence.
    expect(await member.command(`user:${m.id}`, "user:exportData", {})).toMatchObject({
      ok: true,
      result: { waiverSignatures: [{ gymId: gym.gymId, version: "2027-01", typedName: "Member One" }] },
    });
  });

  it("asks for a new signature once a new version applies, and staff see who hasn't signed it", async () => {
    const m = gym.members[1]!;
    const status = await coach.command(room, "gym:waiverStatus", {});
    expect(status).toMatchObject({ ok: true, result: { current: { version: "2027-01", inForce: true } } });
    const unsigned = (status as { result: { unsigned: { memberId: string }[]; unsignedTotal: number } }).result;
    expect(unsigned.unsigned.map((u) => u.memberId)).not.toContain(m.id);
    expect(unsigned.unsigned.map((u) => u.memberId)).toContain(gym.members[2]!.id);
    expect(
      await owner.command(room, "gym:publishWaiver", {
        title: "Liability waiver",
        version: "2027-02",
        text: `${TEXT} Now with sauna rules.`,
      }),
    ).toMatchObject({ ok: true });
    expect(await desk.command(room, "gym:checkIn", { memberId: m.id, openGym: true })).toMatchObject({
      ok: true,
      result: { status: "denied", reason: "WAIVER_NOT_SIGNED" },
    });
    const after = (await coach.command(room, "gym:waiverStatus", {})) as {
      result: { current: { version: string }; unsigned: { memberId: string }[] };
    };
    expect(after.result.current.version).toBe("2027-02");
    expect(after.result.unsigned.map((u) => u.memberId)).toContain(m.id);
    // The replaced version can no longer be signed.
    const other = await sockets.connect(gym.members[2]!.id);
    expect(await other.command(room, "gym:signWaiver", { version: "2027-01", typedName: "Member Two", agree: true })).toMatchObject({
      ok: false,
      error: { fields: { version: "Replaced" } },
    });
  });

  it("refuses booking until signed when the gym requires the waiver for booking", async () => {
    const m = gym.members[3]!;
    const s = await sockets.connect(m.id);
    const cls = await gym.addSession({ startsAt: Date.now() + 2 * DAY, endsAt: Date.now() + 2 * DAY + 3_600_000 });
    expect(await s.command(`class:${cls.id}`, "class:book", { sessionId: cls.id })).toMatchObject({
      ok: true,
      result: { status: "booked" },
    });
    expect(await s.command(`class:${cls.id}`, "class:cancelBooking", { sessionId: cls.id })).toMatchObject({ ok: true });
    expect(await owner.command(room, "gym:setPolicy", { waiverRequired: "booking" })).toMatchObject({ ok: true });
    expect(await s.command(`class:${cls.id}`, "class:book", { sessionId: cls.id })).toMatchObject({
      ok: false,
      error: { code: "WAIVER_REQUIRED" },
    });
    expect(await s.command(room, "gym:signWaiver", { version: "2027-02", typedName: "Member Three", agree: true })).toMatchObject({
      ok: true,
    });
    expect(await s.command(`class:${cls.id}`, "class:book", { sessionId: cls.id })).toMatchObject({
      ok: true,
      result: { status: "booked" },
    });
    expect(await owner.command(room, "gym:setPolicy", { waiverRequired: "check_in" })).toMatchObject({ ok: true });
  });

  it("checks a member in despite a refusal with a reason: audited, on the check-in stream as an override; coaches can't", async () => {
    const m = gym.members[4]!;
    const override = { reason: "Signed the paper form" };
    expect(await coach.command(room, "gym:checkIn", { memberId: m.id, openGym: true, override })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    const answer = await desk.command(room, "gym:checkIn", { memberId: m.id, openGym: true, override });
    expect(answer).toMatchObject({
      ok: true,
      result: { status: "checked_in", overridden: "WAIVER_NOT_SIGNED", override: "Signed the paper form" },
    });
    expect(await em().findOneOrFail(CheckInEntity, { gymId: gym.gymId, memberId: m.id, result: "accepted" })).toMatchObject({
      reason: "WAIVER_NOT_SIGNED",
      override: "Signed the paper form",
      byUserId: gym.deskId,
    });
    const audit = await em().findOneOrFail(
      AuditLogEntity,
      { gymId: gym.gymId, entityType: "check_in", actorId: gym.deskId },
      { orderBy: { pos: "desc" } },
    );
    expect(audit.summary).toMatchObject({ after: { result: "accepted", override: "Signed the paper form" } });
    const watcher = await sockets.connect(gym.ownerId);
    const joined = (await watcher.join(room)) as {
      ok: true;
      result: { snapshot: { checkIns: { memberId: string; override?: string }[] } };
    };
    expect(joined.result.snapshot.checkIns.find((c) => c.memberId === m.id)).toMatchObject({ override: "Signed the paper form" });
    // A frozen membership is changed on the profile, not overridden.
    const frozen = gym.members[5]!;
    expect(await desk.command(room, "gym:freezeMember", { memberId: frozen.id, until: "2099-01-01", reason: "Travel" })).toMatchObject({
      ok: true,
    });
    expect(await desk.command(room, "gym:checkIn", { memberId: frozen.id, openGym: true, override })).toMatchObject({
      ok: true,
      result: { status: "denied", reason: "MEMBERSHIP_FROZEN" },
    });
  });

  it("checks a booked member into their class despite the window, with a reason: the class roster shows the override", async () => {
    const m = gym.members[0]!;
    const s = await sockets.connect(m.id);
    const soon = await gym.addSession({ startsAt: Date.now() + 3 * 3_600_000, endsAt: Date.now() + 4 * 3_600_000 });
    expect(await s.command(`class:${soon.id}`, "class:book", { sessionId: soon.id })).toMatchObject({
      ok: true,
      result: { status: "booked" },
    });
    expect(await desk.command(room, "gym:checkIn", { memberId: m.id })).toMatchObject({
      ok: true,
      result: { status: "denied", reason: expect.stringMatching(/WAIVER_NOT_SIGNED|OUTSIDE_CHECK_IN_WINDOW/) },
    });
    const answer = await desk.command(room, "gym:checkIn", { memberId: m.id, override: { reason: "Came early for physio" } });
    expect(answer).toMatchObject({
      ok: true,
      result: { status: "checked_in", override: "Came early for physio", className: expect.any(String) },
    });
    expect(await em().findOneOrFail(BookingEntity, { sessionId: soon.id, memberId: m.id })).toMatchObject({ status: "checked_in" });
    const coachView = await sockets.connect(gym.ownerId);
    const joined = (await coachView.join(`class:${soon.id}`)) as {
      ok: true;
      result: { snapshot: { roster: Record<string, { memberId: string; override?: string }> } };
    };
    expect(Object.values(joined.result.snapshot.roster).find((r) => r.memberId === m.id)).toMatchObject({
      override: "Came early for physio",
    });
  });

  it("adds a walk-in and checks them in at once; the waiver still applies to them", async () => {
    expect(await coach.command(room, "gym:walkIn", { name: "Jo Walker", email: "jo@example.com" })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    const walkIn = await desk.command(room, "gym:walkIn", { name: "Jo Walker", email: "jo@example.com" });
    expect(walkIn).toMatchObject({
      ok: true,
      result: { memberId: expect.any(String), checkIn: { status: "denied", reason: "WAIVER_NOT_SIGNED" } },
    });
    const memberId = (walkIn as { result: { memberId: string } }).result.memberId;
    expect(await owner.command(room, "gym:setPolicy", { waiverRequired: "off" })).toMatchObject({ ok: true });
    const second = await desk.command(room, "gym:walkIn", { name: "Sam Drop", email: "sam@example.com", phone: "+49 30 998877" });
    expect(second).toMatchObject({ ok: true, result: { checkIn: { status: "checked_in", memberName: "Sam Drop" } } });
    expect(await desk.command(room, "gym:walkIn", { name: "Jo again", email: "jo@example.com" })).toMatchObject({
      ok: false,
      error: { code: "DUPLICATE_MEMBER" },
    });
    const [tags] = await sql<{ tags: string[] }[]>(`select tags from gym_membership where gym_id = ? and user_id = ?`, [
      gym.gymId,
      memberId,
    ]);
    expect(tags!.tags).toEqual(["walk-in"]);
    expect(await em().count(AuditLogEntity, { gymId: gym.gymId, action: "gym:addMember", actorId: gym.deskId })).toBe(2);
  });
});
