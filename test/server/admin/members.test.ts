/**
 * Issue 18 item 2: adding members (duplicate detection by email or phone), editing, tagging, freezing with dates and
 * a reason — bookings inside the freeze cancelled without a fee, those after it kept — and unfreezing. Audited.
 */
import { describe, expect, it } from "vitest";
import { AuditLogEntity, BookingEntity, GymMembershipEntity, UserEntity } from "../../../server/db/entities/index.js";
import type { DeskChange } from "../../../domain/checkin/deskChanges.js";
import { aGym } from "../../support/gymFixture.js";
import { gymSuite } from "../../support/gymSuite.js";
import { postgresOrPglite } from "../../support/services.js";

const pg = await postgresOrPglite();
const DAY = 86_400_000;
const date = (at: number) => new Date(at).toISOString().slice(0, 10);

describe("members at the front office", () => {
  const suite = gymSuite({ pg, env: { SPOTTER_MODE: "embedded", JWT_SECRET: "m".repeat(40) }, members: 4, staff: true });
  const { sockets, em } = suite;

  it("adds a member with their details, and refuses a second one with the same email or phone, naming the first", async () => {
    const added = await suite.desk.command(suite.room, "gym:addMember", {
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
    expect(await em().findOneOrFail(GymMembershipEntity, { gymId: suite.gym.gymId, userId: memberId })).toMatchObject({
      status: "active",
      role: "member",
      tags: ["trial"],
    });
    expect(await suite.desk.command(suite.room, "gym:addMember", { name: "A. Silva", email: " ana.silva@example.com " })).toMatchObject({
      ok: false,
      error: {
        code: "DUPLICATE_MEMBER",
        message: "Ana Silva already has this email — open their profile instead.",
        fields: { duplicateOf: memberId },
      },
    });
    expect(
      await suite.desk.command(suite.room, "gym:addMember", { name: "Ana's brother", email: "bro@example.com", phone: "+49170 5551234" }),
    ).toMatchObject({ ok: false, error: { code: "DUPLICATE_MEMBER", fields: { phone: expect.any(String) } } });
    // Same phone, another person (a family sharing a number): staff confirm.
    expect(
      await suite.desk.command(suite.room, "gym:addMember", {
        name: "Ana's brother",
        email: "bro@example.com",
        phone: "+49170 5551234",
        allowDuplicate: true,
      }),
    ).toMatchObject({ ok: true });
    expect(await em().count(AuditLogEntity, { gymId: suite.gym.gymId, action: "gym:addMember" })).toBe(2);
  });

  it("edits and tags a member, but the desk cannot edit staff", async () => {
    const memberId = suite.gym.members[0]!.id;
    expect(
      await suite.desk.command(suite.room, "gym:updateMember", { memberId, phone: "+49 30 1", notes: "Left knee: no jumping" }),
    ).toEqual({
      ok: true,
      result: { memberId },
    });
    expect(await suite.desk.command(suite.room, "gym:tagMember", { memberId, add: ["competition"] })).toEqual({
      ok: true,
      result: { memberId, tags: ["competition"], changed: true },
    });
    expect(await em().findOneOrFail(GymMembershipEntity, { gymId: suite.gym.gymId, userId: memberId })).toMatchObject({
      notes: "Left knee: no jumping",
      tags: ["competition"],
    });
    expect(await suite.desk.command(suite.room, "gym:updateMember", { memberId: suite.gym.coachId, name: "Renamed" })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    expect(
      await suite.owner.command(suite.room, "gym:freezeMember", { memberId: suite.gym.ownerId, until: "2099-01-01", reason: "x" }),
    ).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
  });

  it("tells connected desks of a renamed member at once, and the profile shows the details and tags (regression: gym:updateMember told no desk)", async () => {
    const memberId = suite.gym.members[1]!.id;
    const watcher = await sockets.connect(suite.gym.deskId);
    const renamed = async () => {
      const joined = (await watcher.join(suite.room)) as { ok: true; result: { snapshot: { desk: Record<string, DeskChange> } } };
      return Object.values(joined.result.snapshot.desk).find((c) => c.kind === "member" && c.memberId === memberId);
    };
    expect(await renamed()).toBeUndefined();
    expect(
      await suite.owner.command(suite.room, "gym:updateMember", { memberId, name: "Renata Renamed", birthday: "1990-02-03" }),
    ).toMatchObject({
      ok: true,
    });
    expect(await suite.owner.command(suite.room, "gym:tagMember", { memberId, add: ["vip", "am"] })).toMatchObject({ ok: true });
    await expect.poll(renamed, { timeout: 10_000 }).toMatchObject({ kind: "member", name: "Renata Renamed", status: "active" });
    expect(await suite.desk.command(suite.room, "gym:memberProfile", { memberId })).toMatchObject({
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
    const member = suite.gym.members[1]!;
    const soon = await suite.gym.addSession({ startsAt: Date.now() + 2 * DAY, endsAt: Date.now() + 2 * DAY + 3_600_000 });
    const later = await suite.gym.addSession({ startsAt: Date.now() + 6 * DAY, endsAt: Date.now() + 6 * DAY + 3_600_000 });
    const s = await sockets.connect(member.id);
    for (const c of [soon, later])
      expect(await s.command(`class:${c.id}`, "class:book", { sessionId: c.id })).toMatchObject({ ok: true, result: { status: "booked" } });
    const until = date(Date.now() + 4 * DAY);
    expect(
      await suite.owner.command(suite.room, "gym:freezeMember", { memberId: member.id, until: date(Date.now() - 2 * DAY), reason: "x" }),
    ).toMatchObject({ ok: false, error: { fields: { until: expect.any(String) } } });
    expect(await suite.desk.command(suite.room, "gym:freezeMember", { memberId: member.id, until, reason: "Travelling" })).toEqual({
      ok: true,
      result: { memberId: member.id, status: "frozen", frozenUntil: until, cancelledBookings: 1 },
    });
    const status = async (sessionId: string) =>
      (await em().findOneOrFail(BookingEntity, { sessionId, memberId: member.id }, { orderBy: { createdAt: "desc" } })).status;
    expect([await status(soon.id), await status(later.id)]).toEqual(["cancelled", "booked"]);
    const third = await suite.gym.addSession({ startsAt: Date.now() + 3 * DAY, endsAt: Date.now() + 3 * DAY + 3_600_000 });
    expect(await s.command(`class:${third.id}`, "class:book", { sessionId: third.id })).toMatchObject({
      ok: false,
      error: { code: "MEMBERSHIP_INACTIVE" },
    });
    expect(await suite.desk.command(suite.room, "gym:unfreezeMember", { memberId: member.id })).toEqual({
      ok: true,
      result: { memberId: member.id, status: "active" },
    });
    expect(await s.command(`class:${third.id}`, "class:book", { sessionId: third.id })).toMatchObject({
      ok: true,
      result: { status: "booked" },
    });
    expect(await suite.desk.command(suite.room, "gym:unfreezeMember", { memberId: member.id })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED" },
    });
    expect(
      await em().count(AuditLogEntity, {
        gymId: suite.gym.gymId,
        entityId: member.id,
        action: { $in: ["gym:freezeMember", "gym:unfreezeMember"] },
      }),
    ).toBe(2);
  });

  it("answers another gym's member as NOT_FOUND", async () => {
    const other = await aGym(suite.t.server.db.orm, { members: 1 });
    expect(
      await suite.desk.command(suite.room, "gym:freezeMember", { memberId: other.members[0]!.id, until: "2099-01-01", reason: "x" }),
    ).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(await suite.desk.command(suite.room, "gym:updateMember", { memberId: other.members[0]!.id, notes: "x" })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
  });
});
