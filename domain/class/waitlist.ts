/**
 * Leaving the waitlist, claiming a held spot, and expiring unclaimed offers.
 */
import { DomainError } from "../errors.js";
import { startDraft } from "./draft.js";
import type { Outcome } from "./draft.js";
import { checkScheduled, checkScope, entitlementError, resolveMember } from "./guards.js";
import { fillOpenSpots } from "./promotion.js";
import { bookMember, endEntry, updateWaitlist } from "./roster.js";
import { openEntryOf } from "./state.js";
import type { ClassState, CommandContext } from "./state.js";
import type { ClassCommandPayload } from "../protocol/commands.js";

/** `class:leaveWaitlist` / `class:claimOffer`; staff may act for `memberId`. */
export type WaitlistCommand = ClassCommandPayload<"class:leaveWaitlist">;

/**
 * Takes the member off the waitlist; positions behind them move up. Leaving while a spot is
 * offered releases the spot to the next in line.
 */
export function leaveWaitlist(state: ClassState, command: WaitlistCommand, ctx: CommandContext): Outcome<{ status: "left" }> {
  const who = resolveMember(state, ctx, command);
  if (who instanceof DomainError) return who;
  const entry = openEntryOf(state, who.standing.memberId);
  if (entry === undefined) return new DomainError("NOT_WAITLISTED");
  const draft = startDraft(state, ctx);
  endEntry(draft, entry, "left", null);
  if (entry.status === "offered") fillOpenSpots(draft);
  return draft.done({ status: "left" });
}

/**
 * Offer mode: books the spot held for the member. Refused with NO_OFFER when nothing is held
 * or the offer expired; entitlement is checked again (the offer stays if it fails).
 * A claimed spot counts as the member's own choice: normal late-cancel rules apply.
 */
export function claimOffer(
  state: ClassState,
  command: WaitlistCommand,
  ctx: CommandContext,
): Outcome<{ status: "booked"; bookingId: string }> {
  const who = resolveMember(state, ctx, command);
  if (who instanceof DomainError) return who;
  const closed = checkScheduled(state);
  if (closed) return closed;
  const entry = openEntryOf(state, who.standing.memberId);
  if (entry === undefined || entry.status !== "offered") return new DomainError("NO_OFFER");
  if (entry.offerExpiresAt !== null && ctx.now >= entry.offerExpiresAt) {
    return new DomainError("NO_OFFER", "Your offer expired — the spot went to the next person on the waitlist.");
  }
  const notEntitled = entitlementError(who.standing, ctx.now, state);
  if (notEntitled) return notEntitled;
  const draft = startDraft(state, ctx);
  const booking = bookMember(draft, who.standing, false);
  endEntry(draft, entry, "promoted", null);
  return draft.done({ status: "booked", bookingId: booking.id });
}

/**
 * Ends every offer whose claim window has passed (`offerExpiresAt <= now`) and passes the
 * spots on. Safe to call at any time (room timer); with nothing due it returns no events.
 */
export function expireOffers(state: ClassState, ctx: CommandContext): Outcome<{ expired: number }> {
  const scope = checkScope(state, ctx);
  if (scope) return scope;
  const due = state.waitlist.filter((e) => e.status === "offered" && e.offerExpiresAt !== null && e.offerExpiresAt <= ctx.now);
  const draft = startDraft(state, ctx);
  if (due.length === 0) return draft.done({ expired: 0 });
  updateWaitlist(
    draft,
    due.map((e) => ({ ...e, status: "expired" as const, reason: "OFFER_EXPIRED", updatedAt: ctx.now })),
  );
  for (const e of due) draft.emit({ type: "offer.expired", memberId: e.memberId, entryId: e.id });
  fillOpenSpots(draft);
  return draft.done({ expired: due.length });
}
