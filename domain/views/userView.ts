import { classWindows } from "../class/windows.js";
import type { Notice } from "../notices/inbox.js";
import type { Booking, BookingStatus, ClassSession, WaitlistEntry, WaitlistStatus } from "../model.js";

/** One of my bookings, labelled. */
export interface MyBooking {
  bookingId: string;
  sessionId: string;
  gymId: string;
  className: string;
  locationName: string;
  startsAt: number;
  endsAt: number;
  status: BookingStatus;
  lateCancelAt: number;
  lateCancelFeeCents: number;
  /** The waitlist pushed this booking on the member after the cut-off: cancelling costs no fee. */
  lateCancelFeeWaived: boolean;
  currency: string;
}

/** How a booking looks in its member's own room. */
export function myBookingOf(
  b: Booking,
  s: ClassSession,
  labels: { className: string; locationName: string },
  fees: { lateCancelFeeCents: number; currency: string },
): MyBooking {
  const lateCancelAt = classWindows(s).lateCancelAt;
  return {
    bookingId: b.id,
    sessionId: s.id,
    gymId: s.gymId,
    className: labels.className,
    locationName: labels.locationName,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    status: b.status,
    lateCancelAt,
    lateCancelFeeCents: fees.lateCancelFeeCents,
    lateCancelFeeWaived: b.promotedFromWaitlist && b.createdAt >= lateCancelAt,
    currency: fees.currency,
  };
}

/** How a waitlist entry looks in its member's own room. */
export function myPlaceOf(e: WaitlistEntry, s: ClassSession, className: string): MyWaitlistPlace {
  return {
    entryId: e.id,
    sessionId: s.id,
    gymId: s.gymId,
    className,
    startsAt: s.startsAt,
    position: e.position,
    status: e.status,
    offerExpiresAt: e.offerExpiresAt,
  };
}

/** One of my waitlist places. */
export interface MyWaitlistPlace {
  entryId: string;
  sessionId: string;
  gymId: string;
  className: string;
  startsAt: number;
  position: number;
  status: WaitlistStatus;
  offerExpiresAt: number | null;
}

// A notice is the inbox's (notices/inbox.ts); named here too, as the user room's view carries them.

/** A member's own room: only they watch it. */
export interface UserView {
  bookings: Record<string, MyBooking>;
  waitlist: Record<string, MyWaitlistPlace>;
  /** My latest notices (the newest `INBOX_RESIDENT`); older ones page in with `inbox:page`. */
  notices: Record<string, Notice>;
  /** How many of all my notices are unread (the badge). */
  unread: number;
  /**
   * Moves (by one) each time my plan, credits, status, charges, signatures or photo change, so my "Me" screen reads my
   * account again without a reload; absent until the first change in this room's life.
   */
  account?: number;
}
