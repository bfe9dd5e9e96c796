import { describe, expect, it } from "vitest";
import { markNoShow, undoNoShow } from "../../../domain/class/noShow.js";
import { MINUTE, STARTS_AT, aClassState, aMember, ok, refused, staffCtx, statusOf, withBooked } from "../../support/domainBuilders.js";

const AFTER = STARTS_AT + 20 * MINUTE;
const noShow = (members = { ann: aMember() }) => {
  const state = withBooked(aClassState({ members: ["ann", "bob"] }), ["ann"]);
  return ok(markNoShow({ ...state, members: { ...state.members, ...members } }, { memberId: "ann" }, staffCtx(AFTER))).state;
};

describe("undoNoShow", () => {
  it("excuses the no-show: the booking is cancelled, the fee waived, and the member is told why", () => {
    const d = ok(undoNoShow(noShow(), { memberId: "ann", reason: "Called in sick" }, staffCtx(AFTER + MINUTE, "admin")));
    expect(d.result).toMatchObject({ status: "excused", feeWaivedCents: 1000 });
    expect(statusOf(d.state, "ann")).toBe("cancelled");
    expect(d.state.fees).toHaveLength(1);
    expect(d.state.fees[0]).toMatchObject({ kind: "no_show", waived: true });
    expect(d.events.find((e) => e.type === "noShow.undone")).toMatchObject({ memberId: "ann", reason: "Called in sick", feeCents: 1000 });
  });

  it("gives a used credit back", () => {
    const state = noShow({ ann: aMember({ entitlement: { kind: "pack" } as never, credits: 4 }) });
    const used = state.bookings.find((b) => b.memberId === "ann")!;
    const withCredit = { ...state, bookings: state.bookings.map((b) => (b.id === used.id ? { ...b, creditUsed: true } : b)) };
    const d = ok(undoNoShow(withCredit, { memberId: "ann", reason: "Wrong person marked" }, staffCtx(AFTER + MINUTE, "owner")));
    expect(d.result.creditReturned).toBe(true);
    expect(d.events).toContainEqual({ type: "credits.changed", memberId: "ann", credits: 5 });
  });

  it("a coach may not undo a no-show that carries a fee (it gives money back) — owners and admins may", () => {
    const e = refused(undoNoShow(noShow(), { memberId: "ann", reason: "x" }, staffCtx(AFTER + MINUTE, "coach")));
    expect(e.code).toBe("FORBIDDEN");
    expect(e.message).toContain("only owners and admins");
    const noFee = noShow();
    const free = { ...noFee, fees: [] };
    expect(ok(undoNoShow(free, { memberId: "ann", reason: "x" }, staffCtx(AFTER + MINUTE, "coach"))).result.feeWaivedCents).toBe(0);
  });

  it("refuses a member without a no-show, and a member asking", () => {
    expect(refused(undoNoShow(noShow(), { memberId: "bob", reason: "x" }, staffCtx(AFTER, "admin"))).code).toBe("NOT_FOUND");
    const once = ok(undoNoShow(noShow(), { memberId: "ann", reason: "x" }, staffCtx(AFTER, "admin"))).state;
    expect(refused(undoNoShow(once, { memberId: "ann", reason: "x" }, staffCtx(AFTER, "admin"))).code).toBe("NOT_FOUND");
    expect(refused(undoNoShow(noShow(), { memberId: "ann", reason: "x" }, staffCtx(AFTER, "member"))).code).toBe("FORBIDDEN");
  });
});
