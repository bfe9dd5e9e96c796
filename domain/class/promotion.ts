/**
 * Filling freed spots from the waitlist, strictly in position order.
 */
import type { Draft } from "./draft.js";
import { entitlementError } from "./guards.js";
import { bookMember, endEntry, updateWaitlist } from "./roster.js";
import { queue, spotsLeft } from "./state.js";
import { classWindows } from "./windows.js";

const MINUTE = 60_000;

/**
 * Offers or books free spots to the first eligible waiting members, skipping (with a reason)
 * those who can no longer book. After the auto-promotion cut-off nothing is promoted; the
 * waiting members are told spots are open instead. Returns how many members were promoted
 * or offered a spot.
 */
export function fillOpenSpots(draft: Draft): number {
  let filled = 0;
  for (;;) {
    const state = draft.state;
    if (state.session.status !== "scheduled") return filled;
    const free = spotsLeft(state);
    const waiting = queue(state).filter((e) => e.status === "waiting");
    const first = waiting[0];
    if (free <= 0 || first === undefined) return filled;
    const { now } = draft.ctx;
    if (now >= classWindows(state.session).autoPromoteUntil) {
      draft.emit({ type: "waitlist.spotOpenNoPromotion", memberIds: waiting.map((e) => e.memberId), spots: free });
      return filled;
    }
    const standing = state.members[first.memberId];
    const problem = standing === undefined ? "UNKNOWN_MEMBER" : entitlementError(standing, now, state)?.code;
    if (standing === undefined || problem !== undefined) {
      const reason = problem ?? "UNKNOWN_MEMBER";
      endEntry(draft, first, "skipped", reason);
      draft.emit({ type: "waitlist.skipped", memberId: first.memberId, entryId: first.id, reason });
      continue;
    }
    filled += 1;
    if (state.session.promotionMode === "automatic") {
      const booking = bookMember(draft, standing, true);
      endEntry(draft, first, "promoted", null);
      draft.emit({ type: "member.promoted", memberId: first.memberId, bookingId: booking.id });
    } else {
      const expiresAt = Math.min(now + state.session.offerClaimMinutes * MINUTE, state.session.startsAt);
      updateWaitlist(draft, [{ ...first, status: "offered", offerExpiresAt: expiresAt, updatedAt: now }]);
      draft.emit({ type: "member.offered", memberId: first.memberId, entryId: first.id, expiresAt });
    }
  }
}
