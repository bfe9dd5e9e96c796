import { describe, expect, it } from "vitest";
import { cancelBooking } from "../../../domain/class/cancelBooking.js";
import { checkInToClass } from "../../../domain/class/checkIn.js";
import {
  HOUR,
  MINUTE,
  STARTS_AT,
  aClassState,
  aPackMember,
  ctxFor,
  ok,
  refused,
  staffCtx,
  statusOf,
  withBooked,
} from "../../support/domainBuilders.js";

const LATE = STARTS_AT - 2 * HOUR;

describe("cancelBooking", () => {
  it("cancels for free and refunds the credit before the late-cancel cut-off", () => {
    const state = withBooked(aClassState({ members: [aPackMember("ann", 3)] }), ["ann"]);
    const d = ok(cancelBooking(state, {}, ctxFor("ann")));
    expect(d.result).toMatchObject({ status: "cancelled", feeCents: 0, creditRefunded: true });
    expect(d.state.members["ann"]?.credits).toBe(3);
    expect(d.state.bookings[0]).toMatchObject({ status: "cancelled", creditUsed: false });
    expect(d.state.fees).toEqual([]);
  });

  it("charges a late-cancel fee and keeps the credit after the cut-off", () => {
    const state = withBooked(aClassState({ members: [aPackMember("ann", 3)] }), ["ann"]);
    const d = ok(cancelBooking(state, { acceptFee: true }, ctxFor("ann", LATE)));
    expect(d.result).toMatchObject({
      status: "late_cancelled",
      feeCents: 500,
      creditRefunded: false,
      notice: "Late cancel: a €5.00 fee applies.",
    });
    expect(d.state.members["ann"]?.credits).toBe(2);
    expect(d.state.fees[0]).toMatchObject({ kind: "late_cancel", amountCents: 500, currency: "EUR", waived: false, memberId: "ann" });
  });

  it("refuses a member's own late cancel with LATE_CANCEL_FEE until they accept the fee, changing nothing", () => {
    const state = withBooked(aClassState({ members: [aPackMember("ann", 3)] }), ["ann"]);
    const refusal = refused(cancelBooking(state, {}, ctxFor("ann", LATE)));
    expect(refusal.code).toBe("LATE_CANCEL_FEE");
    expect(refusal.message).toBe("Late cancel: a €5.00 fee applies — confirm to cancel anyway.");
    expect(refusal.details).toEqual({ feeCents: 500 });
  });

  it("charges no fee record when the policy's late-cancel fee is zero", () => {
    const state = withBooked(aClassState({ members: ["ann"], fees: { lateCancelFeeCents: 0 } }), ["ann"]);
    const d = ok(cancelBooking(state, { acceptFee: true }, ctxFor("ann", LATE)));
    expect(d.result.status).toBe("late_cancelled");
    expect(d.state.fees).toEqual([]);
  });

  it("never charges a late-cancel fee to a member auto-promoted after the cut-off", () => {
    let state = withBooked(aClassState({ members: ["ann", aPackMember("bob", 2)], session: { capacity: 1 } }), ["ann", "bob"]);
    state = ok(cancelBooking(state, { acceptFee: true }, ctxFor("ann", LATE))).state;
    expect(statusOf(state, "bob")).toBe("booked");
    // A waived fee needs no confirmation.
    const d = ok(cancelBooking(state, {}, ctxFor("bob", LATE + MINUTE)));
    expect(d.result).toMatchObject({ status: "late_cancelled", feeCents: 0, feeWaived: true, creditRefunded: true });
    expect(d.state.fees.find((f) => f.memberId === "bob")).toMatchObject({ waived: true });
    expect(d.state.members["bob"]?.credits).toBe(2);
  });

  it("charges the late-cancel fee to a member promoted before the cut-off", () => {
    let state = withBooked(aClassState({ members: ["ann", "bob"], session: { capacity: 1 } }), ["ann", "bob"]);
    state = ok(cancelBooking(state, {}, ctxFor("ann"))).state;
    const d = ok(cancelBooking(state, { acceptFee: true }, ctxFor("bob", LATE)));
    expect(d.result).toMatchObject({ feeCents: 500, feeWaived: false });
  });

  it("promotes the first waitlisted member when a booking is cancelled", () => {
    const state = withBooked(aClassState({ members: ["ann", "bob", "cy"], session: { capacity: 1 } }), ["ann", "bob", "cy"]);
    const d = ok(cancelBooking(state, {}, ctxFor("ann")));
    expect(statusOf(d.state, "bob")).toBe("booked");
    expect(d.state.bookings.find((b) => b.memberId === "bob")?.promotedFromWaitlist).toBe(true);
    expect(d.events).toContainEqual(expect.objectContaining({ type: "member.promoted", memberId: "bob" }));
    expect(d.state.waitlist.find((e) => e.memberId === "cy")).toMatchObject({ status: "waiting", position: 1 });
  });

  it("refuses with NOT_BOOKED when there is no live booking", () => {
    expect(refused(cancelBooking(aClassState({ members: ["ann"] }), {}, ctxFor("ann"))).code).toBe("NOT_BOOKED");
  });

  it("refuses a member cancelling after the class has started with BOOKING_CLOSED", () => {
    const state = withBooked(aClassState({ members: ["ann"] }), ["ann"]);
    expect(refused(cancelBooking(state, {}, ctxFor("ann", STARTS_AT))).code).toBe("BOOKING_CLOSED");
  });

  it("refuses to cancel a checked-in booking with ALREADY_CHECKED_IN", () => {
    let state = withBooked(aClassState({ members: ["ann"] }), ["ann"]);
    state = ok(checkInToClass(state, { source: "app" }, ctxFor("ann", STARTS_AT - 10 * MINUTE))).state;
    expect(refused(cancelBooking(state, {}, ctxFor("ann", STARTS_AT - 9 * MINUTE))).code).toBe("ALREADY_CHECKED_IN");
  });

  it("lets staff cancel someone's booking without a fee even when late", () => {
    const state = withBooked(aClassState({ members: [aPackMember("ann", 1)] }), ["ann"]);
    const d = ok(cancelBooking(state, { memberId: "ann" }, staffCtx(LATE)));
    expect(d.result).toMatchObject({ status: "cancelled", feeCents: 0, creditRefunded: true });
  });

  it("lets staff cancel someone's booking with a fee", () => {
    const state = withBooked(aClassState({ members: ["ann"] }), ["ann"]);
    const d = ok(cancelBooking(state, { memberId: "ann", withFee: true }, staffCtx()));
    expect(d.result).toMatchObject({ status: "late_cancelled", feeCents: 500 });
  });

  it("refuses a member cancelling someone else's booking with FORBIDDEN", () => {
    const state = withBooked(aClassState({ members: ["ann", "bob"] }), ["ann"]);
    expect(refused(cancelBooking(state, { memberId: "ann" }, ctxFor("bob"))).code).toBe("FORBIDDEN");
  });
});
