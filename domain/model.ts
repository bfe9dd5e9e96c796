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

export type { Instant } from "./instant.js";
import type { Instant } from "./instant.js";
import type { PromotionMode } from "./classModel.js";

export const Roles = ["owner", "admin", "coach", "front_desk", "member"] as const;
/** A person's role in one gym. */
export type Role = (typeof Roles)[number];

/** Roles that work at the gym (everything but `member`). */
export const StaffRoles = ["owner", "admin", "coach", "front_desk"] as const satisfies readonly Role[];

export const MembershipStatuses = ["pending", "active", "frozen", "past_due", "cancelled"] as const;
export type MembershipStatus = (typeof MembershipStatuses)[number];

/** Where a missing waiver signature refuses: nowhere, at check-in, or at booking and check-in (docs/domain.md "Policies and waivers"). */
export const WaiverEnforcements = ["off", "check_in", "booking"] as const;
export type WaiverEnforcement = (typeof WaiverEnforcements)[number];

/** A published version of one of the gym's policy documents as the live rooms need it. */
export interface WaiverVersionRef {
  /** Unique in the gym, across its documents. */
  version: string;
  effectiveAt: Instant;
  /** Which document ("waiver", "house-rules"); absent = "waiver", the liability waiver every gym had first. */
  document?: string;
  /** Where a missing acceptance of this version refuses; absent = the gym's default `waiverRequired` (versions published before it was per version). */
  required?: WaiverEnforcement;
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
  /**
   * Where a missing acceptance refuses, for versions published without their own `required` (docs/domain.md
   * "Policies"); absent = "off".
   */
  waiverRequired?: WaiverEnforcement;
  /** The published versions of every policy document the rooms check against (kept by `gym:publishWaiver`). */
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
  { kind: "unlimited" } | { kind: "weekly"; classesPerWeek: number } | { kind: "pack"; credits: number; validDays: number };

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
  /** The current plan's first and last day (gym dates, inclusive; null = open); it entitles classes on those days only. */
  planStartsOn?: string | null;
  planEndsOn?: string | null;
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

// Class sessions and what happens in them (bookings, waitlist, check-ins, fees, attendance): domain/classModel.ts.
export * from "./classModel.js";
