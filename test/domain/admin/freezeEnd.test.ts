/** Issue 18: a freeze ends by itself once the gym's date passes its last frozen day (docs/domain.md "Freezes"). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { freezeOver } from "../../../domain/admin/members.js";
import { MembershipStatuses } from "../../../domain/model.js";
import { addDays } from "../../../domain/schedule/timeZone.js";

describe("freezeOver", () => {
  it.each([
    { status: "frozen", until: "2027-01-12", today: "2027-01-12", over: false, why: "the last day is still frozen" },
    { status: "frozen", until: "2027-01-12", today: "2027-01-13", over: true, why: "the day after the last day" },
    { status: "frozen", until: "2026-12-31", today: "2027-01-01", over: true, why: "across a year end" },
    { status: "frozen", until: "2027-01-12", today: "2027-01-11", over: false, why: "before the last day" },
    { status: "frozen", until: null, today: "2099-01-01", over: false, why: "a freeze without a last day never ends by itself" },
    { status: "active", until: "2027-01-12", today: "2027-01-20", over: false, why: "already active (unfrozen by staff)" },
    { status: "cancelled", until: "2027-01-12", today: "2027-01-20", over: false, why: "a cancelled membership stays cancelled" },
  ] as const)("$why: $status until $until on $today → $over", ({ status, until, today, over }) => {
    expect(freezeOver({ status, frozenUntil: until }, today)).toBe(over);
  });

  it("ends a freeze exactly from the day after its last day, and only a frozen membership", () => {
    const day = fc.integer({ min: 0, max: 3000 }).map((n) => addDays("2026-01-01", n));
    fc.assert(
      fc.property(fc.constantFrom(...MembershipStatuses), day, fc.integer({ min: -40, max: 40 }), (status, until, shift) => {
        const today = addDays(until, shift);
        expect(freezeOver({ status, frozenUntil: until }, today)).toBe(status === "frozen" && shift >= 1);
      }),
    );
  });
});
