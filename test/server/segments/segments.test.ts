/**
 * Issue 22, segments: a filter computed in SQL at the server's clock ("no visit in 14 days" finds more members as
 * time moves on), previewed with a count, saved, tagged and untagged in bulk only while the count is the previewed one,
 * exported as CSV; every change audited, money filters for owners and admins only.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, localDate } from "../../../domain/schedule/timeZone.js";
import {
  AttendanceEventEntity,
  AuditLogEntity,
  BookingEntity,
  FeeEntity,
  GymMembershipEntity,
  MemberChargeEntity,
  MemberProgressEntity,
  MembershipPlanEntity,
  UserEntity,
  WaiverDocumentEntity,
  WaiverSignatureEntity,
} from "../../../server/db/entities/index.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { postgresOrPglite, suiteDatabase, startTestServer, type SuiteDatabase, type TestServer } from "../../support/services.js";
import { connectAs, type TestSocket } from "../../support/sockets.js";

const pg = await postgresOrPglite();
const DAY = 86_400_000;

describe("segments and bulk actions (PostgreSQL, a controlled clock)", () => {
  let db: SuiteDatabase;
  let t: TestServer;
  let gym: GymFixture;
  let clock = Date.now();
  let owner: TestSocket;
  let desk: TestSocket;
  let room: string;
  const em = () => t.server.db.orm.em.fork();
  const result = <T>(ack: unknown) => (ack as { ok: true; result: T }).result;
  const preview = async (filter: unknown) =>
    result<{ count: number; description: string; members: { memberId: string }[] }>(
      await owner.command(room, "gym:previewSegment", { filter }),
    );
  const atRisk = { statuses: ["active"], noVisitDays: 14 };

  beforeAll(async () => {
    db = await suiteDatabase(pg);
    // Tokens good for a week: the server's clock moves five days on under the open sockets.
    t = await startTestServer(
      { ...db.env, SPOTTER_MODE: "embedded", JWT_SECRET: "s".repeat(40), MAX_TOKEN_LIFETIME: "7d" },
      { now: () => clock },
    );
    gym = await aGym(t.server.db.orm, { members: 4 });
    room = `gym:${gym.gymId}`;
    const e = em();
    // Members for two months; member 0 came yesterday, member 1 ten days ago, members 2 and 3 never.
    await e.nativeUpdate(GymMembershipEntity, { gymId: gym.gymId }, { joinedAt: clock - 60 * DAY });
    await e.insert(AttendanceEventEntity, {
      id: randomUUID(),
      gymId: gym.gymId,
      memberId: gym.members[0]!.id,
      sessionId: null,
      at: clock - DAY,
    });
    await e.insert(AttendanceEventEntity, {
      id: randomUUID(),
      gymId: gym.gymId,
      memberId: gym.members[1]!.id,
      sessionId: null,
      at: clock - 10 * DAY,
    });
    [owner, desk] = await Promise.all([connectAs(t.server, gym.ownerId, 7 * 86_400), connectAs(t.server, gym.deskId, 7 * 86_400)]);
  }, 60_000);

  afterAll(async () => {
    owner?.close();
    desk?.close();
    await t?.cleanup();
    await db?.drop();
  });

  it("finds the members with no visit in 14 days, and more of them once time moves on", async () => {
    const now = await preview(atRisk);
    expect(now.count).toBe(2);
    expect(now.members.map((m) => m.memberId).sort()).toEqual([gym.members[2]!.id, gym.members[3]!.id].sort());
    expect(now.description).toBe("active · no visit in 14 days");
    clock += 5 * DAY;
    const later = await preview(atRisk);
    expect(later.count).toBe(3);
    expect(later.members.map((m) => m.memberId)).toContain(gym.members[1]!.id);
  });

  it("counts visits in a window", async () => {
    expect((await preview({ visits: { days: 30, min: 1 } })).count).toBe(2);
    expect((await preview({ visits: { days: 30, max: 0 } })).count).toBe(2);
    expect(await owner.command(room, "gym:previewSegment", { filter: { visits: { days: 30, min: 3, max: 1 } } })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED" },
    });
  });

  it("tags everyone found only while they are the previewed count, and untags them; both audited", async () => {
    const stale = await desk.command(room, "gym:segmentAction", { filter: atRisk, action: "tag", tag: "win-back", expectedCount: 2 });
    expect(stale).toMatchObject({
      ok: false,
      error: { code: "CONFLICT", message: "The segment has changed: it finds 3 members now — preview it again." },
    });
    expect(await desk.command(room, "gym:segmentAction", { filter: atRisk, action: "tag", tag: "win-back", expectedCount: 3 })).toEqual({
      ok: true,
      result: { changed: 3 },
    });
    expect((await preview({ tags: ["win-back"] })).count).toBe(3);
    // Tagging again changes nobody (already tagged).
    expect(await desk.command(room, "gym:segmentAction", { filter: atRisk, action: "tag", tag: "win-back", expectedCount: 3 })).toEqual({
      ok: true,
      result: { changed: 0 },
    });
    expect(
      await desk.command(room, "gym:segmentAction", { filter: { tags: ["win-back"] }, action: "untag", tag: "win-back", expectedCount: 3 }),
    ).toEqual({ ok: true, result: { changed: 3 } });
    const m = await em().findOneOrFail(GymMembershipEntity, { gymId: gym.gymId, userId: gym.members[2]!.id });
    expect(m.tags ?? []).not.toContain("win-back");
    expect(await em().count(AuditLogEntity, { gymId: gym.gymId, action: "gym:segmentAction" })).toBe(3);
  });

  it("saves a segment and lists it with its filter in words", async () => {
    const { segmentId } = result<{ segmentId: string }>(await desk.command(room, "gym:saveSegment", { name: "At risk", filter: atRisk }));
    const { segments } = result<{ segments: { segmentId: string; name: string; description: string }[] }>(
      await desk.command(room, "gym:segments", {}),
    );
    expect(segments).toContainEqual({ segmentId, name: "At risk", filter: atRisk, description: "active · no visit in 14 days" });
    expect(await desk.command(room, "gym:deleteSegment", { segmentId })).toEqual({ ok: true, result: { deleted: true } });
    expect(await em().count(AuditLogEntity, { gymId: gym.gymId, entityId: segmentId })).toBe(2);
  });

  it("exports the members found as CSV", async () => {
    const csv = result<{ name: string; rows: number; csv: string }>(await desk.command(room, "gym:exportSegment", { filter: atRisk }));
    expect(csv.rows).toBe(3);
    const lines = csv.csv.trim().split("\r\n");
    expect(lines[0]).toBe("name,email,phone,status,plan,last_visit");
    expect(lines).toHaveLength(4);
  });

  it("finds broken streaks and members below their plan's weekly target over the last four complete weeks", async () => {
    const e = em();
    const today = localDate(clock, "Europe/Berlin");
    const progress = (memberId: string, streak: number, lastActiveDay: string) =>
      e.insert(MemberProgressEntity, {
        id: randomUUID(),
        gymId: gym.gymId,
        memberId,
        xp: 0,
        workouts: 0,
        streak,
        bestStreak: streak,
        lastActiveDay,
        updatedAt: clock,
      });
    await progress(gym.members[2]!.id, 5, addDays(today, -10));
    await progress(gym.members[3]!.id, 5, today);
    await progress(gym.members[0]!.id, 1, addDays(today, -10));
    const broken = await preview({ streakBroken: true });
    expect(broken.members.map((m) => m.memberId)).toEqual([gym.members[2]!.id]);
    // Target 3 a week: everyone is below it, until member 3 comes 12 times the week before this one.
    expect((await preview({ adherenceBelowTarget: true })).count).toBe(4);
    for (let k = 0; k < 12; k++)
      await e.insert(AttendanceEventEntity, {
        id: randomUUID(),
        gymId: gym.gymId,
        memberId: gym.members[3]!.id,
        sessionId: null,
        at: clock - 8 * DAY + k * 60_000,
      });
    const below = await preview({ adherenceBelowTarget: true });
    expect(below.count).toBe(3);
    expect(below.members.map((m) => m.memberId)).not.toContain(gym.members[3]!.id);
  });

  it("finds the members who have not signed the waiver version in force (none before one is published; a future version not yet)", async () => {
    expect((await preview({ waiverMissing: true })).count).toBe(0);
    const e = em();
    const doc = (version: string, effectiveAt: number) =>
      e.insert(WaiverDocumentEntity, {
        id: randomUUID(),
        gymId: gym.gymId,
        document: "waiver",
        version,
        title: "Waiver",
        text: `Waiver ${version}`,
        textHash: version.padEnd(64, "0"),
        effectiveOn: "2026-01-01",
        effectiveAt,
        publishedBy: gym.ownerId,
        publishedAt: clock - DAY,
      });
    const v1 = await doc("v1", clock - 30 * DAY);
    await doc("v2", clock + 30 * DAY);
    await e.insert(WaiverSignatureEntity, {
      id: randomUUID(),
      gymId: gym.gymId,
      documentId: v1,
      memberId: gym.members[0]!.id,
      version: "v1",
      textHash: "v1".padEnd(64, "0"),
      typedName: "M0",
      signedAt: clock - DAY,
      ip: "",
      userAgent: "",
    });
    const missing = await preview({ waiverMissing: true });
    expect(missing.members.map((m) => m.memberId).sort()).toEqual(
      gym.members
        .slice(1)
        .map((m) => m.id)
        .sort(),
    );
    expect(missing.description).toBe("waiver not signed");
  });

  it("lets only owners and admins filter by money owed, and keeps coaches out", async () => {
    expect(await desk.command(room, "gym:previewSegment", { filter: { feesOwed: true } })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    expect((await preview({ feesOwed: true })).count).toBe(0);
    const coach = await connectAs(t.server, gym.coachId, 7 * 86_400);
    expect(await coach.command(room, "gym:previewSegment", { filter: atRisk })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    coach.close();
  });

  it("freezes everyone found after a matching preview, each as a single freeze would (audited), skipping none", async () => {
    const found = await preview(atRisk);
    expect(
      await desk.command(room, "gym:segmentFreeze", {
        filter: atRisk,
        until: "2099-01-31",
        reason: "Summer break",
        expectedCount: found.count + 1,
      }),
    ).toMatchObject({ ok: false, error: { code: "CONFLICT" } });
    expect(
      await desk.command(room, "gym:segmentFreeze", {
        filter: atRisk,
        until: "2099-01-31",
        reason: "Summer break",
        expectedCount: found.count,
      }),
    ).toEqual({ ok: true, result: { frozen: found.count, skipped: [] } });
    for (const m of found.members)
      expect(await em().findOneOrFail(GymMembershipEntity, { gymId: gym.gymId, userId: m.memberId })).toMatchObject({
        status: "frozen",
        frozenUntil: "2099-01-31",
      });
    expect(await em().count(AuditLogEntity, { gymId: gym.gymId, action: "gym:freezeMember" })).toBe(found.count);
    expect((await preview(atRisk)).count).toBe(0);
  });

  describe("each filter finds the member it should and not the one beside it", () => {
    const ids = (r: { members: { memberId: string }[] }) => r.members.map((m) => m.memberId).sort();
    const [m0, m1, m2, m3] = [0, 1, 2, 3].map((i) => () => gym.members[i]!.id);

    it("plan", async () => {
      const e = em();
      const { planId } = await e.findOneOrFail(GymMembershipEntity, { gymId: gym.gymId, userId: m0() });
      const other = randomUUID();
      await e.insert(MembershipPlanEntity, {
        id: other,
        gymId: gym.gymId,
        name: "Ten pack",
        entitlement: { kind: "pack", credits: 10, validDays: 90 },
        weeklyTarget: 1,
        priceCents: 12000,
      });
      await e.nativeUpdate(GymMembershipEntity, { gymId: gym.gymId, userId: m1() }, { planId: other });
      const onPack = await preview({ planIds: [other] });
      expect(ids(onPack)).toEqual([m1()]);
      expect(onPack.description).toBe("on Ten pack");
      expect(ids(await preview({ planIds: [planId!] }))).toEqual([m0(), m2(), m3()].sort());
      expect(ids(await preview({ planIds: [planId!, other] }))).toHaveLength(4);
    });

    it("tags alone", async () => {
      const e = em();
      await e.nativeUpdate(GymMembershipEntity, { gymId: gym.gymId, userId: m2() }, { tags: ["vip", "morning"] });
      await e.nativeUpdate(GymMembershipEntity, { gymId: gym.gymId, userId: m3() }, { tags: ["evening"] });
      expect(ids(await preview({ tags: ["morning"] }))).toEqual([m2()]);
      expect(ids(await preview({ tags: ["evening", "vip"] }))).toEqual([m2(), m3()].sort());
      expect((await preview({ tags: ["vi"] })).count).toBe(0);
    });

    it("birthday this week (today and the six days after, in the gym's zone; the year does not matter)", async () => {
      const e = em();
      const today = localDate(clock, "Europe/Berlin");
      const on = (userId: string, day: string) => e.nativeUpdate(UserEntity, { id: userId }, { birthday: `1990${day.slice(4)}` });
      await on(m0(), today);
      await on(m1(), addDays(today, 6));
      await on(m2(), addDays(today, 7));
      await on(m3(), addDays(today, -1));
      const found = await preview({ birthdayThisWeek: true });
      expect(ids(found)).toEqual([m0(), m1()].sort());
      expect(found.description).toBe("birthday this week");
    });

    it("trial ended without converting: used up or expired, not while the trial class is still ahead", async () => {
      const e = em();
      const trialPlan = randomUUID();
      await e.insert(MembershipPlanEntity, {
        id: trialPlan,
        gymId: gym.gymId,
        name: "Free trial",
        kind: "trial",
        entitlement: { kind: "pack", credits: 1, validDays: 14 },
        weeklyTarget: 0,
        priceCents: 0,
      });
      const trial = (userId: string, credits: number, creditsExpireAt: number) =>
        e.nativeUpdate(GymMembershipEntity, { gymId: gym.gymId, userId }, { planId: trialPlan, credits, creditsExpireAt });
      await trial(m0(), 0, clock + 10 * DAY); // came to the trial class, did not join
      await trial(m1(), 1, clock - DAY); // never came, the trial expired
      await trial(m2(), 1, clock + 10 * DAY); // still has the trial
      await trial(m3(), 0, clock + 10 * DAY); // the trial class is booked for tomorrow
      const session = await gym.addSession({ startsAt: clock + DAY, endsAt: clock + DAY + 3_600_000 });
      await e.insert(BookingEntity, {
        id: randomUUID(),
        gymId: gym.gymId,
        sessionId: session.id,
        memberId: m3(),
        status: "booked",
        createdAt: clock,
        updatedAt: clock,
        creditUsed: true,
        promotedFromWaitlist: false,
      });
      const found = await preview({ trialEndedNotConverted: true });
      expect(ids(found)).toEqual([m0(), m1()].sort());
      // Joined: on a member plan now, whatever credits are left.
      const unlimited = await e.findOneOrFail(MembershipPlanEntity, { gymId: gym.gymId, name: "Unlimited" });
      await e.nativeUpdate(GymMembershipEntity, { gymId: gym.gymId, userId: m0() }, { planId: unlimited.id });
      expect(ids(await preview({ trialEndedNotConverted: true }))).toEqual([m1()]);
    });

    it("fees owed: an open charge or an unsettled class fee; not a paid charge, a waived fee or a settled one", async () => {
      const e = em();
      const charge = (memberId: string, status: "open" | "paid", feeId: string | null = null) =>
        e.insert(MemberChargeEntity, {
          id: randomUUID(),
          gymId: gym.gymId,
          memberId,
          kind: feeId ? "no_show" : "sale",
          description: "Ten pack",
          amountCents: 12000,
          currency: "EUR",
          status,
          createdAt: clock,
          createdBy: gym.deskId,
          feeId,
          settledAt: status === "open" ? null : clock,
          settledBy: status === "open" ? null : gym.deskId,
          method: status === "open" ? null : "cash",
          note: "",
        });
      const fee = async (memberId: string, waived: boolean) => {
        const id = randomUUID();
        await e.insert(FeeEntity, {
          id,
          gymId: gym.gymId,
          memberId,
          sessionId: gym.sessionId,
          bookingId: randomUUID(),
          kind: "no_show",
          amountCents: 1000,
          currency: "EUR",
          createdAt: clock,
          waived,
        });
        return id;
      };
      await charge(m0(), "open");
      await charge(m1(), "paid");
      await fee(m1(), true);
      await fee(m2(), false);
      await charge(m3(), "paid", await fee(m3(), false));
      const found = await preview({ feesOwed: true });
      expect(ids(found)).toEqual([m0(), m2()].sort());
      expect(found.description).toBe("owes money");
    });
  });
});
