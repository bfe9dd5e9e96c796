/**
 * The gym's data model as plain, serializable values.
 *
 * Conventions (used everywhere in `domain/`):
 * - ids are opaque strings (UUIDs generated outside the domain and passed in);
 * - instants are epoch milliseconds (`number`), never `Date`, so values cross the wire and
 *   the database mapping unchanged; "now" is always a parameter;
 * - money is integer cents in the gym's currency;
 * - every record carries `gymId`: nothing ever crosses gyms.
 */

import type { OpeningHours } from "./gymSetup.js";
import type { RequiredConsents } from "./privacy.js";

export type { LocationRoom, OpeningHours } from "./gymSetup.js";

/** Epoch milliseconds. */
export type Instant = number;

export const Roles = ["owner", "admin", "coach", "front_desk", "member"] as const;
/** A person's role in one gym. */
export type Role = (typeof Roles)[number];

/** Roles that work at the gym (everything but `member`). */
export const StaffRoles = ["owner", "admin", "coach", "front_desk"] as const satisfies readonly Role[];

export const MembershipStatuses = ["pending", "active", "frozen", "past_due", "cancelled"] as const;
export type MembershipStatus = (typeof MembershipStatuses)[number];

export const PromotionModes = ["automatic", "offer"] as const;
/** automatic: a freed spot is booked for the first eligible waitlisted member at once; offer: it is held for a claim window. */
export type PromotionMode = (typeof PromotionModes)[number];

/** Where a missing waiver signature refuses: nowhere, at check-in, or at booking and check-in (docs/domain.md "Policies and waivers"). */
export const WaiverEnforcements = ["off", "check_in", "booking"] as const;
export type WaiverEnforcement = (typeof WaiverEnforcements)[number];

/** A published waiver version as the live rooms need it: its name and from when it applies. */
export interface WaiverVersionRef {
  version: string;
  effectiveAt: Instant;
}

/** Gym-wide defaults; a class session copies the ones it needs when it is scheduled. */
export interface GymPolicy {
  /** Current terms/privacy-policy versions members must have accepted to book; absent = nothing required. */
  requiredConsents?: RequiredConsents;
  currency: string;
  lateCancelFeeCents: number;
  noShowFeeCents: number;
  promotionMode: PromotionMode;
  /** Offer mode: how long a held spot waits for the member to claim it. */
  offerClaimMinutes: number;
  /** Booking opens this many minutes before the class starts. */
  bookingOpensMinutes: number;
  /** Booking closes this many minutes before the class starts (0 = at start). */
  bookingClosesMinutes: number;
  /** Cancelling later than this many minutes before start is a late cancel. */
  lateCancelMinutes: number;
  /** No automatic promotion later than this many minutes before start. */
  autoPromoteCutoffMinutes: number;
  /** Check-in opens this many minutes before start ... */
  checkInOpensMinutes: number;
  /** ... and closes this many minutes after start. */
  checkInClosesMinutes: number;
  /** Maximum waitlist length per session (0 = no waitlist). */
  waitlistLimit: number;
  /** Where a missing waiver signature refuses (docs/domain.md "Policies and waivers"); absent = "off". */
  waiverRequired?: WaiverEnforcement;
  /** The published waiver versions the rooms check against (kept by `gym:publishWaiver`). */
  waiverVersions?: WaiverVersionRef[];
}

export interface Gym {
  id: string;
  name: string;
  /** IANA time zone, e.g. "Europe/Berlin"; days for streaks are counted in it. */
  timeZone: string;
  policy: GymPolicy;
  /** Members may check themselves in to their booked class from their phone, proving presence with the desk's rotating code. Off by default. */
  memberSelfCheckIn?: boolean;
  /** BCP 47 locale the apps format dates and money in ("en-GB"). */
  locale?: string;
  /** When the gym is open, per weekday (docs/domain.md "Setting up a gym"). */
  openingHours?: OpeningHours | null;
  /** The first owner still has the set-up wizard ahead (gyms made by `npm run gym:create`). */
  needsSetup?: boolean;
}

export interface Location {
  id: string;
  gymId: string;
  name: string;
  /** Where it is, as members should read it. */
  address?: string;
  /** Archived: no new classes here; its history stays (locations are never deleted). */
  archived?: boolean;
}


export interface User {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  /** Whether other members may see this person's first name on rosters and feeds. */
  visible: boolean;
  /** "YYYY-MM-DD"; staff-only. */
  birthday?: string | null;
  /** Who to call in an emergency (name and number, free text); staff-only. */
  emergencyContact?: string;
}

export const EntitlementKinds = ["unlimited", "weekly", "pack"] as const;
export type Entitlement =
  | { kind: "unlimited" }
  | { kind: "weekly"; classesPerWeek: number }
  | { kind: "pack"; credits: number; validDays: number };

export interface MembershipPlan {
  id: string;
  gymId: string;
  name: string;
  entitlement: Entitlement;
  /** Classes per week the member aims for; adherence is measured against it. */
  weeklyTarget: number;
  priceCents: number;
  /** How staff defined it (docs/domain.md "Plans, packs and the ledger"); absent on plans made before plans could be edited. */
  kind?: "unlimited" | "weekly" | "pack" | "drop_in" | "trial";
  billingPeriod?: "once" | "week" | "month" | "year";
  /** Class types it covers; empty = all. */
  classTypeIds?: string[];
  /** No longer sold; members keep it. */
  archived?: boolean;
}

/** A person's standing in one gym. `userId` is also the member id used by bookings. */
export interface GymMembership {
  id: string;
  gymId: string;
  userId: string;
  role: Role;
  status: MembershipStatus;
  planId: string | null;
  /** Remaining class-pack credits; null when the plan is not a pack. */
  credits: number | null;
  /** When pack credits expire; null = never. */
  creditsExpireAt: Instant | null;
  /** Staff-only free text (injuries, notes). */
  notes: string;
  joinedAt: Instant;
  /** While frozen: the last frozen day (gym date, inclusive) and why (docs/domain.md "Freezes"). */
  frozenUntil?: string | null;
  freezeReason?: string;
  /** Staff labels ("competition team", "physio referral"). */
  tags?: string[];
}

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
