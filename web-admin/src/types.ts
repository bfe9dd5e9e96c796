import type { WalkInOffer } from "../../domain/checkin/walkInOffer.js";
import type { CheckInDenial, MembershipStatus, Role } from "../../domain/model.js";

/** `gym:me` answer: who I am in the gym this app manages. */
export interface StaffMe {
  userId: string;
  name: string;
  role: Role;
  gymId: string;
  gymName: string;
  timeZone: string;
  currency: string;
  /** The owner still has the set-up wizard ahead (a gym made by `npm run gym:create`). */
  needsSetup?: boolean;
}

/** One line of `user:me`'s gym list. */
export interface MyGymLine {
  gymId: string;
  gymName: string;
  role: Role;
  status: MembershipStatus;
}

/** `gym:searchMembers` line. */
export interface MemberHit {
  memberId: string;
  name: string;
  email: string;
  phone: string | null;
  role: Role;
  status: MembershipStatus;
  planName: string | null;
}

/** `gym:memberProfile` answer (fees/plan/credits are null for roles that may not see them). */
export interface MemberProfile {
  memberId: string;
  name: string;
  email: string;
  phone: string | null;
  birthday: string | null;
  emergencyContact: string;
  role: Role;
  status: MembershipStatus;
  frozenUntil: string | null;
  tags: string[];
  notes: string;
  joinedAt: number;
  /** Ever signed in; when this gym's open invitation to them was made (null: none open). */
  signIn: { signedIn: boolean; invitedAt: number | null };
  plan: { name: string; weeklyTarget: number } | null;
  credits: number | null;
  creditsExpireAt: number | null;
  upcoming: ProfileBooking[];
  history: ProfileBooking[];
  streak: number;
  fees: { id: string; kind: string; amountCents: number; currency: string; createdAt: number; waived: boolean }[] | null;
}

export interface ProfileBooking {
  bookingId: string;
  sessionId: string;
  status: string;
  startsAt: number;
  className: string;
}

/** `gym:attendanceSeries` answer. */
export interface AttendanceSeries {
  days: { date: string; checkedIn: number; booked: number }[];
}

/** `gym:checkIn` answer. */
export interface DeskCheckInResult {
  status: "checked_in" | "already_checked_in" | "denied";
  reason?: CheckInDenial | string;
  message?: string;
  memberName?: string;
  memberId?: string | null;
  className?: string | null;
  /** A frozen member's last frozen day (gym date), when the refusal is MEMBERSHIP_FROZEN. */
  frozenUntil?: string | null;
  /** An accepted check-in: the member's active-day streak with it (null when the server had no resident copy). */
  streak?: number | null;
  /** Not booked (NO_BOOKING): the class the desk would check them into, to book (or waitlist) and check in in one step. */
  walkIn?: WalkInOffer;
  /** Denied: whether staff may check them in anyway with a reason (docs/domain.md "Walk-ins and overrides"). */
  overridable?: boolean;
  /** Checked in despite a refusal: the reason staff gave, and the refusal it overrode. */
  override?: string;
  overridden?: string;
}

/** One `gym:auditLog` row. */
export interface AuditEntry {
  seq: number;
  at: number;
  actorId: string | null;
  actorName: string | null;
  role: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  summary: { before: Record<string, unknown> | null; after: Record<string, unknown> | null };
  commandId: string | null;
  hash: string;
  /** The member the row is about (from its summary's memberId), when known. */
  subjectName?: string | null;
  /** The class it touched (through its booking, waitlist place, check-in, fee or session), when known. */
  className?: string | null;
  startsAt?: number | null;
}

/** `gym:auditLog` answer. */
export interface AuditPage {
  rows: AuditEntry[];
  nextBeforeSeq: number | null;
}

/** A plan as `gym:plans` lists it. */
export interface PlanLine {
  planId: string;
  name: string;
  kind: "unlimited" | "weekly" | "pack" | "drop_in" | "trial";
  priceCents: number;
  billingPeriod: "once" | "week" | "month" | "year";
  entitlement: { kind: "unlimited" } | { kind: "weekly"; classesPerWeek: number } | { kind: "pack"; credits: number; validDays: number };
  weeklyTarget: number;
  classTypeIds: string[];
  archived: boolean;
}

/** A member's account as `gym:memberAccount` answers it. */
export interface MemberAccount {
  memberId: string;
  status: string;
  frozenUntil: string | null;
  plan: PlanLine | null;
  credits: number | null;
  creditsExpireAt: number | null;
  owedCents: number;
  ledger: {
    id: string;
    at: number;
    kind: string;
    amount: number;
    balanceAfter: number;
    actorId: string | null;
    reason: string;
    ref: string | null;
  }[];
  charges: {
    id: string;
    kind: string;
    description: string;
    amountCents: number;
    currency: string;
    status: "open" | "paid" | "waived";
    createdAt: number;
    method: string | null;
    note: string;
    /** A refund's paid charge (kind `refund`); null otherwise. */
    refundOf: string | null;
  }[];
}
