/**
 * The class side of the data model (conventions in domain/model.ts): class types, sessions and their recurring
 * schedules, bookings, the waitlist, check-ins, fees and attendance. Re-exported by domain/model.ts.
 */
import type { Instant } from "./instant.js";

export const PromotionModes = ["automatic", "offer"] as const;
/** automatic: a freed spot is booked for the first eligible waitlisted member at once; offer: it is held for a claim window. */
export type PromotionMode = (typeof PromotionModes)[number];

export interface ClassType {
  id: string;
  gymId: string;
  name: string;
  description: string;
  color: string;
  /** Overrides the gym policy's promotion mode for sessions of this type. */
  promotionMode: PromotionMode | null;
  /** Archived: no new classes of this type; existing ones keep it (class types are never deleted). */
  archived?: boolean;
}

export const SessionStatuses = ["scheduled", "cancelled", "completed"] as const;
export type SessionStatus = (typeof SessionStatuses)[number];

export interface ClassSession {
  id: string;
  gymId: string;
  locationId: string;
  classTypeId: string;
  /** User id of the coach. */
  coachId: string | null;
  /** Recurring schedule that generated this session, if any. */
  scheduleId: string | null;
  /** The room of its location it is in (null: none named). */
  roomId: string | null;
  startsAt: Instant;
  endsAt: Instant;
  capacity: number;
  status: SessionStatus;
  cancelReason: string | null;
  promotionMode: PromotionMode;
  bookingOpensMinutes: number;
  bookingClosesMinutes: number;
  lateCancelMinutes: number;
  autoPromoteCutoffMinutes: number;
  checkInOpensMinutes: number;
  checkInClosesMinutes: number;
  waitlistLimit: number;
  offerClaimMinutes: number;
}

/** A weekly rule: every listed weekday at a local time, between two dates, except listed dates. */
export interface RecurringSchedule {
  id: string;
  gymId: string;
  locationId: string;
  classTypeId: string;
  coachId: string | null;
  /** The room of its location its classes are in (null or absent: none named). */
  roomId?: string | null;
  /** 0 = Sunday ... 6 = Saturday, in the gym's time zone. */
  weekdays: number[];
  /** Local wall-clock start, "HH:MM". */
  startTime: string;
  durationMinutes: number;
  capacity: number;
  /** Local dates "YYYY-MM-DD", inclusive. */
  startDate: string;
  endDate: string;
  /** Local dates "YYYY-MM-DD" on which no session is generated. */
  exceptions: string[];
}

export const BookingStatuses = ["booked", "cancelled", "late_cancelled", "checked_in", "no_show"] as const;
export type BookingStatus = (typeof BookingStatuses)[number];
/** A booking in one of these states holds a spot; at most one per member per session. */
export const LiveBookingStatuses = ["booked", "checked_in"] as const satisfies readonly BookingStatus[];

export interface Booking {
  id: string;
  gymId: string;
  sessionId: string;
  memberId: string;
  status: BookingStatus;
  createdAt: Instant;
  updatedAt: Instant;
  /** A pack credit was consumed for this booking (refunded on a timely cancel). */
  creditUsed: boolean;
  /** The booking came from the waitlist by automatic promotion (never charged a late-cancel fee for that). */
  promotedFromWaitlist: boolean;
}

export const WaitlistStatuses = ["waiting", "offered", "promoted", "expired", "left", "skipped"] as const;
export type WaitlistStatus = (typeof WaitlistStatuses)[number];

export interface WaitlistEntry {
  id: string;
  gymId: string;
  sessionId: string;
  memberId: string;
  /** 1-based among the entries still waiting/offered; contiguous. */
  position: number;
  status: WaitlistStatus;
  createdAt: Instant;
  updatedAt: Instant;
  /** Offer mode: the held spot expires at this instant. */
  offerExpiresAt: Instant | null;
  /** Why the entry was skipped or expired, for staff. */
  reason: string | null;
}

/** Where a check-in is made, as a client may name it. */
export const DeviceCheckInSources = ["desk", "qr", "kiosk", "app", "door"] as const;
/** `offline_desk`: decided at the desk while it was offline, sent on reconnect (the server decides again; never a client's claim). */
export const CheckInSources = [...DeviceCheckInSources, "offline_desk"] as const;
export type CheckInSource = (typeof CheckInSources)[number];

export const CheckInDenials = [
  "MEMBERSHIP_FROZEN",
  "MEMBERSHIP_PAST_DUE",
  "MEMBERSHIP_CANCELLED",
  "MEMBERSHIP_PENDING",
  "UNKNOWN_MEMBER",
  "NO_BOOKING",
  "OUTSIDE_CHECK_IN_WINDOW",
  "CLASS_CANCELLED",
  "WAIVER_NOT_SIGNED",
  "CLASS_NOT_COVERED",
] as const;
export type CheckInDenial = (typeof CheckInDenials)[number];

export interface CheckIn {
  id: string;
  gymId: string;
  /** Null when the member could not be identified (unknown code). */
  memberId: string | null;
  sessionId: string | null;
  source: CheckInSource;
  result: "accepted" | "denied";
  reason: CheckInDenial | null;
  at: Instant;
  /** Staff user who performed it, if not the member. */
  byUserId: string | null;
  /** Offline desk only: the desk's clock when it decided (`at` is that clamped to [last sync, receipt]). */
  deviceAt?: Instant | null;
  /** Offline desk only: when the server received it. */
  receivedAt?: Instant | null;
  /** Staff checked the member in despite a refusal: why (docs/domain.md "Walk-ins and overrides"). */
  override?: string | null;
}

export const FeeKinds = ["late_cancel", "no_show"] as const;
export type FeeKind = (typeof FeeKinds)[number];

export interface Fee {
  id: string;
  gymId: string;
  memberId: string;
  sessionId: string;
  bookingId: string;
  kind: FeeKind;
  amountCents: number;
  currency: string;
  createdAt: Instant;
  waived: boolean;
}

export interface AttendanceEvent {
  id: string;
  gymId: string;
  memberId: string;
  sessionId: string | null;
  at: Instant;
}
