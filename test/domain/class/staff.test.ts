import { describe, expect, it } from "vitest";
import { bookSpot } from "../../../domain/class/bookSpot.js";
import { cancelBooking } from "../../../domain/class/cancelBooking.js";
import type { Outcome } from "../../../domain/class/draft.js";
import type { ClassState } from "../../../domain/class/state.js";
import { cancelClass, changeCapacity, promoteFromWaitlist } from "../../../domain/class/staff.js";
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
  statusOf,
  withBooked,
} from "../../support/domainBuilders.js";

const full = () =>
  withBooked(aClassState({ members: ["ann", aPackMember("bob", 1), "cy"], session: { capacity: 1 } }), ["ann", "bob", "cy"]);

describe("staff commands", () => {
  it.each<[string, (s: ClassState) => Outcome<unknown>]>([
    ["changeCapacity", (s) => changeCapacity(s, { capacity: 5 }, ctxFor("ann"))],
    ["cancelClass", (s) => cancelClass(s, { reason: "x" }, ctxFor("ann"))],
    ["promoteFromWaitlist", (s) => promoteFromWaitlist(s, {}, ctxFor("ann"))],
  ])("refuses %s for a member with FORBIDDEN", (_name, run) => {
    expect(refused(run(full())).code).toBe("FORBIDDEN");
  });

  it("answers NOT_FOUND to staff of another gym", () => {
    expect(refused(changeCapacity(full(), { capacity: 5 }, ctxFor("coach-9", undefined, "owner", OTHER_GYM))).code).toBe("NOT_FOUND");
  });

  it("promotes from the waitlist in order when capacity is raised", () => {
    const d = ok(changeCapacity(full(), { capacity: 2 }, staffCtx()));
    expect(d.result).toMatchObject({ capacity: 2, promoted: 1, spotsLeft: 0 });
    expect(statusOf(d.state, "bob")).toBe("booked");
    expect(d.state.waitlist.find((e) => e.memberId === "cy")).toMatchObject({ status: "waiting", position: 1 });
  });

  it("never removes a booked member when capacity is lowered, and blocks new bookings until the roster fits", () => {
    let state = withBooked(aClassState({ members: ["ann", "bob", "cy"], session: { capacity: 3 } }), ["ann", "bob"]);
    state = ok(changeCapacity(state, { capacity: 1 }, staffCtx())).state;
    expect(state.bookings.filter((b) => b.status === "booked")).toHaveLength(2);
    expect(refused(bookSpot(state, {}, ctxFor("cy"))).code).toBe("CLASS_FULL");
    state = ok(cancelBooking(state, {}, ctxFor("ann"))).state;
    expect(refused(bookSpot(state, {}, ctxFor("cy"))).code).toBe("CLASS_FULL");
    state = ok(cancelBooking(state, {}, ctxFor("bob"))).state;
    ok(bookSpot(state, {}, ctxFor("cy")));
  });

  it("refuses a negative capacity with VALIDATION_FAILED", () => {
    expect(refused(changeCapacity(full(), { capacity: -1 }, staffCtx())).fields).toEqual({ capacity: expect.any(String) });
  });

  it("lets staff promote a chosen waitlisted member after the cut-off into a free spot", () => {
    const late = STARTS_AT - 30 * MINUTE;
    let state = ok(cancelBooking(full(), { acceptFee: true }, ctxFor("ann", late))).state;
    const d = ok(promoteFromWaitlist(state, { memberId: "cy" }, staffCtx(late)));
    expect(d.result).toMatchObject({ status: "booked", memberId: "cy" });
    expect(d.state.bookings.find((b) => b.memberId === "cy")?.promotedFromWaitlist).toBe(true);
    state = d.state;
    expect(state.waitlist.find((e) => e.memberId === "bob")).toMatchObject({ status: "waiting", position: 1 });
  });

  it("refuses a manual promotion into a full class with CLASS_FULL", () => {
    expect(refused(promoteFromWaitlist(full(), {}, staffCtx())).code).toBe("CLASS_FULL");
  });

  it("refuses a manual promotion with NOT_WAITLISTED when nobody is waiting", () => {
    expect(refused(promoteFromWaitlist(aClassState(), {}, staffCtx())).code).toBe("NOT_WAITLISTED");
  });

  it("cancels every booking without fee, refunds credits and ends the waitlist when the class is cancelled", () => {
    let state = withBooked(aClassState({ members: [aPackMember("ann", 2), "bob"], session: { capacity: 1 } }), ["ann", "bob"]);
    const d = ok(cancelClass(state, { reason: "Coach ill" }, staffCtx(STARTS_AT - HOUR)));
    state = d.state;
    expect(state.session).toMatchObject({ status: "cancelled", cancelReason: "Coach ill" });
    expect(statusOf(state, "ann")).toBe("cancelled");
    expect(state.members["ann"]?.credits).toBe(2);
    expect(state.fees).toEqual([]);
    expect(state.waitlist[0]).toMatchObject({ status: "expired", reason: "CLASS_CANCELLED" });
    expect(d.events).toContainEqual({ type: "class.cancelled", memberIds: ["ann", "bob"], reason: "Coach ill" });
    expect(refused(cancelClass(state, { reason: "again" }, staffCtx())).code).toBe("CLASS_CANCELLED");
  });

  it("refuses to cancel a class without a reason", () => {
    expect(refused(cancelClass(full(), { reason: "  " }, staffCtx())).code).toBe("VALIDATION_FAILED");
  });

  it("refuses staff promotion of a member who can no longer book", () => {
    let state = full();
    state = { ...state, members: { ...state.members, bob: aMember({ memberId: "bob", status: "past_due" }) } };
    state = ok(changeCapacity(state, { capacity: 1 }, staffCtx())).state;
    const late = STARTS_AT - 30 * MINUTE;
    state = ok(cancelBooking(state, { acceptFee: true }, ctxFor("ann", late))).state;
    expect(refused(promoteFromWaitlist(state, { memberId: "bob" }, staffCtx(late))).code).toBe("MEMBERSHIP_INACTIVE");
  });
});
