/**
 * Cancelling a booking: free before the late-cancel cut-off, a fee after it.
 */
import { DomainError } from "../errors.js";
import { startDraft } from "./draft.js";
import type { Outcome } from "./draft.js";
import { formatMoney } from "../format.js";
import { checkScheduled, resolveMember } from "./guards.js";
import { fillOpenSpots } from "./promotion.js";
import { recordFee, releaseBooking } from "./roster.js";
import { liveBookingOf } from "./state.js";
import type { ClassState, CommandContext } from "./state.js";
import { classWindows } from "./windows.js";
import type { ClassCommandPayload } from "../protocol/commands.js";

/** `class:cancelBooking`. Staff pass `memberId` and choose `withFee` (default: no fee). */
export type CancelBooking = ClassCommandPayload<"class:cancelBooking">;

/** Ack value of {@link cancelBooking}. */
export interface CancelBookingResult {
  status: "cancelled" | "late_cancelled";
  bookingId: string;
  /** Fee charged (0 when none or waived). */
  feeCents: number;
  feeWaived: boolean;
  creditRefunded: boolean;
  /** Member-facing note, e.g. "Late cancel: a €5.00 fee applies." */
  notice: string | null;
}

/**
 * Cancels the member's live booking and offers the freed spot to the waitlist.
 * Own booking: before the late-cancel cut-off it is `cancelled` with the credit refunded;
 * from the cut-off until the start it is `late_cancelled` with a late-cancel fee and no
 * refund — except a booking auto-promoted from the waitlist after the cut-off, whose fee is
 * waived and credit refunded. A member's own late cancel that costs a fee is refused with
 * LATE_CANCEL_FEE unless they confirmed it (`acceptFee`). Staff cancelling someone else's booking decide with `withFee`.
 */
export function cancelBooking(state: ClassState, command: CancelBooking, ctx: CommandContext): Outcome<CancelBookingResult> {
  const who = resolveMember(state, ctx, command);
  if (who instanceof DomainError) return who;
  const closed = checkScheduled(state);
  if (closed) return closed;
  const booking = liveBookingOf(state, who.standing.memberId);
  if (booking === undefined) return new DomainError("NOT_BOOKED");
  if (booking.status === "checked_in") return new DomainError("ALREADY_CHECKED_IN");
  const { now } = ctx;
  const windows = classWindows(state.session);
  if (who.self && now >= state.session.startsAt) {
    return new DomainError("BOOKING_CLOSED", "The class has started — it can't be cancelled now.");
  }
  const late = who.self ? now >= windows.lateCancelAt : command.withFee === true;
  const pushedOnMember = booking.promotedFromWaitlist && booking.createdAt >= windows.lateCancelAt;
  const waived = late && pushedOnMember;
  const amount = state.feePolicy.lateCancelFeeCents;
  // Never charge a member who did not see the fee (their screen's clock may disagree with ours).
  if (who.self && late && !waived && amount > 0 && command.acceptFee !== true) {
    const fee = formatMoney(amount, state.feePolicy.currency);
    return new DomainError("LATE_CANCEL_FEE", `Late cancel: a ${fee} fee applies — confirm to cancel anyway.`, {
      details: { feeCents: amount },
    });
  }

  const draft = startDraft(state, ctx);
  releaseBooking(draft, booking, late ? "late_cancelled" : "cancelled", !late || waived);
  const fee = late ? recordFee(draft, booking, "late_cancel", waived) : null;
  fillOpenSpots(draft);
  const feeCents = fee !== null && !fee.waived ? fee.amountCents : 0;
  return draft.done({
    status: late ? "late_cancelled" : "cancelled",
    bookingId: booking.id,
    feeCents,
    feeWaived: waived,
    creditRefunded: booking.creditUsed && (!late || waived),
    notice: feeCents > 0 ? `Late cancel: a ${formatMoney(feeCents, state.feePolicy.currency)} fee applies.` : null,
  });
}
