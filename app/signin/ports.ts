/**
 * Ports of the sign-in use cases (issue 17). Adapters: server/persistence/sessionStore.ts (PostgreSQL),
 * server/signin/accessTokens.ts (jose), server/signin/secrets.ts (node:crypto). Nothing here does I/O itself.
 */

/** How someone proved who they are. A second factor adds to `factors`. */
export const SignInMethods = ["email_code", "email_link", "invitation", "passkey", "password", "oidc", "dev"] as const;
export type SignInMethod = (typeof SignInMethods)[number];

/** What a sign-in knows about the browser that asked (for "where I'm signed in" and the sign-in log). */
export interface RequestInfo {
  ip: string;
  userAgent: string;
}

/** A session as the store keeps it: one device, one family of rotating refresh tokens. */
export interface SessionRecord {
  id: string;
  userId: string;
  method: SignInMethod;
  factors: string[];
  userAgent: string;
  ip: string;
  createdAt: number;
  lastSeenAt: number;
  /** No refresh for this long ends the session. */
  idleExpiresAt: number;
  /** The session ends here whatever happens (sign in again). */
  expiresAt: number;
  endedAt: number | null;
  endReason: SessionEndReason | null;
}

export type SessionEndReason = "signed_out" | "signed_out_everywhere" | "ended_by_user" | "ended_by_staff" | "refresh_reused" | "expired";

/** What presenting a refresh token found. */
export type RotateOutcome =
  | { kind: "rotated"; session: SessionRecord }
  /** The token was already used: a replay. The store has ended the whole family in the same transaction. */
  | { kind: "reused"; session: SessionRecord }
  | { kind: "ended"; session: SessionRecord }
  | { kind: "unknown" };

export interface SessionStore {
  /** Stores a new session with its first refresh token (hash). */
  create(session: SessionRecord, refreshHash: string): Promise<void>;
  /**
   * Atomically: marks `presentedHash` used and stores `nextHash` for the same session, extending its idle expiry and
   * last-seen — or, when `presentedHash` was used before, ends the session (`refresh_reused`) and stores nothing.
   */
  rotate(presentedHash: string, nextHash: string, now: number, idleMs: number): Promise<RotateOutcome>;
  /** The session a refresh token (used or not) belongs to. */
  findByRefresh(refreshHash: string): Promise<SessionRecord | null>;
  /** Ends one session of `userId` (null when it is not theirs or already ended). */
  end(sessionId: string, userId: string, reason: SessionEndReason, now: number): Promise<SessionRecord | null>;
  /** Ends every live session of `userId`; the ids ended. */
  endAll(userId: string, reason: SessionEndReason, now: number): Promise<string[]>;
  /** Live sessions of `userId`, most recently seen first. */
  listLive(userId: string, now: number): Promise<SessionRecord[]>;
  /** The user's "tokens valid after" instant (0 when never revoked): new access tokens must be issued after it. */
  validAfter(userId: string): Promise<number>;
}

/** Signs short-lived access tokens (the socket's and HTTP's bearer). */
export interface AccessTokenSigner {
  sign(claims: { userId: string; sessionId: string; amr: string[]; issuedAtSeconds: number; ttlSeconds: number }): Promise<string>;
}

/** Random secrets and their one-way hashes (refresh tokens, links, codes are stored only hashed). */
export interface Secrets {
  /** A fresh id (UUID). */
  id(): string;
  /** A fresh unguessable token (≥ 256 bits, URL-safe). */
  token(): string;
  /** A uniformly random 6-digit code. */
  code(): string;
  /** Keyed hash of a secret, hex (64 chars): what the store keeps. */
  hash(secret: string): string;
}

/** Events of the sign-in log (append-only). */
export type AuthEventKind =
  | "sign_in"
  | "sign_in_failed"
  | "code_requested"
  | "refresh_reused"
  | "session_ended"
  | "signed_out_everywhere"
  | "invitation_created"
  | "invitation_revoked"
  | "invitation_accepted"
  | "sign_up_requested";

export interface AuthEventDraft {
  event: AuthEventKind;
  at: number;
  userId?: string | null;
  email?: string | null;
  method?: string | null;
  sessionId?: string | null;
  request?: RequestInfo;
  detail?: Record<string, unknown>;
}

export interface AuthLog {
  record(e: AuthEventDraft): Promise<void>;
}

/** Tells every node a session (or every session of a user) ended: its sockets close within a second. */
export interface SessionsEnded {
  announce(userId: string, sessionIds: readonly string[]): Promise<void>;
}

/** The ports every sessions use case needs. */
export interface SessionDeps {
  store: SessionStore;
  secrets: Secrets;
  ended: SessionsEnded;
}

/** A message to send: queued durably, sent (and retried) by the mail outbox. */
export interface MailDraft {
  to: string;
  gymId: string | null;
  template: string;
  subject: string;
  text: string;
  html: string;
}

export interface MailQueue {
  enqueue(mail: MailDraft): Promise<void>;
}

/** Who an email address belongs to (for the sign-in mail's wording: the gym's name). */
export interface Accounts {
  findByEmail(email: string): Promise<{ userId: string; gymId: string | null; gymName: string | null } | null>;
}

/** A stored email sign-in request (secrets only hashed). `browserHash` "*" = not bound (server-made dev links). */
export interface LoginRequestRecord {
  id: string;
  email: string;
  userId: string | null;
  codeHash: string;
  linkHash: string;
  browserHash: string;
  app: "member" | "staff";
  ip: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
  attempts: number;
}

export interface LoginRequests {
  create(r: LoginRequestRecord): Promise<void>;
  byLink(linkHash: string): Promise<LoginRequestRecord | null>;
  /** Unused, unexpired requests of `email` made from this browser, newest first. */
  live(email: string, browserHash: string, now: number): Promise<LoginRequestRecord[]>;
  /** Marks a request used; false when another attempt used it first (single use under races). */
  consume(id: string, now: number): Promise<boolean>;
  /** Counts a wrong code against these requests. */
  countAttempt(ids: readonly string[]): Promise<void>;
}

/** Shared token buckets (Redis when the node has it): 0 = go on, else ms to wait. */
export interface Limiter {
  take(key: string): Promise<number>;
}

/** A stored invitation (its link secret only hashed). */
export interface InvitationRecord {
  id: string;
  gymId: string;
  gymName: string;
  email: string;
  role: "owner" | "admin" | "coach" | "front_desk" | "member";
  invitedBy: string | null;
  createdAt: number;
  expiresAt: number;
  acceptedAt: number | null;
  revokedAt: number | null;
  /** Self sign-up: the policy versions (`{ terms, privacy }`) the person accepted when asking; recorded as consents on acceptance. */
  consents?: Record<string, string> | null;
}

export interface InvitationStore {
  /** Stores an invitation; audited in the gym's chain when `invitedBy` is set (a staff action). */
  create(inv: Omit<InvitationRecord, "gymName" | "acceptedAt" | "revokedAt">, tokenHash: string): Promise<void>;
  byToken(tokenHash: string): Promise<InvitationRecord | null>;
  list(gymId: string, limit: number): Promise<InvitationRecord[]>;
  /** Revokes an open invitation of the gym (audited); false when there is none. */
  revoke(gymId: string, id: string, actorId: string, now: number): Promise<boolean>;
  /**
   * In one transaction: marks the invitation accepted (only if still open), creates the account for its email when
   * there is none (with `name`), and gives it the invitation's role in the gym (an existing membership keeps its role);
   * the policy versions accepted at self sign-up become consent rows. Null when the invitation was no longer open.
   */
  accept(tokenHash: string, name: string, now: number): Promise<{ userId: string; gymId: string } | null>;
}
