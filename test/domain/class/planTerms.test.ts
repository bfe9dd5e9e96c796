/**
 * Issue 18: a plan entitles only the classes on its days and of its class types (docs/domain.md "Plans, packs and the
 * ledger"). The class's own date (gym time) decides, not the day the member books.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bookSpot } from "../../../domain/class/bookSpot.js";
import { checkInToClass } from "../../../domain/class/checkIn.js";
import { promoteFromWaitlist } from "../../../domain/class/staff.js";
import { staffDenialMessage } from "../../../domain/checkin/denials.js";
import type { PlanTerms } from "../../../domain/class/state.js";
import { addDays } from "../../../domain/schedule/timeZone.js";
import { aClassState, aMember, ctxFor, EARLY, ok, refused, STARTS_AT, staffCtx, withBooked } from "../../support/domainBuilders.js";

// The default class starts 2025-03-10 08:00 in Berlin (the class's gym date: 2025-03-10), type "type-1".
const CLASS_DAY = "2025-03-10";
const plan = (p: Partial<PlanTerms>): PlanTerms => ({ startsOn: null, endsOn: null, classTypeIds: [], ...p });
const book = (terms: PlanTerms | undefined, className?: string) => {
  const state = aClassState({ members: [aMember({ memberId: "ann", ...(terms ? { plan: terms } : {}) })] });
  return bookSpot(className ? { ...state, classTypeName: className } : state, {}, ctxFor("ann", EARLY));
};

describe("plan days and class types in booking guards", () => {
  it.each([
    { why: "no plan terms (any day, every type)", terms: undefined, code: null },
    { why: "a plan starting on the class's day", terms: plan({ startsOn: CLASS_DAY }), code: null },
    { why: "a plan ending on the class's day (inclusive)", terms: plan({ endsOn: CLASS_DAY }), code: null },
    { why: "a plan starting the day after the class", terms: plan({ startsOn: "2025-03-11" }), code: "PLAN_NOT_STARTED" },
    { why: "a plan that ended the day before", terms: plan({ startsOn: "2025-01-01", endsOn: "2025-03-09" }), code: "PLAN_ENDED" },
    { why: "a plan covering the class's type", terms: plan({ classTypeIds: ["type-2", "type-1"] }), code: null },
    { why: "a plan covering other types only", terms: plan({ classTypeIds: ["type-2"] }), code: "CLASS_NOT_COVERED" },
  ] as const)("$why → $code", ({ terms, code }) => {
    const outcome = book(terms);
    if (code === null) expect(ok(outcome).result).toMatchObject({ status: "booked" });
    else expect(refused(outcome).code).toBe(code);
  });

  it("tells the member in words when their plan starts, when it ended, and which class it doesn't cover", () => {
    expect(refused(book(plan({ startsOn: "2025-03-12" }))).message).toBe("Your plan starts on 12 Mar — book classes from that day.");
    expect(refused(book(plan({ endsOn: "2025-03-03" }))).message).toBe("Your plan ended on 3 Mar — ask the front desk.");
    expect(refused(book(plan({ classTypeIds: ["spin"] }), "Open Gym")).message).toBe(
      "Your plan doesn't cover Open Gym — ask the front desk.",
    );
    expect(refused(book(plan({ classTypeIds: ["spin"] }))).message).toBe("Your plan doesn't cover this class — ask the front desk.");
  });

  it("judges by the class's date in the gym's time zone, not the UTC date", () => {
    // 23:30 UTC on 9 Mar is already 10 Mar in Berlin: a plan starting 10 Mar covers it.
    const late = aClassState({
      session: { startsAt: Date.UTC(2025, 2, 9, 23, 30), endsAt: Date.UTC(2025, 2, 10, 0, 30) },
      members: [aMember({ memberId: "ann", plan: plan({ startsOn: CLASS_DAY }) })],
    });
    expect(ok(bookSpot(late, {}, ctxFor("ann", Date.UTC(2025, 2, 8)))).result).toMatchObject({ status: "booked" });
  });

  it("books a class inside the plan's days whatever day the member books on (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -30, max: 30 }), fc.integer({ min: 0, max: 30 }), (startShift, length) => {
        const startsOn = addDays(CLASS_DAY, startShift);
        const endsOn = addDays(startsOn, length);
        const outcome = book(plan({ startsOn, endsOn }));
        const covered = startsOn <= CLASS_DAY && CLASS_DAY <= endsOn;
        if (covered) expect(ok(outcome).result).toMatchObject({ status: "booked" });
        else expect(refused(outcome).code).toBe(startShift > 0 ? "PLAN_NOT_STARTED" : "PLAN_ENDED");
      }),
    );
  });

  it("never lets staff book or promote a member into a class their plan doesn't cover", () => {
    const bob = aMember({ memberId: "bob", plan: plan({ classTypeIds: ["type-2"] }) });
    const state = aClassState({ session: { capacity: 1 }, members: ["ann", bob] });
    expect(refused(bookSpot(state, { memberId: "bob" }, staffCtx(EARLY))).code).toBe("CLASS_NOT_COVERED");
    // Waitlisted before the plan changed, then promoted by staff: refused in the same words.
    const full = withBooked(aClassState({ session: { capacity: 1 }, members: ["ann", "bob"] }), ["ann", "bob"]);
    const changed = { ...full, members: { ...full.members, bob } };
    const raised = { ...changed, session: { ...changed.session, capacity: 2 } };
    expect(refused(promoteFromWaitlist(raised, { memberId: "bob" }, staffCtx(STARTS_AT - 60 * 60_000))).code).toBe("CLASS_NOT_COVERED");
  });

  it("refuses checking in a booking whose class type the plan no longer covers, in the booking's words; other plan changes don't undo a booking", () => {
    const booked = withBooked(aClassState({ members: ["ann"] }), ["ann"]);
    const withPlan = (terms: PlanTerms) => ({
      ...booked,
      classTypeName: "Open Gym",
      members: { ...booked.members, ann: aMember({ memberId: "ann", plan: terms }) },
    });
    const at = STARTS_AT - 5 * 60_000;
    expect(ok(checkInToClass(withPlan(plan({ classTypeIds: ["spin"] })), { memberId: "ann" }, staffCtx(at))).result).toMatchObject({
      status: "denied",
      reason: "CLASS_NOT_COVERED",
      message: "Your plan doesn't cover Open Gym — ask the front desk.",
    });
    expect(ok(checkInToClass(withPlan(plan({ endsOn: "2025-03-01" })), { memberId: "ann" }, staffCtx(at))).result).toMatchObject({
      status: "checked_in",
    });
    expect(staffDenialMessage("CLASS_NOT_COVERED", null, "Open Gym")).toBe(
      "Their plan doesn't cover Open Gym — sell them a drop-in or change their plan.",
    );
  });
});
