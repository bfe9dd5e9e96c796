import { describe, expect, it } from "vitest";
import { bookSpot } from "../../../domain/class/bookSpot.js";
import { cancelBooking } from "../../../domain/class/cancelBooking.js";
import {
  HOUR,
  MINUTE,
  OTHER_GYM,
  STARTS_AT,
  aClassState,
  aMember,
  aPackMember,
  ctxFor,
  ok,
  refused,
  staffCtx,
  withBooked,
} from "../../support/domainBuilders.js";

describe("bookSpot", () => {
  it("books a spot for an active member while spots are left", () => {
    const d = ok(bookSpot(aClassState({ members: ["ann"] }), {}, ctxFor("ann")));
    expect(d.result).toMatchObject({ status: "booked", spotsLeft: 9 });
    expect(d.events.map((e) => e.type)).toEqual(["booking.created"]);
    expect(d.state.bookings[0]).toMatchObject({ memberId: "ann", status: "booked", creditUsed: false, promotedFromWaitlist: false });
  });

  it("consumes one pack credit when booking", () => {
    const d = ok(bookSpot(aClassState({ members: [aPackMember("ann", 3)] }), {}, ctxFor("ann")));
    expect(d.state.members["ann"]?.credits).toBe(2);
    expect(d.state.bookings[0]?.creditUsed).toBe(true);
    expect(d.events).toContainEqual({ type: "credits.changed", memberId: "ann", credits: 2 });
  });

  it("refuses with NO_CREDITS when the pack is empty", () => {
    expect(refused(bookSpot(aClassState({ members: [aPackMember("ann", 0)] }), {}, ctxFor("ann"))).code).toBe("NO_CREDITS");
  });

  it("refuses with NO_CREDITS when the pack credits have expired", () => {
    const member = aPackMember("ann", 5, { creditsExpireAt: STARTS_AT - 72 * HOUR });
    const e = refused(bookSpot(aClassState({ members: [member] }), {}, ctxFor("ann")));
    expect(e.code).toBe("NO_CREDITS");
    expect(e.message).toMatch(/expired/);
  });

  it("refuses with WEEKLY_LIMIT_REACHED when the weekly classes are used up", () => {
    const member = aMember({ entitlement: { kind: "weekly", classesPerWeek: 2 }, bookingsThisWeek: 2 });
    expect(refused(bookSpot(aClassState({ members: [member] }), {}, ctxFor("ann"))).code).toBe("WEEKLY_LIMIT_REACHED");
  });

  it("books a weekly member who has classes left this week", () => {
    const member = aMember({ entitlement: { kind: "weekly", classesPerWeek: 2 }, bookingsThisWeek: 1 });
    ok(bookSpot(aClassState({ members: [member] }), {}, ctxFor("ann")));
  });

  it.each(["frozen", "past_due", "cancelled", "pending"] as const)("refuses a %s membership with MEMBERSHIP_INACTIVE", (status) => {
    const e = refused(bookSpot(aClassState({ members: [aMember({ status })] }), {}, ctxFor("ann")));
    expect(e.code).toBe("MEMBERSHIP_INACTIVE");
    expect(e.message).toMatch(/front desk/);
  });

  it("refuses a member without a plan with MEMBERSHIP_INACTIVE", () => {
    expect(refused(bookSpot(aClassState({ members: [aMember({ entitlement: null })] }), {}, ctxFor("ann"))).code).toBe(
      "MEMBERSHIP_INACTIVE",
    );
  });

  it("refuses with BOOKING_NOT_OPEN before the window opens and says when it opens", () => {
    const e = refused(bookSpot(aClassState({ members: ["ann"] }), {}, ctxFor("ann", STARTS_AT - 8 * 24 * HOUR)));
    expect(e.code).toBe("BOOKING_NOT_OPEN");
    expect(e.message).toBe("Booking opens Mon 08:00.");
    expect(e.details).toEqual({ opensAt: STARTS_AT - 7 * 24 * HOUR });
  });

  it("refuses with BOOKING_CLOSED once booking has closed", () => {
    const state = aClassState({ members: ["ann"], session: { bookingClosesMinutes: 30 } });
    expect(refused(bookSpot(state, {}, ctxFor("ann", STARTS_AT - 30 * MINUTE))).code).toBe("BOOKING_CLOSED");
    ok(bookSpot(state, {}, ctxFor("ann", STARTS_AT - 31 * MINUTE)));
  });

  it("refuses with CLASS_CANCELLED when the class was cancelled", () => {
    const state = aClassState({ members: ["ann"], session: { status: "cancelled" } });
    expect(refused(bookSpot(state, {}, ctxFor("ann"))).code).toBe("CLASS_CANCELLED");
  });

  it("refuses a second booking with ALREADY_BOOKED", () => {
    const state = withBooked(aClassState({ members: ["ann"] }), ["ann"]);
    expect(refused(bookSpot(state, {}, ctxFor("ann"))).code).toBe("ALREADY_BOOKED");
  });

  it("refuses with CLASS_FULL when no spot is left and the waitlist was not asked for", () => {
    const state = withBooked(aClassState({ members: ["ann", "bob"], session: { capacity: 1 } }), ["ann"]);
    expect(refused(bookSpot(state, {}, ctxFor("bob"))).code).toBe("CLASS_FULL");
  });

  it("puts the member on the waitlist at the next position when full and asked to", () => {
    const state = withBooked(aClassState({ members: ["ann", "bob", "cy"], session: { capacity: 1 } }), ["ann", "bob"]);
    const d = ok(bookSpot(state, { waitlist: true }, ctxFor("cy")));
    expect(d.result).toMatchObject({ status: "waitlisted", position: 2 });
  });

  it("refuses with ALREADY_WAITLISTED when the member is already waiting", () => {
    const state = withBooked(aClassState({ members: ["ann", "bob"], session: { capacity: 1 } }), ["ann", "bob"]);
    expect(refused(bookSpot(state, { waitlist: true }, ctxFor("bob"))).code).toBe("ALREADY_WAITLISTED");
  });

  it("refuses with WAITLIST_FULL when the waitlist limit is reached", () => {
    const state = withBooked(aClassState({ members: ["ann", "bob", "cy"], session: { capacity: 1, waitlistLimit: 1 } }), ["ann", "bob"]);
    expect(refused(bookSpot(state, { waitlist: true }, ctxFor("cy"))).code).toBe("WAITLIST_FULL");
  });

  it("refuses with WAITLIST_DISABLED when the class has no waitlist", () => {
    const state = withBooked(aClassState({ members: ["ann", "bob"], session: { capacity: 1, waitlistLimit: 0 } }), ["ann"]);
    expect(refused(bookSpot(state, { waitlist: true }, ctxFor("bob"))).code).toBe("WAITLIST_DISABLED");
  });

  it("lets a member book again after cancelling, as a new booking", () => {
    let state = withBooked(aClassState({ members: ["ann"] }), ["ann"]);
    state = ok(cancelBooking(state, {}, ctxFor("ann"))).state;
    const d = ok(bookSpot(state, {}, ctxFor("ann")));
    expect(d.state.bookings.map((b) => b.status)).toEqual(["cancelled", "booked"]);
  });

  it("lets a waiting member take an open spot directly after the auto-promotion cut-off", () => {
    let state = withBooked(aClassState({ members: ["ann", "bob"], session: { capacity: 1 } }), ["ann", "bob"]);
    const late = STARTS_AT - 30 * MINUTE;
    state = ok(cancelBooking(state, { acceptFee: true }, ctxFor("ann", late))).state;
    const d = ok(bookSpot(state, {}, ctxFor("bob", late)));
    expect(d.result.status).toBe("booked");
    expect(d.state.waitlist[0]?.status).toBe("promoted");
  });

  it("lets staff book on behalf of a member", () => {
    const d = ok(bookSpot(aClassState({ members: ["ann"] }), { memberId: "ann" }, staffCtx()));
    expect(d.state.bookings[0]?.memberId).toBe("ann");
  });

  it("refuses a member booking someone else with FORBIDDEN", () => {
    expect(refused(bookSpot(aClassState({ members: ["ann", "bob"] }), { memberId: "bob" }, ctxFor("ann"))).code).toBe("FORBIDDEN");
  });

  it("answers NOT_FOUND to a member of another gym", () => {
    const state = aClassState({ members: ["ann"] });
    expect(refused(bookSpot(state, {}, ctxFor("ann", undefined, "member", OTHER_GYM))).code).toBe("NOT_FOUND");
    expect(refused(bookSpot(aClassState({ members: [aMember({ gymId: OTHER_GYM })] }), {}, ctxFor("ann"))).code).toBe("NOT_FOUND");
  });

  it("answers NOT_FOUND when the command names another session", () => {
    expect(refused(bookSpot(aClassState({ members: ["ann"] }), { sessionId: "other" }, ctxFor("ann"))).code).toBe("NOT_FOUND");
  });
});
