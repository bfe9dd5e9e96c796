import { describe, expect, it } from "vitest";
import { bookSpot } from "../../../domain/class/bookSpot.js";
import { cancelBooking } from "../../../domain/class/cancelBooking.js";
import { claimOffer, expireOffers, leaveWaitlist } from "../../../domain/class/waitlist.js";
import {
  HOUR,
  MINUTE,
  STARTS_AT,
  EARLY,
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

const full = (mode: "automatic" | "offer" = "automatic") =>
  withBooked(aClassState({ members: ["ann", "bob", "cy", "dee"], session: { capacity: 1, promotionMode: mode } }), [
    "ann",
    "bob",
    "cy",
    "dee",
  ]);

describe("waitlist", () => {
  it("moves positions up when a member leaves the waitlist", () => {
    const d = ok(leaveWaitlist(full(), {}, ctxFor("bob")));
    expect(d.result).toEqual({ status: "left" });
    const open = d.state.waitlist.filter((e) => e.status === "waiting").map((e) => [e.memberId, e.position]);
    expect(open).toEqual([
      ["cy", 1],
      ["dee", 2],
    ]);
  });

  it("refuses leaving with NOT_WAITLISTED when not on the waitlist", () => {
    expect(refused(leaveWaitlist(full(), {}, ctxFor("ann"))).code).toBe("NOT_WAITLISTED");
  });

  it("skips waitlisted members who can no longer book and promotes the next eligible one", () => {
    let state = full();
    state = { ...state, members: { ...state.members, bob: aMember({ memberId: "bob", status: "frozen" }), cy: aPackMember("cy", 0) } };
    const d = ok(cancelBooking(state, {}, ctxFor("ann")));
    expect(d.state.waitlist.map((e) => [e.memberId, e.status, e.reason])).toEqual([
      ["bob", "skipped", "MEMBERSHIP_INACTIVE"],
      ["cy", "skipped", "NO_CREDITS"],
      ["dee", "promoted", null],
    ]);
    expect(statusOf(d.state, "dee")).toBe("booked");
    expect(d.events.filter((e) => e.type === "waitlist.skipped")).toHaveLength(2);
  });

  it("keeps a freed spot open after the auto-promotion cut-off and tells the waitlist", () => {
    const d = ok(cancelBooking(full(), { acceptFee: true }, ctxFor("ann", STARTS_AT - 30 * MINUTE)));
    expect(d.state.bookings.filter((b) => b.status === "booked")).toHaveLength(0);
    expect(d.events).toContainEqual({ type: "waitlist.spotOpenNoPromotion", memberIds: ["bob", "cy", "dee"], spots: 1 });
  });

  describe("offer mode", () => {
    it("holds a freed spot for the first waitlisted member until the claim window ends", () => {
      const d = ok(cancelBooking(full("offer"), {}, ctxFor("ann")));
      const bob = d.state.waitlist.find((e) => e.memberId === "bob");
      expect(bob).toMatchObject({ status: "offered", position: 1, offerExpiresAt: EARLY + 30 * MINUTE });
      expect(d.events).toContainEqual({ type: "member.offered", memberId: "bob", entryId: bob?.id, expiresAt: EARLY + 30 * MINUTE });
    });

    it("counts an offered spot against capacity", () => {
      let state = ok(cancelBooking(full("offer"), {}, ctxFor("ann"))).state;
      state = { ...state, members: { ...state.members, eve: aMember({ memberId: "eve" }) } };
      expect(refused(bookSpot(state, {}, ctxFor("eve"))).code).toBe("CLASS_FULL");
    });

    it("books the member who claims the offer in time, using a credit", () => {
      let state = full("offer");
      state = { ...state, members: { ...state.members, bob: aPackMember("bob", 2) } };
      state = ok(cancelBooking(state, {}, ctxFor("ann"))).state;
      const d = ok(claimOffer(state, {}, ctxFor("bob", EARLY + 10 * MINUTE)));
      expect(statusOf(d.state, "bob")).toBe("booked");
      expect(d.state.members["bob"]?.credits).toBe(1);
      expect(d.state.waitlist.filter((e) => e.status === "waiting").map((e) => e.position)).toEqual([1, 2]);
    });

    it("refuses a claim after the offer expired with NO_OFFER", () => {
      const state = ok(cancelBooking(full("offer"), {}, ctxFor("ann"))).state;
      expect(refused(claimOffer(state, {}, ctxFor("bob", EARLY + 30 * MINUTE))).code).toBe("NO_OFFER");
    });

    it("refuses a claim with NO_OFFER when nothing is held for the member", () => {
      const state = ok(cancelBooking(full("offer"), {}, ctxFor("ann"))).state;
      expect(refused(claimOffer(state, {}, ctxFor("cy"))).code).toBe("NO_OFFER");
    });

    it("passes an unclaimed spot to the next in line when offers expire", () => {
      const state = ok(cancelBooking(full("offer"), {}, ctxFor("ann"))).state;
      const d = ok(expireOffers(state, staffCtx(EARLY + 31 * MINUTE, "system")));
      expect(d.result).toEqual({ expired: 1 });
      expect(d.state.waitlist.map((e) => [e.memberId, e.status, e.position])).toEqual([
        ["bob", "expired", 1],
        ["cy", "offered", 1],
        ["dee", "waiting", 2],
      ]);
      expect(d.events).toContainEqual(expect.objectContaining({ type: "offer.expired", memberId: "bob" }));
    });

    it("expires nothing and emits nothing before an offer is due", () => {
      const state = ok(cancelBooking(full("offer"), {}, ctxFor("ann"))).state;
      const d = ok(expireOffers(state, staffCtx(EARLY + 29 * MINUTE)));
      expect(d.events).toEqual([]);
      expect(d.state).toBe(state);
    });

    it("releases the held spot to the next in line when the offered member leaves", () => {
      const state = ok(cancelBooking(full("offer"), {}, ctxFor("ann"))).state;
      const d = ok(leaveWaitlist(state, {}, ctxFor("bob")));
      expect(d.state.waitlist.find((e) => e.memberId === "cy")?.status).toBe("offered");
    });

    it("never lets an offer outlive the class start", () => {
      const state = withBooked(
        aClassState({ members: ["ann", "bob"], session: { capacity: 1, promotionMode: "offer", offerClaimMinutes: 24 * 60 } }),
        ["ann", "bob"],
      );
      const d = ok(cancelBooking(state, { acceptFee: true }, ctxFor("ann", STARTS_AT - 2 * HOUR)));
      expect(d.state.waitlist.find((e) => e.memberId === "bob")?.offerExpiresAt).toBe(STARTS_AT);
    });
  });
});
