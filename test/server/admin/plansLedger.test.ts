/**
 * Issue 18 item 1: plans the gym defines, packs sold at the desk, credits adjusted with a reason — every change an
 * append-only ledger entry beside the cached balance, audited in the same commit, retried once; money owed with
 * open/paid/waived charges. Over real sockets against a real server on PostgreSQL.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditLogEntity, CreditLedgerEntity, FeeEntity, GymMembershipEntity } from "../../../server/db/entities/index.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { postgresOrPglite, suiteDatabase, startTestServer, type SuiteDatabase, type TestServer } from "../../support/services.js";
import { suiteSockets, type TestSocket } from "../../support/sockets.js";

const pg = await postgresOrPglite();

const aPack = {
  name: "10-class pack",
  kind: "pack",
  priceCents: 12_000,
  billingPeriod: "once",
  credits: 10,
  validDays: 90,
  weeklyTarget: 2,
  classTypeIds: [],
};

describe("plans, packs and the credit ledger", () => {
  let db: SuiteDatabase;
  let t: TestServer;
  let gym: GymFixture;
  const sockets = suiteSockets(() => t.server);
  let owner: TestSocket;
  let desk: TestSocket;
  let coach: TestSocket;
  let room: string;
  let next = 0;
  const em = () => t.server.db.orm.em.fork();
  const aMember = () => gym.members[next++]!.id;
  const ledgerSum = async (memberId: string) =>
    (await em().find(CreditLedgerEntity, { gymId: gym.gymId, memberId })).reduce((s, e) => s + e.amount, 0);
  const credits = async (memberId: string) =>
    (await em().findOneOrFail(GymMembershipEntity, { gymId: gym.gymId, userId: memberId })).credits;
  const newPack = async (overrides: object = {}) => {
    const a = await owner.command(room, "gym:savePlan", { ...aPack, ...overrides });
    expect(a).toMatchObject({ ok: true });
    return (a as { result: { planId: string } }).result.planId;
  };

  beforeAll(async () => {
    db = await suiteDatabase(pg);
    t = await startTestServer({ ...db.env, SPOTTER_MODE: "embedded", JWT_SECRET: "p".repeat(40) });
    gym = await aGym(t.server.db.orm, { members: 12 });
    room = `gym:${gym.gymId}`;
    [owner, desk, coach] = await Promise.all([sockets.connect(gym.ownerId), sockets.connect(gym.deskId), sockets.connect(gym.coachId)]);
  }, 60_000);

  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
    await db?.drop();
  });

  it("defines a pack and lists it; a pack without credits is refused naming the field", async () => {
    const planId = await newPack();
    expect(await desk.command(room, "gym:plans", {})).toMatchObject({
      ok: true,
      result: {
        plans: expect.arrayContaining([
          expect.objectContaining({ planId, kind: "pack", entitlement: { kind: "pack", credits: 10, validDays: 90 } }),
        ]),
      },
    });
    expect(await owner.command(room, "gym:savePlan", { ...aPack, credits: undefined })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", fields: { credits: expect.any(String) } },
    });
    expect(await desk.command(room, "gym:savePlan", aPack)).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await owner.command(room, "gym:savePlan", { ...aPack, classTypeIds: [randomUUID()] })).toMatchObject({
      ok: false,
      error: { fields: { classTypeIds: expect.any(String) } },
    });
  });

  it("sells a pack at the desk: credits, expiry, a sale ledger entry, a paid charge and an audit row, all at once", async () => {
    const planId = await newPack();
    const member = aMember();
    const commandId = randomUUID();
    const sold = await desk.command(
      room,
      "gym:sellPack",
      { memberId: member, planId, paid: { method: "card_terminal", reference: "slip 42" } },
      commandId,
    );
    expect(sold).toMatchObject({ ok: true, result: { credits: 10, chargeStatus: "paid", creditsExpireAt: expect.any(Number) } });
    // A retry with the same command id answers the first result and sells nothing more.
    expect(await desk.command(room, "gym:sellPack", { memberId: member, planId, paid: { method: "card_terminal" } }, commandId)).toEqual(
      sold,
    );
    expect(await credits(member)).toBe(10);
    expect(await ledgerSum(member)).toBe(10);
    expect(await em().find(AuditLogEntity, { gymId: gym.gymId, action: "gym:sellPack", entityId: member })).toHaveLength(1);
    const account = await desk.command(room, "gym:memberAccount", { memberId: member });
    expect(account).toMatchObject({
      ok: true,
      result: {
        credits: 10,
        owedCents: 0,
        ledger: [{ kind: "sale", amount: 10, balanceAfter: 10 }],
        charges: [{ kind: "sale", status: "paid", method: "card_terminal", note: "slip 42" }],
      },
    });
    // Coaches don't handle money.
    expect(await coach.command(room, "gym:sellPack", { memberId: member, planId })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    expect(await coach.command(room, "gym:memberAccount", { memberId: member })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  });

  it("books with a sold credit, refunds it on a timely cancel, and the ledger sums to the balance throughout", async () => {
    const planId = await newPack({ credits: 2 });
    const member = aMember();
    await desk.command(room, "gym:sellPack", { memberId: member, planId });
    const s = await sockets.connect(member);
    const cls = `class:${gym.sessionId}`;
    expect(await s.command(cls, "class:book", { sessionId: gym.sessionId })).toMatchObject({ ok: true, result: { status: "booked" } });
    expect([await credits(member), await ledgerSum(member)]).toEqual([1, 1]);
    expect(await s.command(cls, "class:cancelBooking", { sessionId: gym.sessionId })).toMatchObject({
      ok: true,
      result: { status: "cancelled" },
    });
    expect([await credits(member), await ledgerSum(member)]).toEqual([2, 2]);
    const kinds = (await em().find(CreditLedgerEntity, { gymId: gym.gymId, memberId: member }, { orderBy: { at: "asc" } })).map((e) => [
      e.kind,
      e.amount,
      e.ref,
    ]);
    expect(kinds).toEqual([
      ["sale", 2, expect.any(String)],
      ["booking", -1, gym.sessionId],
      ["refund", 1, gym.sessionId],
    ]);
  });

  it("adjusts credits with a reason, never below 0, and the live room decides on the new balance at once", async () => {
    const planId = await newPack({ credits: 1 });
    const member = aMember();
    await desk.command(room, "gym:sellPack", { memberId: member, planId });
    const s = await sockets.connect(member);
    const cls = `class:${gym.sessionId}`;
    // The class room holds the member's standing in memory (1 credit) before the adjustment.
    expect(await s.join(cls)).toMatchObject({ ok: true });
    expect(await owner.command(room, "gym:adjustCredits", { memberId: member, amount: -2, reason: "Typo" })).toMatchObject({
      ok: false,
      error: { code: "NO_CREDITS" },
    });
    expect(await owner.command(room, "gym:adjustCredits", { memberId: member, amount: -1, reason: "Refunded in cash" })).toEqual({
      ok: true,
      result: { credits: 0 },
    });
    expect(await s.command(cls, "class:book", { sessionId: gym.sessionId })).toMatchObject({ ok: false, error: { code: "NO_CREDITS" } });
    expect(await owner.command(room, "gym:adjustCredits", { memberId: member, amount: 3, reason: "Goodwill" })).toEqual({
      ok: true,
      result: { credits: 3 },
    });
    expect(await s.command(cls, "class:book", { sessionId: gym.sessionId })).toMatchObject({ ok: true, result: { status: "booked" } });
    expect([await credits(member), await ledgerSum(member)]).toEqual([2, 2]);
    const adjustment = await em().findOneOrFail(CreditLedgerEntity, { gymId: gym.gymId, memberId: member, kind: "adjustment", amount: 3 });
    expect(adjustment).toMatchObject({ actorId: gym.ownerId, reason: "Goodwill" });
    expect(await desk.command(room, "gym:adjustCredits", { memberId: member, amount: 1, reason: "x" })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
  });

  it("assigns a plan with a price override: dues open in the account, then paid once; a second payment is CHARGE_SETTLED", async () => {
    const planId = await newPack({
      name: "Unlimited monthly",
      kind: "unlimited",
      billingPeriod: "month",
      credits: undefined,
      validDays: undefined,
      priceCents: 8_900,
    });
    const member = aMember();
    const assigned = await owner.command(room, "gym:assignPlan", {
      memberId: member,
      planId,
      startsOn: "2026-12-01",
      endsOn: "2027-05-31",
      priceCents: 7_500,
    });
    expect(assigned).toMatchObject({ ok: true, result: { chargeId: expect.any(String) } });
    const chargeId = (assigned as { result: { chargeId: string } }).result.chargeId;
    expect(await desk.command(room, "gym:memberAccount", { memberId: member })).toMatchObject({
      ok: true,
      result: { owedCents: 7_500, plan: { planId, kind: "unlimited" } },
    });
    expect(await desk.command(room, "gym:recordPayment", { chargeId, method: "cash" })).toMatchObject({
      ok: true,
      result: { status: "paid", method: "cash", settledBy: gym.deskId },
    });
    expect(await desk.command(room, "gym:recordPayment", { chargeId, method: "cash" })).toMatchObject({
      ok: false,
      error: { code: "CHARGE_SETTLED" },
    });
    expect(
      await owner.command(room, "gym:assignPlan", { memberId: member, planId, startsOn: "2026-12-01", endsOn: "2026-11-01" }),
    ).toMatchObject({ ok: false, error: { fields: { endsOn: expect.any(String) } } });
  });

  it("shows a class fee as an open charge and lets an owner waive it with a reason (the desk may not)", async () => {
    const member = aMember();
    const feeId = randomUUID();
    const e = em();
    e.create(FeeEntity, {
      id: feeId,
      gymId: gym.gymId,
      memberId: member,
      sessionId: gym.sessionId,
      bookingId: randomUUID(),
      kind: "no_show",
      amountCents: 1_000,
      currency: "EUR",
      createdAt: Date.now(),
      waived: false,
    });
    await e.flush();
    expect(await desk.command(room, "gym:memberAccount", { memberId: member })).toMatchObject({
      ok: true,
      result: { owedCents: 1_000, charges: [{ id: feeId, kind: "no_show", status: "open" }] },
    });
    expect(await desk.command(room, "gym:waiveCharge", { chargeId: feeId, reason: "First time" })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    expect(await owner.command(room, "gym:waiveCharge", { chargeId: feeId, reason: "First time" })).toMatchObject({
      ok: true,
      result: { status: "waived", note: "First time" },
    });
    expect(await desk.command(room, "gym:memberAccount", { memberId: member })).toMatchObject({
      ok: true,
      result: { owedCents: 0, charges: [{ id: feeId, status: "waived" }] },
    });
    expect(await em().count(AuditLogEntity, { gymId: gym.gymId, action: "gym:waiveCharge", entityId: feeId })).toBe(1);
  });

  it("answers another gym's member and charge as NOT_FOUND", async () => {
    const other = await aGym(t.server.db.orm, { members: 1 });
    const planId = await newPack();
    expect(await desk.command(room, "gym:sellPack", { memberId: other.members[0]!.id, planId })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
    expect(await desk.command(room, "gym:memberAccount", { memberId: other.members[0]!.id })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
    expect(await desk.command(room, "gym:recordPayment", { chargeId: randomUUID(), method: "cash" })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
  });
});
