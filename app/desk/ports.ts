/**
 * What the staff reads of the desk and the office need (member search and profile, attendance series, the audit
 * trail); `server/persistence/deskReads.ts` implements them over PostgreSQL (the search over resident members when
 * this node holds them in memory).
 */
import type { MembershipStatus, Role } from "../../domain/model.js";
import type { RequestPayload } from "../../domain/protocol/requests.js";
import type { Clock, StaffReadLog } from "../requestContext.js";

export interface MemberHit {
  memberId: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  role: string | null;
  status: string | null;
  planName: string | null;
}

export interface ProfileBase {
  member: { id: string; name: string; email: string; phone: string | null; birthday: string | null; emergencyContact: string };
  membership: {
    role: Role;
    status: MembershipStatus;
    notes: string;
    joinedAt: number;
    planId: string | null;
    credits: number | null;
    creditsExpireAt: number | null;
    tags: string[];
    frozenUntil: string | null;
  };
  /** Whether the person ever signed in, and when this gym's open invitation to their address was made (null: none). */
  signIn: { signedIn: boolean; invitedAt: number | null };
  timeZone: string;
}

export interface ProfileDetail {
  plan: { name: string; entitlement: unknown; weeklyTarget: number } | null;
  /** Newest 100 bookings with their class, those whose session is gone left out. */
  bookings: { bookingId: string; sessionId: string; status: string; startsAt: number; className: string }[];
  /** Attendance and workout-log times in the last 120 days. */
  activeAt: number[];
  fees: { id: string; kind: string; amountCents: number; currency: string; createdAt: number; waived: boolean }[];
}

export type AuditLogQuery = RequestPayload<"gym:auditLog">;

export interface DeskReads {
  /** Members whose name, email or phone contains `q`. */
  searchMembers(gymId: string, q: string, limit: number): Promise<MemberHit[]>;
  profileBase(gymId: string, memberId: string): Promise<ProfileBase | null>;
  profileDetail(gymId: string, memberId: string, planId: string | null, now: number): Promise<ProfileDetail>;
  timeZone(gymId: string): Promise<string>;
  /** Start times and statuses of the gym's live and attended bookings with sessions in [from, to). */
  bookingsBetween(gymId: string, from: number, to: number): Promise<{ startsAt: number; status: string }[]>;
  /** The gym's audit trail newest first (anchors left out), with the names a manager reads. */
  auditLog(gymId: string, query: AuditLogQuery, limit: number): Promise<{ rows: Record<string, unknown>[]; nextBeforeSeq: number | null }>;
}

export interface DeskPorts {
  reads: DeskReads;
  readAudit: StaffReadLog;
  now: Clock;
}
