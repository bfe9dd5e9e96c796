import type { BookingStatus, WaitlistStatus } from "../model.js";

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
  currency: string;
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

/** Something to tell me at once ("You're in: Thu 07:00 Strength"). */
export interface Notice {
  id: string;
  at: number;
  kind: "promoted" | "offered" | "offer_expired" | "class_cancelled" | "spot_open" | "skipped";
  text: string;
  sessionId: string;
}

/** A member's own room: only they watch it. */
export interface UserView {
  bookings: Record<string, MyBooking>;
  waitlist: Record<string, MyWaitlistPlace>;
  notices: Record<string, Notice>;
}
