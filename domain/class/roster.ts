/**
 * Building blocks shared by class commands: booking a member, releasing a spot, fees, and
 * keeping the waitlist queue contiguous.
 */
import type { Booking, BookingStatus, Fee, FeeKind, WaitlistEntry, WaitlistStatus } from "../model.js";
import type { Draft } from "./draft.js";
import { isOpenEntry } from "./state.js";
import type { MemberStanding } from "./state.js";

/**
 * Emits one `waitlist.updated` with the changed entries plus every open entry whose position
 * moved, so open positions stay 1..n in their previous order.
 */
export function updateWaitlist(draft: Draft, changed: readonly WaitlistEntry[]): void {
  const now = draft.ctx.now;
  const out = new Map(changed.map((e) => [e.id, e]));
  const merged = draft.state.waitlist.map((e) => out.get(e.id) ?? e);
  for (const e of changed) if (!merged.some((m) => m.id === e.id)) merged.push(e);
  const open = merged.filter(isOpenEntry).sort((a, b) => a.position - b.position || a.createdAt - b.createdAt);
  open.forEach((entry, index) => {
    if (entry.position !== index + 1) out.set(entry.id, { ...entry, position: index + 1, updatedAt: now });
  });
  draft.emit({ type: "waitlist.updated", entries: [...out.values()] });
}

/** Ends an open entry (promoted, expired, left, skipped) and closes the gap behind it. */
export function endEntry(draft: Draft, entry: WaitlistEntry, status: WaitlistStatus, reason: string | null): void {
  updateWaitlist(draft, [{ ...entry, status, reason, updatedAt: draft.ctx.now }]);
}

/** Creates a live booking; consumes one pack credit when the plan is a pack. */
export function bookMember(draft: Draft, standing: MemberStanding, promotedFromWaitlist: boolean): Booking {
  const { now, newId } = draft.ctx;
  const session = draft.state.session;
  const creditUsed = standing.entitlement?.kind === "pack";
  const booking: Booking = {
    id: newId(),
    gymId: session.gymId,
    sessionId: session.id,
    memberId: standing.memberId,
    status: "booked",
    createdAt: now,
    updatedAt: now,
    creditUsed,
    promotedFromWaitlist,
  };
  draft.emit({ type: "booking.created", booking });
  if (creditUsed) {
    const credits = (draft.state.members[standing.memberId]?.credits ?? 0) - 1;
    draft.emit({ type: "credits.changed", memberId: standing.memberId, credits });
  }
  return booking;
}

/**
 * Moves a booking to a final status. With `refund`, a consumed pack credit goes back and the
 * booking's `creditUsed` becomes false (it then means "a credit is currently consumed").
 */
export function releaseBooking(draft: Draft, booking: Booking, status: BookingStatus, refund: boolean): Booking {
  const updated: Booking = {
    ...booking,
    status,
    updatedAt: draft.ctx.now,
    creditUsed: refund ? false : booking.creditUsed,
  };
  draft.emit({ type: "booking.updated", booking: updated });
  if (refund && booking.creditUsed) {
    const credits = (draft.state.members[booking.memberId]?.credits ?? 0) + 1;
    draft.emit({ type: "credits.changed", memberId: booking.memberId, credits });
  }
  return updated;
}

/** Records a fee of the policy amount for `booking`; none when the policy amount is 0. */
export function recordFee(draft: Draft, booking: Booking, kind: FeeKind, waived: boolean): Fee | null {
  const policy = draft.state.feePolicy;
  const amountCents = kind === "late_cancel" ? policy.lateCancelFeeCents : policy.noShowFeeCents;
  if (amountCents <= 0) return null;
  const fee: Fee = {
    id: draft.ctx.newId(),
    gymId: booking.gymId,
    memberId: booking.memberId,
    sessionId: booking.sessionId,
    bookingId: booking.id,
    kind,
    amountCents,
    currency: policy.currency,
    createdAt: draft.ctx.now,
    waived,
  };
  draft.emit(waived ? { type: "fee.waived", fee } : { type: "fee.charged", fee });
  return fee;
}
