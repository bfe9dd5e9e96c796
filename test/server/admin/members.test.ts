/**
 * Issue 18 item 2: adding members (duplicate detection by email or phone), editing, tagging, freezing with dates and
 * a reason — bookings inside the freeze cancelled without a fee, those after it kept — and unfreezing. Audited.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditLogEntity, BookingEntity, GymMembershipEntity, UserEntity } from "../../../server/db/entities/index.js";
import type { DeskChange } from "../../../domain/checkin/deskChanges.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { postgresOrPglite, suiteDatabase, startTestServer, type SuiteDatabase, type TestServer } from "../../support/services.js";
import { suiteSockets, type TestSocket } from "../../support/sockets.js";

const pg = await postgresOrPglite();
const DAY = 86_400_000;
const date = (at: number) => new Date(at).toISOString().slice(0, 10);

describe("members at the front office", () => {
  let db: SuiteDatabase;
  let t: TestServer;
  let gym: GymFixture;
  const sockets = suiteSockets(() => t.server);
  let owner: TestSocket;
  let desk: TestSocket;
  let room: string;
  const em = () => t.server.db.orm.em.fork();

  beforeAll(async () => {
    db = await suiteDatabase(pg);
    t = await startTestServer({ ...db.env, SPOTTER_MODE: "embedded", JWT_SECRET: "m".repeat(40) });
    gym = await aGym(t.server.db.orm, { members: 4 });
    room = `gym:${gym.gymId}`;
    [owner, desk] = await Promise.all([sockets.connect(gym.ownerId), sockets.connect(gym.deskId)]);
  }, 60_000);

  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
    await db?.drop();
  });

  it("adds a member with their details, and refuses a second one with the same email or phone, naming the first", async () => {
    const added = await desk.command(room, "gym:addMember", {
      name: "Ana Silva",
      email: "Ana.Silva@Example.com",
      phone: "+49 170 555 1234",
      birthday: "1990-04-01",
      emergencyContact: "Rui, +351 91 000",
      tags: ["trial"],
    });
    expect(added).toMatchObject({ ok: true, result: { memberId: expect.any(String) } });
    const memberId = (added as { result: { memberId: string } }).result.memberId;
    expect(await em().findOneOrFail(UserEntity, { id: memberId })).toMatchObject({
      email: "ana.silva@example.com",
      birthday: "1990-04-01",
      emergencyContact: "Rui, +351 91 000",
    });
    expect(await em().findOneOrFail(GymMembershipEntity, { gymId: gym.gymId, userId: memberId })).toMatchObject({
      status: "active",
      role: "member",
      tags: ["trial"],
    });
    expect(await desk.command(room, "gym:addMember", { name: "A. Silva", email: " ana.silva@example.com " })).toMatchObject({
      ok: false,
      error: {
        code: "DUPLICATE_MEMBER",
        message: "Ana Silva already has this email — open their profile instead.",
        fields: { duplicateOf: memberId },
      },
    });
    expect(
      await desk.command(room, "gym:addMember", { name: "Ana's brother", email: "bro@example.com", phone: "+49170 5551234" }),
    ).toMatchObject({ ok: false, error: { code: "DUPLICATE_MEMBER", fields: { phone: expect.any(String) } } });
    // Same phone, another person (a family sharing a number): staff confirm.
    expect(
      await desk.command(room, "gym:addMember", {
        name: "Ana's brother",
        email: "bro@example.com",
        phone: "+49170 5551234",
        allowDuplicate: true,
      }),
    ).toMatchObject({ ok: true });
    expect(await em().count(AuditLogEntity, { gymId: gym.gymId, action: "gym:addMember" })).toBe(2);
  });

  it("edits and tags a member, but the desk cannot edit staff", async () => {
    const memberId = gym.members[0]!.id;
    expect(await desk.command(room, "gym:updateMember", { memberId, phone: "+49 30 1", notes: "Left knee: no jumping" })).toEqual({
      ok: true,
      result: { memberId },
    });
    expect(await desk.command(room, "gym:tagMember", { memberId, add: ["competition"] })).toEqual({
      ok: true,
      result: { memberId, tags: ["competition"], changed: true },
    });
    expect(await em().findOneOrFail(GymMembershipEntity, { gymId: gym.gymId, userId: memberId })).toMatchObject({
      notes: "Left knee: no jumping",
      tags: ["competition"],
    });
    expect(await desk.command(room, "gym:updateMember", { memberId: gym.coachId, name: "Renamed" })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    expect(await owner.command(room, "gym:freezeMember", { memberId: gym.ownerId, until: "2099-01-01", reason: "x" })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
  });

  it("tells connected desks of a renamed member at once, and the profile shows the details and tags (regression: gym:updateMember told no desk)", async () => {
    const memberId = gym.members[1]!.id;
    const watcher = await sockets.connect(gym.deskId);
    const renamed = async () => {
      const joined = (await watcher.join(room)) as { ok: true; result: { snapshot: { desk: Record<string, DeskChange> } } };
      return Object.values(joined.result.snapshot.desk).find((c) => c.kind === "member" && c.memberId === memberId);
    };
    expect(await renamed()).toBeUndefined();
    expect(await owner.command(room, "gym:updateMember", { memberId, name: "Renata Renamed", birthday: "1990-02-03" })).toMatchObject({
      ok: true,
    });
    expect(await owner.command(room, "gym:tagMember", { memberId, add: ["vip", "am"] })).toMatchObject({ ok: true });
    await expect.poll(renamed, { timeout: 10_000 }).toMatchObject({ kind: "member", name: "Renata Renamed", status: "active" });
    expect(await desk.command(room, "gym:memberProfile", { memberId })).toMatchObject({
      ok: true,
      result: {
        name: "Renata Renamed",
        birthday: "1990-02-03",
        tags: ["vip", "am"],
        frozenUntil: null,
        signIn: { signedIn: false, invitedAt: null },
      },
    });
  });

  it("freezes until a date: bookings inside the freeze are cancelled without a fee, later ones are kept; booking is refused until unfrozen", async () => {
    const member = gym.members[1]!;
    const soon = await gym.addSession({ startsAt: Date.now() + 2 * DAY, endsAt: Date.now() + 2 * DAY + 3_600_000 });
    const later = await gym.addSession({ startsAt: Date.now() + 6 * DAY, endsAt: Date.now() + 6 * DAY + 3_600_000 });
    const s = await sockets.connect(member.id);
    for (const c of [soon, later])
      expect(await s.command(`class:${c.id}`, "class:book", { sessionId: c.id })).toMatchObject({ ok: true, result: { status: "booked" } });
    const until = date(Date.now() + 4 * DAY);
    expect(
      await owner.command(room, "gym:freezeMember", { memberId: member.id, until: date(Date.now() - 2 * DAY), reason: "x" }),
    ).toMatchObject({ ok: false, error: { fields: { until: expect.any(String) } } });
    expect(await desk.command(room, "gym:freezeMember", { memberId: member.id, until, reason: "Travelling" })).toEqual({
      ok: true,
      result: { memberId: member.id, status: "frozen", frozenUntil: until, cancelledBookings: 1 },
    });
    const status = async (sessionId: string) =>
      (await em().findOneOrFail(BookingEntity, { sessionId, memberId: member.id }, { orderBy: { createdAt: "desc" } })).status;
    expect([await status(soon.id), await status(later.id)]).toEqual(["cancelled", "booked"]);
    const third = await gym.addSession({ startsAt: Date.now() + 3 * DAY, endsAt: Date.now() + 3 * DAY + 3_600_000 });
    expect(await s.command(`class:${third.id}`, "class:book", { sessionId: third.id })).toMatchObject({
      ok: false,
      error: { code: "MEMBERSHIP_INACTIVE" },
    });
    expect(await desk.command(room, "gym:unfreezeMember", { memberId: member.id })).toEqual({
      ok: true,
      result: { memberId: member.id, status: "active" },
    });
    expect(await s.command(`class:${third.id}`, "class:book", { sessionId: third.id })).toMatchObject({
      ok: true,
      result: { status: "booked" },
    });
    expect(await desk.command(room, "gym:unfreezeMember", { memberId: member.id })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED" },
    });
    expect(
      await em().count(AuditLogEntity, {
        gymId: gym.gymId,
        entityId: member.id,
        action: { $in: ["gym:freezeMember", "gym:unfreezeMember"] },
      }),
    ).toBe(2);
  });

  it("answers another gym's member as NOT_FOUND", async () => {
    const other = await aGym(t.server.db.orm, { members: 1 });
    expect(
      await desk.command(room, "gym:freezeMember", { memberId: other.members[0]!.id, until: "2099-01-01", reason: "x" }),
    ).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(await desk.command(room, "gym:updateMember", { memberId: other.members[0]!.id, notes: "x" })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
  });
});
