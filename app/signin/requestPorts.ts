/**
 * What the sign-in requests on the socket need besides sessions and invitations ("where I'm signed in", ending a
 * staff member's sessions, invitations, the mail outbox's state); `server/persistence/signInRequestStore.ts`
 * implements {@link SignInRequestStore} over PostgreSQL.
 */
import type { Clock, StaffReadLog } from "../requestContext.js";
import type { Invitations } from "./invitations.js";
import type { InvitationStore } from "./ports.js";
import type { Sessions } from "./sessions.js";
import type { RevocationAnnouncer } from "../access/ports.js";

export interface MailState {
  mailId: string;
  to: string;
  template: string;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: number | null;
  sentAt: number | null;
  nextAttemptAt: number | null;
}

/** An invitation mail's delivery state (never its content: it holds the link). */
export interface InvitationMail {
  to: string;
  createdAt: number;
  state: { status: string; attempts: number; lastError: string | null; sentAt: number | null; nextAttemptAt: number | null };
}

/** One person on a gym's staff, as the Staff screen lists them. */
export interface StaffPerson {
  memberId: string;
  name: string;
  email: string;
  role: string;
  status: string;
}

export interface SignInRequestStore {
  /** The person's role in the gym, or null without a membership. */
  roleIn(gymId: string, userId: string): Promise<string | null>;
  /** Every token of `memberId` issued until `at` stops working, audited as the staff action in the same transaction. */
  revokeStaffTokens(gymId: string, memberId: string, by: { actorId: string; commandId: string | null }, at: number): Promise<void>;
  /** The gym's staff (owners, admins, coaches, front desk; any status but cancelled), by role then name, at most 500. */
  staff(gymId: string): Promise<StaffPerson[]>;
  /**
   * Cancels a staff membership and revokes every token of the person issued until `at`, audited as
   * `gym:deactivateStaff` in the same transaction. Null when they are not on the staff; "owner" when only an owner may.
   */
  deactivateStaff(
    gymId: string,
    memberId: string,
    by: { actorId: string; role: string; commandId: string | null },
    at: number,
  ): Promise<{ role: string } | null | "owner">;
  /** The gym's name and the inviter's. */
  inviteNames(gymId: string, inviterId: string): Promise<{ gymName: string | null; inviterName: string | null }>;
  openInvitations(gymId: string, now: number): Promise<number>;
  /** The newest 100 outgoing mails' state (never their content). */
  mailOutbox(gymId: string): Promise<MailState[]>;
  /** The gym's invitation and sign-up mails queued at or after `from`, oldest first (at most 1000; state only). */
  invitationMails(gymId: string, from: number): Promise<InvitationMail[]>;
}

export interface SignInRequestPorts {
  store: SignInRequestStore;
  sessions: Sessions;
  invitations: Invitations;
  invitationStore: InvitationStore;
  announce: RevocationAnnouncer;
  readAudit: StaffReadLog;
  now: Clock;
  /** Runs after the answer is on its way. */
  afterAnswer: (run: () => void) => void;
}
