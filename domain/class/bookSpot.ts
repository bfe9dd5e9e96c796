/**
 * Booking a spot, or joining the waitlist when the class is full.
 */
import { DomainError } from "../errors.js";
import type { WaitlistEntry } from "../model.js";
import { startDraft } from "./draft.js";
import type { Outcome } from "./draft.js";
import { formatWhen } from "../format.js";
import { checkScheduled, consentError, entitlementError, resolveMember, waiverError } from "./guards.js";
import { bookMember, endEntry, updateWaitlist } from "./roster.js";
import { liveBookingOf, openEntryOf, queue, spotsLeft } from "./state.js";
import type { ClassState, CommandContext } from "./state.js";
import { classWindows } from "./windows.js";
import type { ClassCommandPayload } from "../protocol/commands.js";

/** `class:book`. Staff may book for a member by passing `memberId`. */
export type BookSpot = ClassCommandPayload<"class:book">;

/** Ack value of {@link bookSpot}. */
export type BookSpotResult =
  { status: "booked"; bookingId: string; spotsLeft: number } | { status: "waitlisted"; entryId: string; position: number };

/**
 * Books a spot for the member, or puts them on the waitlist when full and asked to.
 * A member who cancelled may book again: that creates a new booking (history is kept).
 * After the auto-promotion cut-off, a waiting member may take an open spot directly.
 */
export function bookSpot(state: ClassState, command: BookSpot, ctx: CommandContext): Outcome<BookSpotResult> {
  const who = resolveMember(state, ctx, command);
  if (who instanceof DomainError) return who;
  const { standing } = who;
  const { now } = ctx;
  const closed = checkScheduled(state);
  if (closed) return closed;
  const windows = classWindows(state.session);
  if (now < windows.bookingOpensAt) {
    const when = formatWhen(windows.bookingOpensAt, state.timeZone);
    return new DomainError("BOOKING_NOT_OPEN", `Booking opens ${when}.`, {
      details: { opensAt: windows.bookingOpensAt },
    });
  }
  if (now >= windows.bookingClosesAt) return new DomainError("BOOKING_CLOSED");
  if (liveBookingOf(state, standing.memberId)) return new DomainError("ALREADY_BOOKED");

  const entry = openEntryOf(state, standing.memberId);
  const afterCutoff = now >= windows.autoPromoteUntil;
  if (entry !== undefined) {
    if (entry.status === "offered") {
      return new DomainError("ALREADY_WAITLISTED", "A spot is held for you — claim it before the offer expires.");
    }
    if (!afterCutoff || spotsLeft(state) === 0) return new DomainError("ALREADY_WAITLISTED");
  }
  const notEntitled = entitlementError(standing, now, state);
  if (notEntitled) return notEntitled;
  const notConsented = consentError(standing);
  if (notConsented) return notConsented;
  const unsigned = waiverError(standing, now);
  if (unsigned) return unsigned;

  const draft = startDraft(state, ctx);
  // Before the cut-off a free spot belongs to the queue first; newcomers never jump it.
  const queueAhead = !afterCutoff && queue(state).some((e) => e.status === "waiting");
  if (spotsLeft(state) > 0 && !queueAhead) {
    const booking = bookMember(draft, standing, false);
    if (entry !== undefined) endEntry(draft, entry, "promoted", null);
    return draft.done({ status: "booked", bookingId: booking.id, spotsLeft: spotsLeft(draft.state) });
  }

  if (command.waitlist !== true) return new DomainError("CLASS_FULL");
  const limit = state.session.waitlistLimit;
  if (limit <= 0) return new DomainError("WAITLIST_DISABLED");
  const open = queue(state);
  if (open.length >= limit) return new DomainError("WAITLIST_FULL");
  const joined: WaitlistEntry = {
    id: ctx.newId(),
    gymId: state.session.gymId,
    sessionId: state.session.id,
    memberId: standing.memberId,
    position: open.length + 1,
    status: "waiting",
    createdAt: now,
    updatedAt: now,
    offerExpiresAt: null,
    reason: null,
  };
  updateWaitlist(draft, [joined]);
  return draft.done({ status: "waitlisted", entryId: joined.id, position: joined.position });
}
