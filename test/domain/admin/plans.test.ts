import { describe, expect, it } from "vitest";
import { balanceOwed, chargeOfFee, settleCharge } from "../../../domain/admin/charges.js";
import { checkAdjustment, entitlementOf, isCreditPlan, sellCredits, type PlanDefinition } from "../../../domain/admin/plans.js";
import { DomainError } from "../../../domain/errors.js";

const DAY = 86_400_000;
const def = (o: Partial<PlanDefinition>): PlanDefinition => ({
  name: "P",
  kind: "unlimited",
  priceCents: 0,
  billingPeriod: "month",
  weeklyTarget: 2,
  classTypeIds: [],
  ...o,
});

describe("plan definitions", () => {
  it("turns each kind into the entitlement the rooms decide on", () => {
    expect(entitlementOf(def({ kind: "unlimited" }))).toEqual({ kind: "unlimited" });
    expect(entitlementOf(def({ kind: "weekly", classesPerWeek: 3 }))).toEqual({ kind: "weekly", classesPerWeek: 3 });
    expect(entitlementOf(def({ kind: "pack", credits: 10, validDays: 90 }))).toEqual({ kind: "pack", credits: 10, validDays: 90 });
    expect(entitlementOf(def({ kind: "drop_in" }))).toEqual({ kind: "pack", credits: 1, validDays: 1 });
    expect(entitlementOf(def({ kind: "trial", validDays: 14 }))).toEqual({ kind: "unlimited" });
    expect(entitlementOf(def({ kind: "trial", validDays: 14, credits: 3 }))).toEqual({ kind: "pack", credits: 3, validDays: 14 });
  });

  it("names the missing field of an incomplete plan", () => {
    expect((entitlementOf(def({ kind: "weekly" })) as DomainError).fields).toEqual({ classesPerWeek: expect.any(String) });
    expect((entitlementOf(def({ kind: "pack", credits: 5 })) as DomainError).fields).toEqual({ validDays: expect.any(String) });
    expect((entitlementOf(def({ kind: "trial" })) as DomainError).fields).toEqual({ validDays: expect.any(String) });
  });

  it("sells credits only for packs, drop-ins and trials with credits", () => {
    expect([
      isCreditPlan(def({ kind: "pack" })),
      isCreditPlan(def({ kind: "drop_in" })),
      isCreditPlan(def({ kind: "trial", credits: 2 })),
    ]).toEqual([true, true, true]);
    expect([isCreditPlan(def({ kind: "trial" })), isCreditPlan(def({ kind: "unlimited" })), isCreditPlan(def({ kind: "weekly" }))]).toEqual(
      [false, false, false],
    );
  });
});

describe("selling credits", () => {
  const pack = { kind: "pack" as const, credits: 10, validDays: 30 };
  it("keeps unused credits valid until the later expiry, never shortening them", () => {
    expect(sellCredits({ credits: 2, creditsExpireAt: 100 * DAY }, pack, 0)).toEqual({ add: 10, creditsExpireAt: 100 * DAY });
    expect(sellCredits({ credits: 2, creditsExpireAt: 10 * DAY }, pack, 0)).toEqual({ add: 10, creditsExpireAt: 30 * DAY });
  });
  it("ignores the expiry of an empty balance", () => {
    expect(sellCredits({ credits: 0, creditsExpireAt: 100 * DAY }, pack, 0)).toEqual({ add: 10, creditsExpireAt: 30 * DAY });
    expect(sellCredits({ credits: null, creditsExpireAt: null }, pack, 5)).toEqual({ add: 10, creditsExpireAt: 5 + 30 * DAY });
  });
  it("refuses an adjustment below 0 with NO_CREDITS and the current balance", () => {
    expect(checkAdjustment({ credits: 2, creditsExpireAt: null }, -3)).toMatchObject({
      code: "NO_CREDITS",
      message: expect.stringContaining("2"),
    });
    expect(checkAdjustment({ credits: 2, creditsExpireAt: null }, -2)).toBeNull();
    expect(checkAdjustment({ credits: null, creditsExpireAt: null }, 4)).toBeNull();
  });
});

describe("charges", () => {
  const fee = {
    id: "f",
    gymId: "g",
    memberId: "m",
    sessionId: "s",
    bookingId: "b",
    kind: "no_show" as const,
    amountCents: 1000,
    currency: "EUR",
    createdAt: 1,
    waived: false,
  };
  it("shows a class fee as an open charge, or waived when the rules waived it", () => {
    expect(chargeOfFee(fee)).toMatchObject({ id: "f", kind: "no_show", status: "open", amountCents: 1000 });
    expect(chargeOfFee({ ...fee, waived: true })).toMatchObject({ status: "waived" });
  });
  it("settles an open charge once: paid with a method or waived with a reason", () => {
    const open = chargeOfFee(fee);
    const paid = settleCharge(open, { paid: { method: "cash", reference: "" } }, "desk", 9);
    expect(paid).toMatchObject({ status: "paid", method: "cash", settledBy: "desk", settledAt: 9 });
    expect(settleCharge(paid as never, { waived: { reason: "x" } }, "owner", 10)).toMatchObject({ code: "CHARGE_SETTLED" });
    expect(settleCharge(open, { waived: { reason: "First time" } }, "owner", 10)).toMatchObject({ status: "waived", note: "First time" });
  });
  it("owes the sum of open charges only", () => {
    expect(
      balanceOwed([
        { status: "open", amountCents: 500 },
        { status: "paid", amountCents: 900 },
        { status: "open", amountCents: 250 },
        { status: "waived", amountCents: 1 },
      ]),
    ).toBe(750);
  });
});
