/**
 * No-shows: marking one member, and closing the class after it ends.
 */
import { DomainError } from "../errors.js";
import { startDraft } from "./draft.js";
import { formatWhen } from "../format.js";
import type { Outcome } from "./draft.js";
import { checkStaff } from "./guards.js";
import { recordFee, releaseBooking, updateWaitlist } from "./roster.js";
import { isOpenEntry, liveBookingOf } from "./state.js";
import { noShowAllowed } from "./windows.js";
import { mayOverrideFees } from "../roles.js";
import { formatMoney } from "../format.js";
import type { ClassState, CommandContext } from "./state.js";
import type { ClassCommandPayload } from "../protocol/commands.js";

/** `class:undoNoShow` (staff). */
export type UndoNoShow = ClassCommandPayload<"class:undoNoShow">;

/** `class:markNoShow` (staff). */
export type MarkNoShow = ClassCommandPayload<"class:markNoShow">;

/** Staff marks a booked member who did not come as `no_show` (no-show fee, no refund) once the class has started. */
export function markNoShow(
  state: ClassState,
  command: MarkNoShow,
  ctx: CommandContext,
): Outcome<{ status: "no_show"; bookingId: string; feeCents: number }> {
  const refused = checkStaff(state, ctx, command.sessionId);
  if (refused) return refused;
  if (state.session.status === "cancelled") return new DomainError("CLASS_CANCELLED");
  const standing = state.members[command.memberId];
  if (standing === undefined || standing.gymId !== state.session.gymId) return new DomainError("NOT_FOUND");
  if (!noShowAllowed(state.session, ctx.now))
    return new DomainError(
      "CLASS_NOT_STARTED",
      `No-shows can be marked once the class starts (${formatWhen(state.session.startsAt, state.timeZone)}).`,
    );
  const booking = liveBookingOf(state, command.memberId);
  if (booking === undefined) return new DomainError("NOT_BOOKED");
  if (booking.status === "checked_in") return new DomainError("ALREADY_CHECKED_IN");
  const draft = startDraft(state, ctx);
  releaseBooking(draft, booking, "no_show", false);
  const fee = recordFee(draft, booking, "no_show", false);
  return draft.done({ status: "no_show", bookingId: booking.id, feeCents: fee?.amountCents ?? 0 });
}

/**
 * Staff undo a no-show with a reason (docs/domain.md "Walk-ins and overrides"): the member is excused — the booking
 * becomes `cancelled` (it no longer counts towards a weekly plan), a used credit comes back and the no-show fee is
 * waived. A no-show with a fee is for owners and admins (it gives money back); the member is told in words.
 */
export function undoNoShow(
  state: ClassState,
  command: UndoNoShow,
  ctx: CommandContext,
): Outcome<{ status: "excused"; bookingId: string; feeWaivedCents: number; creditReturned: boolean }> {
  const refused = checkStaff(state, ctx, command.sessionId);
  if (refused) return refused;
  const booking = [...state.bookings].reverse().find((b) => b.memberId === command.memberId && b.status === "no_show");
  if (booking === undefined) return new DomainError("NOT_FOUND", "This member has no no-show in this class.");
  const fee = state.fees.find((f) => f.bookingId === booking.id && f.kind === "no_show" && !f.waived && f.amountCents > 0);
  if (fee && ctx.actor.role !== "system" && !mayOverrideFees(ctx.actor.role))
    return new DomainError(
      "FORBIDDEN",
      `This no-show carries a ${formatMoney(fee.amountCents, fee.currency)} fee — only owners and admins can undo it.`,
    );
  const draft = startDraft(state, ctx);
  draft.emit({ type: "booking.updated", booking: { ...booking, status: "cancelled", updatedAt: ctx.now, creditUsed: false } });
  if (booking.creditUsed) {
    const credits = (draft.state.members[booking.memberId]?.credits ?? 0) + 1;
    draft.emit({ type: "credits.changed", memberId: booking.memberId, credits });
  }
  if (fee) draft.emit({ type: "fee.waived", fee: { ...fee, waived: true } });
  draft.emit({
    type: "noShow.undone",
    memberId: booking.memberId,
    reason: command.reason,
    feeCents: fee?.amountCents ?? 0,
    currency: fee?.currency ?? state.feePolicy.currency,
    creditReturned: booking.creditUsed,
  });
  return draft.done({
    status: "excused",
    bookingId: booking.id,
    feeWaivedCents: fee?.amountCents ?? 0,
    creditReturned: booking.creditUsed,
  });
}

/**
 * After the class ends (staff or the room timer): every still-booked member becomes
 * `no_show` with a no-show fee, open waitlist entries end (`expired`, CLASS_OVER), and the
 * session becomes `completed`.
 */
export function closeClass(
  state: ClassState,
  command: { sessionId?: string },
  ctx: CommandContext,
): Outcome<{ status: "completed"; noShowMemberIds: string[] }> {
  const refused = checkStaff(state, ctx, command.sessionId);
  if (refused) return refused;
  if (state.session.status === "cancelled") return new DomainError("CLASS_CANCELLED");
  if (state.session.status === "completed") return new DomainError("CLASS_COMPLETED");
  if (ctx.now < state.session.endsAt) return new DomainError("CLASS_NOT_OVER");
  const draft = startDraft(state, ctx);
  const absent = state.bookings.filter((b) => b.status === "booked");
  for (const booking of absent) {
    releaseBooking(draft, booking, "no_show", false);
    recordFee(draft, booking, "no_show", false);
  }
  const open = state.waitlist.filter(isOpenEntry);
  if (open.length > 0) {
    updateWaitlist(
      draft,
      open.map((e) => ({ ...e, status: "expired" as const, reason: "CLASS_OVER", updatedAt: ctx.now })),
    );
  }
  draft.emit({ type: "session.updated", session: { ...state.session, status: "completed" } });
  return draft.done({ status: "completed", noShowMemberIds: absent.map((b) => b.memberId) });
}

/** Alias of {@link closeClass}: marks all booked-but-absent members as no-shows. */
export const markNoShows = closeClass;
