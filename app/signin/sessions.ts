/**
 * Sessions: the one place every sign-in method ends (`completeSignIn`), refresh-token rotation with reuse detection,
 * and ending sessions. A session is one device; its refresh tokens form a family — each refresh spends the token it
 * presents and hands out the next one; presenting a spent token again (a copy in someone else's hands, or a replay)
 * ends the whole family.
 */
import type { AccessTokenSigner, AuthLog, RequestInfo, SessionDeps, SessionEndReason, SessionRecord, SignInMethod } from "./ports.js";

export type { SessionDeps } from "./ports.js";

/** Lifetimes, ms. The access token is short (a stolen one is good for minutes); the refresh cookie carries the session. */
export const SessionLifetimes = {
  access: 15 * 60_000,
  /** No refresh for this long (the device was not used) ends the session. */
  idle: 30 * 86_400_000,
  /** Sign in again after this, whatever. */
  absolute: 90 * 86_400_000,
} as const;

/** What a completed sign-in or a refresh hands the browser: the access token in the body, the refresh token for the cookie. */
export interface SignedIn {
  userId: string;
  sessionId: string;
  accessToken: string;
  /** Epoch ms. */
  accessExpiresAt: number;
  /** Goes ONLY into the `HttpOnly; Secure; SameSite=Strict` cookie (server/http/sessionCookies.ts), never a body. */
  refreshToken: string;
  refreshExpiresAt: number;
}

export type RefreshResult =
  | { ok: true; signedIn: SignedIn }
  | { ok: false; code: "UNAUTHENTICATED"; reason: "missing" | "unknown" | "ended" | "reused"; message: string };

export interface CompleteSignIn {
  userId: string;
  /** The first factor. */
  method: SignInMethod;
  /** Second factors passed (`totp`, `passkey`), recorded in the session and the token's `amr`. */
  factors?: string[];
  request: RequestInfo;
}

export class Sessions {
  constructor(private readonly d: SessionDeps & { signer: AccessTokenSigner; log: AuthLog; now: () => number; accessTtlMs?: number }) {}

  private get accessTtl(): number {
    return Math.min(this.d.accessTtlMs ?? SessionLifetimes.access, SessionLifetimes.access);
  }

  /**
   * Every sign-in method calls this once the person is proven: starts a session (device), logs `sign_in`, and
   * returns the access token and the refresh token for the cookie. Answer it with `signedInResponse` (server/http).
   */
  async completeSignIn(c: CompleteSignIn): Promise<SignedIn> {
    const now = this.d.now();
    const session: SessionRecord = {
      id: this.d.secrets.id(),
      userId: c.userId,
      method: c.method,
      factors: c.factors ?? [],
      userAgent: c.request.userAgent.slice(0, 400),
      ip: c.request.ip.slice(0, 64),
      createdAt: now,
      lastSeenAt: now,
      idleExpiresAt: now + SessionLifetimes.idle,
      expiresAt: now + SessionLifetimes.absolute,
      endedAt: null,
      endReason: null,
    };
    const refreshToken = this.d.secrets.token();
    await this.d.store.create(session, this.d.secrets.hash(refreshToken));
    await this.d.log.record({
      event: "sign_in",
      at: now,
      userId: c.userId,
      method: c.method,
      sessionId: session.id,
      request: c.request,
      detail: { factors: session.factors },
    });
    return this.issue(session, refreshToken, now);
  }

  /** Spends a refresh token and hands out the next one with a fresh access token. A replayed token ends its session. */
  async refresh(presented: string | undefined, request: RequestInfo): Promise<RefreshResult> {
    if (!presented || presented.length > 200)
      return { ok: false, code: "UNAUTHENTICATED", reason: "missing", message: "You're not signed in on this browser — sign in." };
    const now = this.d.now();
    const next = this.d.secrets.token();
    const outcome = await this.d.store.rotate(this.d.secrets.hash(presented), this.d.secrets.hash(next), now, SessionLifetimes.idle);
    switch (outcome.kind) {
      case "rotated":
        return { ok: true, signedIn: await this.issue(outcome.session, next, now) };
      case "reused":
        await this.d.log.record({
          event: "refresh_reused",
          at: now,
          userId: outcome.session.userId,
          sessionId: outcome.session.id,
          request,
        });
        await this.d.ended.announce(outcome.session.userId, [outcome.session.id]);
        return {
          ok: false,
          code: "UNAUTHENTICATED",
          reason: "reused",
          message: "This sign-in was used from somewhere else, so we ended it to keep your account safe — sign in again.",
        };
      case "ended":
        return { ok: false, code: "UNAUTHENTICATED", reason: "ended", message: endedWords(outcome.session.endReason) };
      case "unknown":
        return { ok: false, code: "UNAUTHENTICATED", reason: "unknown", message: "You're not signed in on this browser — sign in." };
    }
  }

  /** Ends one of the user's own sessions (this device's "sign out", or one from "where I'm signed in"). */
  async end(userId: string, sessionId: string, reason: SessionEndReason, request: RequestInfo | undefined): Promise<boolean> {
    const now = this.d.now();
    const ended = await this.d.store.end(sessionId, userId, reason, now);
    if (!ended) return false;
    await this.d.log.record({ event: "session_ended", at: now, userId, sessionId, request, detail: { reason } });
    await this.d.ended.announce(userId, [sessionId]);
    return true;
  }

  /** This device's "sign out": ends the session the refresh cookie belongs to. False when it was not signed in. */
  async signOut(presented: string | undefined, request: RequestInfo): Promise<boolean> {
    if (!presented || presented.length > 200) return false;
    const session = await this.d.store.findByRefresh(this.d.secrets.hash(presented));
    if (!session || session.endedAt !== null) return false;
    return this.end(session.userId, session.id, "signed_out", request);
  }

  /** Ends every live session of the user (sign out everywhere; staff ending a staff member's sessions). */
  async endAll(userId: string, reason: SessionEndReason, actorId: string, request: RequestInfo | undefined): Promise<string[]> {
    const now = this.d.now();
    const ids = await this.d.store.endAll(userId, reason, now);
    await this.d.log.record({
      event: "signed_out_everywhere",
      at: now,
      userId,
      request,
      detail: { reason, sessions: ids.length, actorId },
    });
    if (ids.length) await this.d.ended.announce(userId, ids);
    return ids;
  }

  /** "Where I'm signed in". */
  list(userId: string): Promise<SessionRecord[]> {
    return this.d.store.listLive(userId, this.d.now());
  }

  private async issue(session: SessionRecord, refreshToken: string, now: number): Promise<SignedIn> {
    // A token issued in the same second as a "sign out everywhere" would count as issued before it (`iat` is in seconds).
    const validAfter = await this.d.store.validAfter(session.userId);
    const issuedAtSeconds = Math.max(Math.floor(now / 1000), Math.floor(validAfter / 1000) + 1);
    const ttlSeconds = Math.floor(this.accessTtl / 1000);
    const accessToken = await this.d.signer.sign({
      userId: session.userId,
      sessionId: session.id,
      amr: [session.method, ...session.factors],
      issuedAtSeconds,
      ttlSeconds,
    });
    return {
      userId: session.userId,
      sessionId: session.id,
      accessToken,
      accessExpiresAt: (issuedAtSeconds + ttlSeconds) * 1000,
      refreshToken,
      refreshExpiresAt: Math.min(session.expiresAt, now + SessionLifetimes.idle),
    };
  }
}

function endedWords(reason: SessionEndReason | null): string {
  switch (reason) {
    case "expired":
      return "Your sign-in expired — sign in again.";
    case "refresh_reused":
      return "This sign-in was used from somewhere else, so we ended it to keep your account safe — sign in again.";
    case "ended_by_staff":
      return "Your gym's staff signed you out — sign in again.";
    default:
      return "You signed out on this device — sign in again.";
  }
}
