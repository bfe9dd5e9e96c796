import { describe, expect, it } from "vitest";
import { checkInToClass, undoCheckIn } from "../../../domain/class/checkIn.js";
import { closeClass, markNoShow } from "../../../domain/class/noShow.js";
import { cancelClass } from "../../../domain/class/staff.js";
import {
  HOUR,
  MINUTE,
  OTHER_GYM,
  STARTS_AT,
  aClassState,
  aMember,
  ctxFor,
  ok,
  refused,
  staffCtx,
  statusOf,
  withBooked,
} from "../../support/domainBuilders.js";

const AT = STARTS_AT - 10 * MINUTE;
const booked = () => withBooked(aClassState({ members: ["ann", "bob"] }), ["ann"]);

describe("checkInToClass", () => {
  it("checks in a booked member inside the window and records attendance", () => {
    const d = ok(checkInToClass(booked(), { source: "qr" }, ctxFor("ann", AT)));
    expect(d.result.status).toBe("checked_in");
    expect(d.events.map((e) => e.type)).toEqual(["checkin.recorded", "booking.updated", "attendance.recorded"]);
    expect(statusOf(d.state, "ann")).toBe("checked_in");
    expect(d.state.attendance).toHaveLength(1);
    // A member's own check-in is recorded as "app", whatever the client claimed (issue 14 item 8).
    expect(d.state.checkIns[0]).toMatchObject({ result: "accepted", reason: null, byUserId: null, source: "app" });
  });

  it("treats a second check-in as already checked in without new attendance", () => {
    const state = ok(checkInToClass(booked(), { source: "qr" }, ctxFor("ann", AT))).state;
    const d = ok(checkInToClass(state, { source: "desk", memberId: "ann" }, staffCtx(AT + MINUTE)));
    expect(d.result.status).toBe("already_checked_in");
    expect(d.events).toEqual([]);
  });

  it("records a denied check-in with NO_BOOKING for a member without a booking", () => {
    const d = ok(checkInToClass(booked(), { source: "desk", memberId: "bob" }, staffCtx(AT)));
    expect(d.result).toMatchObject({ status: "denied", reason: "NO_BOOKING", message: expect.stringMatching(/book/) });
    expect(d.state.checkIns[0]).toMatchObject({ result: "denied", reason: "NO_BOOKING", memberId: "bob", byUserId: "coach-1" });
  });

  it.each([
    ["frozen", "MEMBERSHIP_FROZEN"],
    ["past_due", "MEMBERSHIP_PAST_DUE"],
    ["cancelled", "MEMBERSHIP_CANCELLED"],
    ["pending", "MEMBERSHIP_PENDING"],
  ] as const)("records a denied check-in for a %s membership", (status, reason) => {
    let state = booked();
    state = { ...state, members: { ...state.members, ann: aMember({ status }) } };
    const d = ok(checkInToClass(state, { source: "kiosk" }, ctxFor("ann", AT)));
    expect(d.result).toMatchObject({ status: "denied", reason });
    expect(statusOf(d.state, "ann")).toBe("booked");
  });

  it("decides a check-in an offline desk sent late with the membership's status at the desk's time, recording both clocks", () => {
    const frozenNow = { ...booked(), members: { ...booked().members, ann: aMember({ status: "frozen" }) } };
    const late = (status: "active" | "frozen") => ({ ...staffCtx(AT), offline: { deviceAt: AT, receivedAt: AT + HOUR, status } });
    const d = ok(checkInToClass(frozenNow, { source: "desk", memberId: "ann" }, late("active")));
    expect(d.result.status).toBe("checked_in");
    expect(d.state.checkIns[0]).toEqual(expect.objectContaining({ at: AT, deviceAt: AT, receivedAt: AT + HOUR }));
    expect(d.state.checkIns[0]).not.toHaveProperty("status");
    expect(ok(checkInToClass(booked(), { source: "desk", memberId: "ann" }, late("frozen"))).result).toMatchObject({
      status: "denied",
      reason: "MEMBERSHIP_FROZEN",
    });
  });

  it("records UNKNOWN_MEMBER without a member id for someone not in this gym", () => {
    const state = { ...booked(), members: { ...booked().members, zed: aMember({ memberId: "zed", gymId: OTHER_GYM }) } };
    const d = ok(checkInToClass(state, { source: "desk", memberId: "zed" }, staffCtx(AT)));
    expect(d.result).toMatchObject({ reason: "UNKNOWN_MEMBER" });
    expect(d.state.checkIns[0]?.memberId).toBeNull();
  });

  it("records OUTSIDE_CHECK_IN_WINDOW before the window opens and after it closes", () => {
    expect(ok(checkInToClass(booked(), { source: "app" }, ctxFor("ann", STARTS_AT - 31 * MINUTE))).result).toMatchObject({
      reason: "OUTSIDE_CHECK_IN_WINDOW",
      message: expect.stringMatching(/^Check-in opens \w{3} \d\d:\d\d\.$/),
    });
    expect(ok(checkInToClass(booked(), { source: "app" }, ctxFor("ann", STARTS_AT + 16 * MINUTE))).result).toMatchObject({
      reason: "OUTSIDE_CHECK_IN_WINDOW",
      message: expect.stringMatching(/^Check-in for this class closed \w{3} \d\d:\d\d\.$/),
    });
    expect(ok(checkInToClass(booked(), { source: "app" }, ctxFor("ann", STARTS_AT + 15 * MINUTE))).result.status).toBe("checked_in");
  });

  it("records CLASS_CANCELLED for a cancelled class", () => {
    const state = ok(cancelClass(booked(), { reason: "Flood" }, staffCtx())).state;
    expect(ok(checkInToClass(state, { source: "app" }, ctxFor("ann", AT))).result).toMatchObject({ reason: "CLASS_CANCELLED" });
  });

  it("refuses a member checking in someone else with FORBIDDEN", () => {
    expect(refused(checkInToClass(booked(), { source: "app", memberId: "ann" }, ctxFor("bob", AT))).code).toBe("FORBIDDEN");
  });

  it("answers NOT_FOUND to an actor of another gym", () => {
    expect(refused(checkInToClass(booked(), { source: "app" }, ctxFor("ann", AT, "member", OTHER_GYM))).code).toBe("NOT_FOUND");
  });

  it("lets staff undo a check-in, removing the attendance", () => {
    const state = ok(checkInToClass(booked(), { source: "qr" }, ctxFor("ann", AT))).state;
    const d = ok(undoCheckIn(state, { memberId: "ann" }, staffCtx(AT + MINUTE)));
    expect(statusOf(d.state, "ann")).toBe("booked");
    expect(d.state.attendance).toEqual([]);
    expect(refused(undoCheckIn(d.state, { memberId: "ann" }, staffCtx(AT))).code).toBe("NOT_CHECKED_IN");
    expect(refused(undoCheckIn(state, { memberId: "ann" }, ctxFor("ann", AT))).code).toBe("FORBIDDEN");
  });
});

describe("no-shows", () => {
  it("marks a booked member who did not come as no-show with the no-show fee", () => {
    const d = ok(markNoShow(booked(), { memberId: "ann" }, staffCtx(STARTS_AT + 20 * MINUTE)));
    expect(d.result).toMatchObject({ status: "no_show", feeCents: 1000 });
    expect(d.state.fees[0]).toMatchObject({ kind: "no_show", amountCents: 1000 });
  });

  it("refuses a no-show before the class starts with CLASS_NOT_STARTED", () => {
    expect(refused(markNoShow(booked(), { memberId: "ann" }, staffCtx(AT))).code).toBe("CLASS_NOT_STARTED");
  });

  it("refuses a no-show for a checked-in member and for one without a booking", () => {
    const state = ok(checkInToClass(booked(), { source: "qr" }, ctxFor("ann", AT))).state;
    expect(refused(markNoShow(state, { memberId: "ann" }, staffCtx(STARTS_AT))).code).toBe("ALREADY_CHECKED_IN");
    expect(refused(markNoShow(state, { memberId: "bob" }, staffCtx(STARTS_AT))).code).toBe("NOT_BOOKED");
    expect(refused(markNoShow(state, { memberId: "bob" }, ctxFor("ann", STARTS_AT))).code).toBe("FORBIDDEN");
  });

  it("marks everyone booked but absent as no-show when the class is closed after it ends", () => {
    let state = withBooked(aClassState({ members: ["ann", "bob", "cy"], session: { capacity: 2 } }), ["ann", "bob", "cy"]);
    state = ok(checkInToClass(state, { source: "qr" }, ctxFor("ann", AT))).state;
    const d = ok(closeClass(state, {}, staffCtx(STARTS_AT + HOUR, "system")));
    expect(d.result).toEqual({ status: "completed", noShowMemberIds: ["bob"] });
    expect(statusOf(d.state, "ann")).toBe("checked_in");
    expect(statusOf(d.state, "bob")).toBe("no_show");
    expect(d.state.waitlist[0]).toMatchObject({ status: "expired", reason: "CLASS_OVER" });
    expect(d.state.session.status).toBe("completed");
    expect(d.state.fees).toHaveLength(1);
    expect(refused(closeClass(d.state, {}, staffCtx(STARTS_AT + 2 * HOUR))).code).toBe("CLASS_COMPLETED");
  });

  it("refuses to close a class before it ends with CLASS_NOT_OVER", () => {
    expect(refused(closeClass(booked(), {}, staffCtx(STARTS_AT + 59 * MINUTE))).code).toBe("CLASS_NOT_OVER");
  });
});
