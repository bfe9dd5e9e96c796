/**
 * Invitations (issue 17): a single-use link into a gym with a role, expiring after 7 days, revocable by owners and
 * admins. The first owner of a new gym gets one from `npm run gym:create`. Accepting proves the address (the link came
 * by mail), creates the account when needed and signs the person in.
 */
import { invitationMail, signUpMail } from "./mailTemplates.js";
import type { AuthLog, InvitationRecord, InvitationStore, MailQueue, RequestInfo, Secrets } from "./ports.js";
import type { SecondFactorTicket } from "./emailSignIn.js";
import type { Sessions, SignedIn } from "./sessions.js";

export const INVITATION_TTL_MS = 7 * 86_400_000;

export type InvitationRole = InvitationRecord["role"];

export type InvitationRefusal = { ok: false; code: "INVITATION_INVALID"; message: string };

export interface InvitationDeps {
  store: InvitationStore;
  secrets: Secrets;
  mail: MailQueue;
  log: AuthLog;
  sessions: Sessions;
  linkFor: (role: InvitationRole, secret: string) => string;
  now: () => number;
  /** The staff second-factor rule: a ticket when the new staff member must add a second step first, else null. */
  secondFactor?: (userId: string, method: "invitation") => Promise<SecondFactorTicket | null>;
  /** A membership was made: what nodes keep in memory about the person in that gym is read again. */
  onJoined?: (userId: string, gymId: string) => void;
}

export class Invitations {
  constructor(private readonly d: InvitationDeps) {}

  /** Creates an invitation and mails it; answers its link (the CLI prints it; staff screens never show it). */
  async invite(i: {
    gymId: string;
    gymName: string;
    email: string;
    role: InvitationRole;
    invitedBy: string | null;
    inviterName: string | null;
    ttlMs?: number;
    /** The person asked for it themselves (self sign-up): the mail asks them to confirm their address. */
    selfSignUp?: boolean;
    /** The policy versions they accepted when asking (self sign-up), recorded as consents when they join. */
    consents?: Record<string, string>;
  }): Promise<{ id: string; link: string; expiresAt: number }> {
    const now = this.d.now();
    const secret = this.d.secrets.token();
    const id = this.d.secrets.id();
    const expiresAt = now + (i.ttlMs ?? INVITATION_TTL_MS);
    const email = i.email.trim().toLowerCase();
    await this.d.store.create(
      { id, gymId: i.gymId, email, role: i.role, invitedBy: i.invitedBy, createdAt: now, expiresAt, consents: i.consents ?? null },
      this.d.secrets.hash(secret),
    );
    const link = this.d.linkFor(i.role, secret);
    await this.d.mail.enqueue(
      i.selfSignUp
        ? signUpMail(email, i.gymId, i.gymName, link)
        : invitationMail(email, i.gymId, i.gymName, i.role, i.inviterName, link, Math.round((expiresAt - now) / 86_400_000)),
    );
    await this.d.log.record({
      event: "invitation_created",
      at: now,
      userId: i.invitedBy,
      email,
      detail: { gymId: i.gymId, role: i.role, invitationId: id },
    });
    return { id, link, expiresAt };
  }

  /** What an invitation link offers (gym, role, address), or why it no longer works. */
  async preview(secret: string): Promise<{ ok: true; invitation: InvitationRecord } | InvitationRefusal> {
    const inv = await this.d.store.byToken(this.d.secrets.hash(secret));
    const refusal = this.refusal(inv);
    return refusal ?? { ok: true, invitation: inv! };
  }

  /** Accepts: account and membership made, invitation spent, signed in. */
  /**
   * Accepts: account and membership made, invitation spent, signed in — or, for staff of a gym that requires a second
   * factor, a ticket to set one up first (the invitation is spent either way; the person signs in by email later).
   */
  async accept(
    secret: string,
    name: string,
    request: RequestInfo,
  ): Promise<{ ok: true; signedIn: SignedIn } | { ok: true; secondFactor: SecondFactorTicket } | InvitationRefusal> {
    const hash = this.d.secrets.hash(secret);
    const inv = await this.d.store.byToken(hash);
    const refusal = this.refusal(inv);
    if (refusal) return refusal;
    const accepted = await this.d.store.accept(hash, name, this.d.now());
    if (!accepted) return { ok: false, code: "INVITATION_INVALID", message: "This invitation was just used — ask the gym for a new one." };
    this.d.onJoined?.(accepted.userId, accepted.gymId);
    await this.d.log.record({
      event: "invitation_accepted",
      at: this.d.now(),
      userId: accepted.userId,
      email: inv!.email,
      request,
      detail: { gymId: accepted.gymId, role: inv!.role },
    });
    const ticket = await this.d.secondFactor?.(accepted.userId, "invitation");
    if (ticket) return { ok: true, secondFactor: ticket };
    return { ok: true, signedIn: await this.d.sessions.completeSignIn({ userId: accepted.userId, method: "invitation", request }) };
  }

  private refusal(inv: InvitationRecord | null): InvitationRefusal | null {
    const now = this.d.now();
    if (!inv)
      return { ok: false, code: "INVITATION_INVALID", message: "This invitation link isn't valid — ask the gym to invite you again." };
    if (inv.revokedAt !== null)
      return { ok: false, code: "INVITATION_INVALID", message: `${inv.gymName} withdrew this invitation — ask them if that's a mistake.` };
    if (inv.acceptedAt !== null)
      return { ok: false, code: "INVITATION_INVALID", message: "This invitation was already used — sign in with your email instead." };
    if (inv.expiresAt <= now)
      return { ok: false, code: "INVITATION_INVALID", message: `This invitation expired — ask ${inv.gymName} to send a new one.` };
    return null;
  }
}
