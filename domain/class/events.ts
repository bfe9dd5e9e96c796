/**
 * Events of the class aggregate. State events carry the full new or changed records, so a
 * room can apply them and the persistence layer can upsert them as is; notification events
 * change nothing and only tell people.
 */
import type { AttendanceEvent, Booking, CheckIn, ClassSession, Fee, Instant, WaitlistEntry } from "../model.js";
import type { BoardEvent } from "../workouts/classBoard.js";
import type { MemberStanding } from "./state.js";

/** Events that change {@link ClassState}; persist them in order. */
export type ClassStateEvent =
  | { type: "booking.created"; booking: Booking }
  | { type: "booking.updated"; booking: Booking }
  /** Upsert of every entry that changed (status and/or renumbered position). */
  | { type: "waitlist.updated"; entries: WaitlistEntry[] }
  | { type: "fee.charged"; fee: Fee }
  /** A fee that would apply but is waived (auto-promoted after the late-cancel cut-off); recorded for staff. */
  | { type: "fee.waived"; fee: Fee }
  | { type: "credits.changed"; memberId: string; credits: number }
  | { type: "session.updated"; session: ClassSession }
  | { type: "attendance.recorded"; attendance: AttendanceEvent }
  | { type: "attendance.removed"; attendanceId: string }
  | { type: "checkin.recorded"; checkIn: CheckIn }
  /** A member's standing was (re)loaded, e.g. after buying credits at the desk. */
  | { type: "standing.updated"; standing: MemberStanding }
  /** The workout of the day was set, or a result logged (see `domain/class/workout.ts`). */
  | BoardEvent;

/** Events that only notify; applying them leaves the state unchanged. */
export type ClassNotificationEvent =
  /** A waitlisted member now has a booking (automatic or staff promotion). */
  | { type: "member.promoted"; memberId: string; bookingId: string }
  /** Offer mode: a spot is held for this member until `expiresAt`. */
  | { type: "member.offered"; memberId: string; entryId: string; expiresAt: Instant }
  /** Offer mode: the member did not claim in time. */
  | { type: "offer.expired"; memberId: string; entryId: string }
  /** A waitlisted member was passed over because they could no longer book. */
  | { type: "waitlist.skipped"; memberId: string; entryId: string; reason: string }
  /** Spots are open after the auto-promotion cut-off; these waitlisted members may book them. */
  | { type: "waitlist.spotOpenNoPromotion"; memberIds: string[]; spots: number }
  /** The class was cancelled; every booked or waitlisted member is told. */
  | { type: "class.cancelled"; memberIds: string[]; reason: string }
  /** Staff undid the member's no-show with a reason (fee waived, credit back): the member is told in words. */
  | { type: "noShow.undone"; memberId: string; reason: string; feeCents: number; currency: string; creditReturned: boolean };

/** Any event of the class aggregate. */
export type ClassEvent = ClassStateEvent | ClassNotificationEvent;

/** Type tags of notification events. */
export const NotificationEventTypes = [
  "member.promoted",
  "member.offered",
  "offer.expired",
  "waitlist.skipped",
  "waitlist.spotOpenNoPromotion",
  "class.cancelled",
  "noShow.undone",
] as const satisfies readonly ClassNotificationEvent["type"][];

/** Whether an event is a pure notification (changes no state). */
export function isNotification(event: ClassEvent): event is ClassNotificationEvent {
  return (NotificationEventTypes as readonly string[]).includes(event.type);
}
