/**
 * Staff commands on a class: manual promotion, capacity, cancelling the class.
 */
import { DomainError } from "../errors.js";
import { startDraft } from "./draft.js";
import type { Outcome } from "./draft.js";
import { checkScheduled, checkStaff, entitlementError } from "./guards.js";
import { fillOpenSpots } from "./promotion.js";
import { bookMember, endEntry, releaseBooking, updateWaitlist } from "./roster.js";
import { isLive, isOpenEntry, openEntryOf, queue, spotsLeft } from "./state.js";
import type { ClassState, CommandContext } from "./state.js";
import type { ClassCommandPayload } from "../protocol/commands.js";

/** `class:promote`: a given waitlisted member, or the first in line. */
export type PromoteFromWaitlist = ClassCommandPayload<"class:promote">;

/**
 * Staff books a waitlisted member now, also after the auto-promotion cut-off. Needs a free
 * spot (or the member's own held offer); staff may pick anyone on the list. The booking
 * counts as pushed on the member (no late-cancel fee if promoted after the cut-off).
 */
export function promoteFromWaitlist(
  state: ClassState,
  command: PromoteFromWaitlist,
  ctx: CommandContext,
): Outcome<{ status: "booked"; bookingId: string; memberId: string }> {
  const refused = checkStaff(state, ctx, command.sessionId) ?? checkScheduled(state);
  if (refused) return refused;
  const entry = command.memberId === undefined ? queue(state).find((e) => e.status === "waiting") : openEntryOf(state, command.memberId);
  if (entry === undefined) return new DomainError("NOT_WAITLISTED");
  if (entry.status !== "offered" && spotsLeft(state) === 0) {
    return new DomainError("CLASS_FULL", "No free spot — raise the capacity first.");
  }
  const standing = state.members[entry.memberId];
  if (standing === undefined) return new DomainError("NOT_FOUND");
  const notEntitled = entitlementError(standing, ctx.now, state);
  if (notEntitled) return notEntitled;
  const draft = startDraft(state, ctx);
  const booking = bookMember(draft, standing, true);
  endEntry(draft, entry, "promoted", null);
  draft.emit({ type: "member.promoted", memberId: entry.memberId, bookingId: booking.id });
  return draft.done({ status: "booked", bookingId: booking.id, memberId: entry.memberId });
}

/** `class:setCapacity`. */
export type ChangeCapacity = ClassCommandPayload<"class:setCapacity">;

/**
 * Sets the capacity. Raising it promotes from the waitlist (until the cut-off); lowering it
 * never removes anyone — new bookings are refused until the roster fits.
 */
export function changeCapacity(
  state: ClassState,
  command: ChangeCapacity,
  ctx: CommandContext,
): Outcome<{ capacity: number; spotsLeft: number; promoted: number }> {
  const refused = checkStaff(state, ctx, command.sessionId) ?? checkScheduled(state);
  if (refused) return refused;
  if (!Number.isInteger(command.capacity) || command.capacity < 0) {
    return new DomainError("VALIDATION_FAILED", undefined, { fields: { capacity: "Must be a whole number, 0 or more" } });
  }
  const draft = startDraft(state, ctx);
  draft.emit({ type: "session.updated", session: { ...state.session, capacity: command.capacity } });
  const promoted = fillOpenSpots(draft);
  return draft.done({ capacity: command.capacity, spotsLeft: spotsLeft(draft.state), promoted });
}

/** `class:cancel`. */
export type CancelClass = ClassCommandPayload<"class:cancel">;

/**
 * Cancels the class: every live booking is cancelled without fee and its credit refunded,
 * every open waitlist entry ends (`expired`, reason CLASS_CANCELLED), and everyone is told.
 */
export function cancelClass(
  state: ClassState,
  command: CancelClass,
  ctx: CommandContext,
): Outcome<{ status: "cancelled"; bookingsCancelled: number; waitlistEnded: number }> {
  const refused = checkStaff(state, ctx, command.sessionId) ?? checkScheduled(state);
  if (refused) return refused;
  const reason = command.reason.trim();
  if (reason === "") {
    return new DomainError("VALIDATION_FAILED", undefined, { fields: { reason: "Tell members why the class is cancelled" } });
  }
  const draft = startDraft(state, ctx);
  draft.emit({ type: "session.updated", session: { ...state.session, status: "cancelled", cancelReason: reason } });
  const live = state.bookings.filter(isLive);
  for (const booking of live) releaseBooking(draft, booking, "cancelled", true);
  const open = state.waitlist.filter(isOpenEntry);
  if (open.length > 0) {
    updateWaitlist(
      draft,
      open.map((e) => ({ ...e, status: "expired" as const, reason: "CLASS_CANCELLED", updatedAt: ctx.now })),
    );
  }
  const memberIds = [...live.map((b) => b.memberId), ...open.map((e) => e.memberId)];
  draft.emit({ type: "class.cancelled", memberIds, reason });
  return draft.done({ status: "cancelled", bookingsCancelled: live.length, waitlistEnded: open.length });
}
