import { describe, expect, it, vi } from "vitest";
import type { Ack } from "../../domain/protocol/envelope.js";
import type { ScheduleEntry } from "../../domain/views/gymView.js";
import type { MyBooking } from "../../domain/views/userView.js";
import { canSelfCheckIn, capacityText, type SessionActionDetail } from "../../member-web/src/actions.js";
import { performAction, type ActionContext } from "../../member-web/src/performAction.js";
import { toasts } from "../../web/shared/toasts.js";

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 10, 21, 12);

const booking = (startsAt: number): MyBooking => ({
  bookingId: "b1",
  sessionId: "00000000-0000-4000-8000-0000000000aa",
  gymId: "g",
  className: "Strength",
  locationName: "Downtown",
  startsAt,
  endsAt: startsAt + HOUR,
  status: "booked",
  lateCancelAt: startsAt - 2 * HOUR,
  lateCancelFeeCents: 500,
  lateCancelFeeWaived: false,
  currency: "EUR",
});

function cancel(b: MyBooking): SessionActionDetail {
  return { action: "cancel", sessionId: b.sessionId, className: b.className, startsAt: b.startsAt, booking: b, settled: undefined };
}

function context(answer: Ack<unknown>, confirm: boolean) {
  const send = vi.fn(async () => answer);
  const confirmLateCancel = vi.fn(async () => confirm);
  const ctx: ActionContext = {
    send: send as unknown as ActionContext["send"],
    online: true,
    now: NOW,
    timeZone: "Europe/Berlin",
    confirmLateCancel,
  };
  return { ctx, send, confirmLateCancel };
}

const lastToast = () => toasts.current[toasts.current.length - 1]?.message;

describe("performAction", () => {
  it("asks for no confirmation when the waitlist pushed the booking on the member (fee waived)", async () => {
    const { ctx, confirmLateCancel } = context({ ok: true, result: { status: "late_cancelled", feeCents: 0, notice: null } }, false);
    expect(await performAction(cancel({ ...booking(NOW + HOUR), lateCancelFeeWaived: true }), ctx)).toBe(true);
    expect(confirmLateCancel).not.toHaveBeenCalled();
  });

  it("shows the fee and resends with consent when the server says it is already late", async () => {
    const send = vi
      .fn()
      .mockResolvedValueOnce({
        ok: false,
        error: { code: "LATE_CANCEL_FEE", message: "Late cancel: a €5.00 fee applies — confirm to cancel anyway." },
      })
      .mockResolvedValueOnce({
        ok: true,
        result: { status: "late_cancelled", feeCents: 500, notice: "Late cancel: a €5.00 fee applies." },
      });
    const confirmLateCancel = vi.fn(async () => true);
    const ctx: ActionContext = {
      send: send as unknown as ActionContext["send"],
      online: true,
      now: NOW,
      timeZone: "Europe/Berlin",
      confirmLateCancel,
    };
    expect(await performAction(cancel(booking(NOW + 3 * HOUR)), ctx)).toBe(true);
    expect(confirmLateCancel).toHaveBeenCalledOnce();
    expect(send).toHaveBeenLastCalledWith("class:00000000-0000-4000-8000-0000000000aa", "class:cancelBooking", {
      sessionId: "00000000-0000-4000-8000-0000000000aa",
      acceptFee: true,
    });
  });

  it("cancels before the cut-off in one tap, without asking", async () => {
    const { ctx, send, confirmLateCancel } = context({ ok: true, result: { status: "cancelled", feeCents: 0, notice: null } }, false);
    expect(await performAction(cancel(booking(NOW + 5 * HOUR)), ctx)).toBe(true);
    expect(confirmLateCancel).not.toHaveBeenCalled();
    expect(send).toHaveBeenCalledWith("class:00000000-0000-4000-8000-0000000000aa", "class:cancelBooking", {
      sessionId: "00000000-0000-4000-8000-0000000000aa",
    });
    expect(lastToast()).toMatch(/No fee/);
  });

  it("shows the fee and sends nothing when a late cancel is not confirmed", async () => {
    const { ctx, send, confirmLateCancel } = context({ ok: true, result: null }, false);
    expect(await performAction(cancel(booking(NOW + HOUR)), ctx)).toBe(false);
    expect(confirmLateCancel).toHaveBeenCalledWith(expect.objectContaining({ feeCents: 500, currency: "EUR", lateCancelAt: NOW - HOUR }));
    expect(send).not.toHaveBeenCalled();
  });

  it("cancels late once confirmed and says what was charged", async () => {
    const result = { status: "late_cancelled", feeCents: 500, notice: "Late cancel: a €5.00 fee applies." };
    const { ctx, send } = context({ ok: true, result }, true);
    expect(await performAction(cancel(booking(NOW + HOUR)), ctx)).toBe(true);
    expect(send).toHaveBeenCalledOnce();
    expect(send).toHaveBeenCalledWith("class:00000000-0000-4000-8000-0000000000aa", "class:cancelBooking", {
      sessionId: "00000000-0000-4000-8000-0000000000aa",
      acceptFee: true,
    });
    expect(lastToast()).toMatch(/€5\.00 fee applies/);
  });

  it("sends nothing while offline and says so", async () => {
    const { ctx, send } = context({ ok: true, result: null }, true);
    expect(await performAction({ ...cancel(booking(NOW + 5 * HOUR)), action: "book" }, { ...ctx, online: false })).toBe(false);
    expect(send).not.toHaveBeenCalled();
    expect(lastToast()).toMatch(/offline — nothing was sent/);
  });

  it("shows a refusal in the server's words", async () => {
    const { ctx } = context(
      { ok: false, error: { code: "CLASS_FULL", message: "This class is full — join the waitlist to be told when a spot opens." } },
      true,
    );
    expect(await performAction({ ...cancel(booking(NOW + 5 * HOUR)), action: "book", booking: undefined }, ctx)).toBe(false);
    expect(lastToast()).toMatch(/join the waitlist/);
  });

  it("joins the waitlist and tells my position", async () => {
    const { ctx, send } = context({ ok: true, result: { status: "waitlisted", entryId: "w", position: 3 } }, true);
    expect(await performAction({ ...cancel(booking(NOW + 5 * HOUR)), action: "waitlist", booking: undefined }, ctx)).toBe(true);
    expect(send).toHaveBeenCalledWith(expect.any(String), "class:book", {
      sessionId: "00000000-0000-4000-8000-0000000000aa",
      waitlist: true,
    });
    expect(lastToast()).toMatch(/#3 on the waitlist/);
  });
});

describe("self check-in", () => {
  it("sends the desk's code with class:checkIn and says the member is checked in", async () => {
    const b = booking(NOW + 10 * 60_000);
    const { ctx, send } = context({ ok: true, result: { status: "checked_in" } }, false);
    const detail: SessionActionDetail = {
      action: "checkIn",
      sessionId: b.sessionId,
      className: b.className,
      startsAt: b.startsAt,
      booking: b,
      presenceCode: "042917",
      settled: undefined,
    };
    expect(await performAction(detail, ctx)).toBe(true);
    expect(send).toHaveBeenCalledWith(`class:${b.sessionId}`, "class:checkIn", { sessionId: b.sessionId, presenceCode: "042917" });
    expect(lastToast()).toMatch(/^Checked in: Strength/);
  });

  it("is offered for a booked class from 30 minutes before its start until it ends, and not once checked in", () => {
    const startsAt = NOW + 10 * 60_000;
    const entry = { startsAt, endsAt: startsAt + HOUR, status: "scheduled" } as ScheduleEntry;
    expect(canSelfCheckIn(entry, booking(startsAt), NOW)).toBe(true);
    expect(canSelfCheckIn(entry, booking(startsAt), startsAt - 31 * 60_000)).toBe(false);
    expect(canSelfCheckIn(entry, booking(startsAt), startsAt + HOUR)).toBe(false);
    expect(canSelfCheckIn(entry, { ...booking(startsAt), status: "checked_in" }, NOW)).toBe(false);
    expect(canSelfCheckIn(entry, undefined, NOW)).toBe(false);
  });
});

describe("capacityText", () => {
  const entry = (over: Partial<ScheduleEntry>): ScheduleEntry => ({
    id: "s",
    locationId: "l",
    classTypeId: "t",
    coachId: null,
    className: "Strength",
    color: "#000",
    locationName: "Downtown",
    coachName: null,
    startsAt: NOW + HOUR,
    endsAt: NOW + 2 * HOUR,
    capacity: 10,
    status: "scheduled",
    booked: 7,
    checkedIn: 0,
    waitlist: 0,
    spotsLeft: 3,
    ...over,
  });

  it("says spots left, full with the waitlist, or why booking is over", () => {
    expect(capacityText(entry({}), NOW)).toBe("3 spots left");
    expect(capacityText(entry({ spotsLeft: 1 }), NOW)).toBe("1 spot left");
    expect(capacityText(entry({ spotsLeft: 0, waitlist: 2 }), NOW)).toBe("Full · waitlist 2");
    expect(capacityText(entry({ spotsLeft: 0 }), NOW)).toBe("Full");
    expect(capacityText(entry({ status: "cancelled" }), NOW)).toBe("Cancelled");
    expect(capacityText(entry({ startsAt: NOW - 1 }), NOW)).toBe("In progress");
    expect(capacityText(entry({ startsAt: NOW - 2 * HOUR, endsAt: NOW - HOUR }), NOW)).toBe("Over");
  });
});
