/**
 * Issue 18 "Done when": the demo gym is set up through the wizard's own use cases — its details, opening hours and
 * both locations are audited writes by its owner, with the ids the rest of the demo points at; its class types and
 * two weeks of classes (past ones included) come through the history import, also as its owner; its settings, plans,
 * waiver and sales pipeline through the staff app's use cases (the waiver signed by each member themself).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AttendanceEventEntity,
  AuditLogEntity,
  BookingEntity,
  CheckInEntity,
  ClassSessionEntity,
  FeeEntity,
  GymEntity,
  GymMembershipEntity,
  LeadEntity,
  LeadTouchEntity,
  LocationEntity,
  WaitlistEntryEntity,
  WaiverSignatureEntity,
} from "../../../server/db/entities/index.js";
import { DEMO_GYM_ID, demoId } from "../../../server/demo/seedDemo.js";
import { startTestServer, type TestServer } from "../../support/services.js";
import { connectAs } from "../../support/sockets.js";

describe("the demo gym's set-up", () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ SEED_DEMO: "true" });
  }, 120_000);

  afterAll(async () => {
    await t?.cleanup();
  });

  it("has its class types and classes (past ones completed) imported by gym:importClasses as its owner", async () => {
    const em = t.server.db.orm.em.fork();
    const audit = await em.find(AuditLogEntity, { gymId: DEMO_GYM_ID, action: "gym:importClasses" }, { orderBy: { pos: "asc" } });
    expect(audit.map((a) => [a.entityType, a.actorId])).toEqual([
      ...Array.from({ length: 10 }, () => ["class_type", demoId("user:owner")]),
      ["session", demoId("user:owner")],
    ]);
    expect(audit.filter((a) => a.entityType === "class_type").map((a) => a.entityId)).toContain(demoId("type:Open Gym"));
    const sessions = await em.find(ClassSessionEntity, { gymId: DEMO_GYM_ID });
    const now = Date.now();
    expect(audit[10]!.summary).toMatchObject({
      after: { classes: sessions.length, completed: sessions.filter((s) => s.status === "completed").length },
    });
    // History (before the seed ran) is completed; nothing ahead is.
    expect(sessions.filter((s) => s.endsAt < now - 60_000).every((s) => s.status === "completed")).toBe(true);
    expect(sessions.filter((s) => s.startsAt > now).every((s) => s.status === "scheduled")).toBe(true);
    expect(sessions.some((s) => s.status === "completed")).toBe(true);
  });

  it("has the history of its started classes imported by gym:importHistory as its owner, upcoming bookings kept", async () => {
    const em = t.server.db.orm.em.fork();
    const audit = await em.find(AuditLogEntity, { gymId: DEMO_GYM_ID, action: "gym:importHistory" });
    expect(audit.map((a) => [a.entityType, a.actorId])).toEqual([["import", demoId("user:owner")]]);
    const started = (await em.find(ClassSessionEntity, { gymId: DEMO_GYM_ID, startsAt: { $lte: Date.now() } })).map((s) => s.id);
    const visits = await em.count(BookingEntity, { sessionId: { $in: started } });
    const checkIns = await em.count(CheckInEntity, { gymId: DEMO_GYM_ID });
    const fees = await em.count(FeeEntity, { gymId: DEMO_GYM_ID, kind: "no_show" });
    expect(checkIns).toBeGreaterThan(0);
    expect(fees).toBeGreaterThan(0);
    expect(audit[0]!.summary).toMatchObject({ after: { visits, checkedIn: checkIns, fees } });
    expect(await em.count(AttendanceEventEntity, { gymId: DEMO_GYM_ID })).toBe(checkIns);
    expect(await em.count(BookingEntity, { gymId: DEMO_GYM_ID, status: "booked", sessionId: { $nin: started } })).toBeGreaterThan(0);
    expect(await em.count(WaitlistEntryEntity, { gymId: DEMO_GYM_ID })).toBeGreaterThan(0);
  });

  it("has its settings and plans set by gym:setPolicy and gym:savePlan, plans held imported, and its waiver published as its owner and signed by each signer", async () => {
    const em = t.server.db.orm.em.fork();
    const owner = demoId("user:owner");
    const by = async (action: string) =>
      (await em.find(AuditLogEntity, { gymId: DEMO_GYM_ID, action }, { orderBy: { pos: "asc" } })).map((a) => [a.entityId, a.actorId]);
    expect(await by("gym:setPolicy")).toEqual([[DEMO_GYM_ID, owner]]);
    expect(await by("gym:savePlan")).toEqual(["plan:unlimited", "plan:3x", "plan:pack10"].map((k) => [demoId(k), owner]));
    expect(await by("gym:publishWaiver")).toEqual([[demoId("waiver:2026-1"), owner]]);
    const signatures = await em.find(WaiverSignatureEntity, { gymId: DEMO_GYM_ID });
    const signed = await em.find(AuditLogEntity, { gymId: DEMO_GYM_ID, action: "gym:signWaiver" });
    expect(signatures.length).toBeGreaterThan(100);
    expect(signed.map((a) => [a.entityId, a.actorId]).sort()).toEqual(signatures.map((s) => [s.id, s.memberId]).sort());
    // The plans members hold came through the plans import as the owner: a pack with the credits left, good for ~2 months.
    const held = await em.find(AuditLogEntity, { gymId: DEMO_GYM_ID, action: "gym:importPlans" });
    expect(held.map((a) => [a.actorId, a.summary])).toEqual([
      [owner, expect.objectContaining({ after: expect.objectContaining({ assign: 200 }) })],
    ]);
    const packs = await em.find(GymMembershipEntity, { gymId: DEMO_GYM_ID, planId: demoId("plan:pack10") });
    expect(packs.length).toBeGreaterThan(0);
    for (const m of packs) {
      expect(m.credits).toBeGreaterThanOrEqual(3);
      expect(m.creditsExpireAt).toBeGreaterThan(Date.now() + 58 * 86_400_000);
    }
    const gym = await em.findOneOrFail(GymEntity, { id: DEMO_GYM_ID });
    expect(gym.policy).toMatchObject({
      waiverRequired: "off",
      lateCancelMinutes: 120,
      waitlistLimit: 10,
      waiverVersions: [{ version: "2026-1" }],
    });
  });

  it("has its staff joined by invitation, its members imported and its upcoming bookings made by the class rooms, as its owner", async () => {
    const em = t.server.db.orm.em.fork();
    const owner = demoId("user:owner");
    const staff = ["owner", "desk", "coach1", "coach2", "coach3", "coach4"].map((k) => demoId(`user:${k}`));
    const by = async (action: string) => (await em.find(AuditLogEntity, { gymId: DEMO_GYM_ID, action })).map((a) => a.actorId);
    // The owner through gym:create's setup link; the others invited by the owner.
    expect((await by("invitation:accept")).sort()).toEqual([...staff].sort());
    expect(await by("gym:invite")).toEqual(Array.from({ length: 5 }, () => owner));
    expect(await by("gym:finishSetup")).toEqual([owner]);
    const members = await em.find(AuditLogEntity, { gymId: DEMO_GYM_ID, action: "gym:importMembers" });
    expect(members.map((a) => [a.actorId, a.summary])).toEqual([
      [owner, expect.objectContaining({ after: expect.objectContaining({ add: 200 }) })],
    ]);
    const roles = (await em.find(GymMembershipEntity, { gymId: DEMO_GYM_ID })).map((m) => m.role);
    expect(["owner", "front_desk", "coach", "member"].map((r) => roles.filter((x) => x === r).length)).toEqual([1, 1, 4, 201]);
    // Every upcoming booking was booked by a room on the owner's import; every waitlist place asked for by the member.
    const imported = await em.find(AuditLogEntity, { gymId: DEMO_GYM_ID, action: "gym:importBookings" });
    expect(imported.map((a) => a.actorId)).toEqual([owner]);
    // Classes ahead when the seed ran (the copy a test server starts from may be minutes old).
    const seededAt = imported[0]!.at;
    const ahead = (await em.find(ClassSessionEntity, { gymId: DEMO_GYM_ID, startsAt: { $gt: seededAt } })).map((s) => s.id);
    const booked = await em.count(BookingEntity, { gymId: DEMO_GYM_ID, status: "booked", sessionId: { $in: ahead } });
    expect(imported[0]!.summary).toMatchObject({ after: { book: booked } });
    const waiting = await em.find(WaitlistEntryEntity, { gymId: DEMO_GYM_ID, status: "waiting" });
    expect(waiting.length).toBeGreaterThan(0);
    for (const w of waiting) expect(await em.count(BookingEntity, { sessionId: w.sessionId, status: "booked" })).toBeGreaterThanOrEqual(12);
  });

  it("has its leads worked by the front desk through the pipeline's use cases; the one who joined is a member", async () => {
    const em = t.server.db.orm.em.fork();
    const desk = demoId("user:desk");
    const audit = await em.find(AuditLogEntity, { gymId: DEMO_GYM_ID, action: { $like: "gym:%Lead" } });
    const count = (action: string) => audit.filter((a) => a.action === action && a.actorId === desk).length;
    expect([count("gym:saveLead"), count("gym:touchLead"), count("gym:moveLead"), count("gym:convertLead")]).toEqual([8, 6, 3, 1]);
    expect(audit.every((a) => a.actorId === desk)).toBe(true);
    const joined = await em.findOneOrFail(LeadEntity, { gymId: DEMO_GYM_ID, stage: "member" });
    expect(joined.memberId).toBe(demoId("user:lead6"));
    expect(await em.count(LeadTouchEntity, { leadId: joined.id })).toBe(3);
  });

  it("has its saved segment made by gym:saveSegment as its owner", async () => {
    const em = t.server.db.orm.em.fork();
    const audit = await em.find(AuditLogEntity, { gymId: DEMO_GYM_ID, action: "gym:saveSegment" });
    expect(audit.map((a) => [a.entityId, a.actorId])).toEqual([[demoId("segment:at-risk"), demoId("user:owner")]]);
  });

  it("is made by gym:saveSetup and gym:saveLocation as its owner, and is set up (no wizard)", async () => {
    const em = t.server.db.orm.em.fork();
    const audit = await em.find(
      AuditLogEntity,
      { gymId: DEMO_GYM_ID, action: { $in: ["gym:saveSetup", "gym:saveLocation"] } },
      { orderBy: { pos: "asc" } },
    );
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([
      ["gym:saveSetup", demoId("user:owner")],
      ["gym:saveLocation", demoId("user:owner")],
      ["gym:saveLocation", demoId("user:owner")],
    ]);
    expect((await em.find(LocationEntity, { gymId: DEMO_GYM_ID }, { orderBy: { name: "asc" } })).map((l) => l.id)).toEqual([
      demoId("loc:Downtown"),
      demoId("loc:Riverside"),
    ]);
    const owner = await connectAs(t.server, demoId("user:owner"));
    try {
      expect(await owner.command(`gym:${DEMO_GYM_ID}`, "gym:me", {})).toMatchObject({
        ok: true,
        result: { gymName: "Spotter Demo Box", needsSetup: false },
      });
      expect(await owner.command(`gym:${DEMO_GYM_ID}`, "gym:setup", {})).toMatchObject({
        ok: true,
        result: {
          timeZone: "Europe/Berlin",
          currency: "EUR",
          locale: "en-GB",
          openingHours: { "1": [{ opens: "06:00", closes: "21:30" }] },
          locations: [{ name: "Downtown" }, { name: "Riverside" }],
        },
      });
    } finally {
      owner.close();
    }
  });
});
