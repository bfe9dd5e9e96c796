/**
 * Email sign-in (issue 17): ask with an address → a mail with a link and a 6-digit code, both single use, valid
 * 15 minutes, bound to the browser that asked (a random nonce in an HttpOnly cookie; only its hash is stored).
 * The answer to "send me a link" is the same whether or not the address has an account (an address without one gets
 * a mail saying so). Requests and attempts are rate limited per address and per IP address; every outcome is logged.
 */
import { noAccountMail, signInMail } from "./mailTemplates.js";
import type { Accounts, AuthLog, Limiter, LoginRequestRecord, LoginRequests, MailQueue, RequestInfo, Secrets } from "./ports.js";
import type { Sessions, SignedIn } from "./sessions.js";

export const LOGIN_TTL_MS = 15 * 60_000;
/** Wrong codes a request takes before it is dead. */
export const MAX_CODE_ATTEMPTS = 5;

export type SignInApp = "member" | "staff";

export type EmailSignInError = {
  ok: false;
  code: "RATE_LIMITED" | "CODE_INVALID" | "CODE_EXPIRED" | "LINK_INVALID" | "OTHER_BROWSER";
  message: string;
  retryAfterMs?: number;
};

/** A staff member whose gym requires a second factor gets a ticket for it instead of a session (app/signin/secondFactor.ts). */
export interface SecondFactorTicket {
  ticket: string;
  methods: ("totp" | "passkey")[];
  setupRequired: boolean;
}

export type VerifyOutcome = { ok: true; signedIn: SignedIn } | { ok: true; secondFactor: SecondFactorTicket } | EmailSignInError;

export interface EmailSignInDeps {
  accounts: Accounts;
  requests: LoginRequests;
  mail: MailQueue;
  secrets: Secrets;
  log: AuthLog;
  sessions: Sessions;
  /** Per address and per IP address: sign-in mails asked for, and codes/links tried. */
  limits: { mailPerEmail: Limiter; mailPerIp: Limiter; tryPerEmail: Limiter; tryPerIp: Limiter };
  /** The link a mail carries for a request's link secret. */
  linkFor: (app: SignInApp, linkSecret: string) => string;
  now: () => number;
  /** The staff second-factor rule: a ticket when this sign-in needs a second factor, else null (sign in now). */
  secondFactor?: (userId: string, method: "email_code" | "email_link" | "invitation") => Promise<SecondFactorTicket | null>;
}

const wait = (ms: number): EmailSignInError => ({
  ok: false,
  code: "RATE_LIMITED",
  message: `Too many sign-in attempts — wait ${Math.max(1, Math.ceil(ms / 60_000))} min and try again.`,
  retryAfterMs: ms,
});

export class EmailSignIn {
  constructor(private readonly d: EmailSignInDeps) {}

  /**
   * "Email me a link": queues the mail and answers the browser nonce to keep in the binding cookie (the one it sent,
   * or a new one). Same answer for every address.
   */
  async start(
    email: string,
    app: SignInApp,
    browserNonce: string | undefined,
    request: RequestInfo,
  ): Promise<{ ok: true; browserNonce: string } | EmailSignInError> {
    const address = normalize(email);
    const limited = Math.max(await this.d.limits.mailPerIp.take(request.ip), await this.d.limits.mailPerEmail.take(address));
    if (limited > 0) return wait(limited);
    const now = this.d.now();
    const nonce = browserNonce && browserNonce.length <= 100 ? browserNonce : this.d.secrets.token();
    const account = await this.d.accounts.findByEmail(address);
    const code = this.d.secrets.code();
    const link = this.d.secrets.token();
    await this.d.requests.create({
      id: this.d.secrets.id(),
      email: address,
      userId: account?.userId ?? null,
      codeHash: this.d.secrets.hash(`${address}:${code}`),
      linkHash: this.d.secrets.hash(link),
      browserHash: this.d.secrets.hash(nonce),
      app,
      ip: request.ip,
      createdAt: now,
      expiresAt: now + LOGIN_TTL_MS,
      usedAt: null,
      attempts: 0,
    });
    await this.d.mail.enqueue(
      account
        ? { ...signInMail(address, account.gymName, this.d.linkFor(app, link), code, LOGIN_TTL_MS / 60_000), gymId: account.gymId }
        : noAccountMail(address),
    );
    await this.d.log.record({
      event: "code_requested",
      at: now,
      userId: account?.userId ?? null,
      email: address,
      request,
      detail: { app, known: Boolean(account) },
    });
    return { ok: true, browserNonce: nonce };
  }

  /** The 6-digit code typed in the browser that asked. */
  async verifyCode(email: string, code: string, browserNonce: string | undefined, request: RequestInfo): Promise<VerifyOutcome> {
    const address = normalize(email);
    const limited = Math.max(await this.d.limits.tryPerIp.take(request.ip), await this.d.limits.tryPerEmail.take(address));
    if (limited > 0) return wait(limited);
    const now = this.d.now();
    const fail = (e: EmailSignInError, userId: string | null = null) => this.failed(e, address, userId, "email_code", request);
    if (!browserNonce)
      return fail({
        ok: false,
        code: "OTHER_BROWSER",
        message: "Type the code in the browser where you asked for it — or ask for a new one here.",
      });
    const live = (await this.d.requests.live(address, this.d.secrets.hash(browserNonce), now)).filter(
      (r) => r.attempts < MAX_CODE_ATTEMPTS,
    );
    if (live.length === 0)
      return fail({ ok: false, code: "CODE_EXPIRED", message: "That code has expired or was already used — ask for a new one." });
    const hash = this.d.secrets.hash(`${address}:${code}`);
    const match = live.find((r) => r.codeHash === hash && r.userId !== null);
    if (!match) {
      await this.d.requests.countAttempt(live.map((r) => r.id));
      const left = Math.max(0, MAX_CODE_ATTEMPTS - 1 - Math.max(...live.map((r) => r.attempts)));
      return fail(
        left > 0
          ? {
              ok: false,
              code: "CODE_INVALID",
              message: `That code isn't right — check the mail and try again (${left} ${left === 1 ? "try" : "tries"} left).`,
            }
          : { ok: false, code: "CODE_EXPIRED", message: "Too many wrong codes — ask for a new one." },
      );
    }
    return this.complete(match, "email_code", request);
  }

  /** The mail's link, opened in (and posted from) the browser that asked. */
  async verifyLink(linkSecret: string, browserNonce: string | undefined, request: RequestInfo): Promise<VerifyOutcome> {
    const limited = await this.d.limits.tryPerIp.take(request.ip);
    if (limited > 0) return wait(limited);
    const now = this.d.now();
    const found = await this.d.requests.byLink(this.d.secrets.hash(linkSecret));
    const fail = (e: EmailSignInError) => this.failed(e, found?.email ?? null, found?.userId ?? null, "email_link", request);
    if (!found || found.userId === null)
      return fail({ ok: false, code: "LINK_INVALID", message: "This sign-in link isn't valid — ask for a new one." });
    if (found.usedAt !== null)
      return fail({ ok: false, code: "LINK_INVALID", message: "This sign-in link was already used — ask for a new one." });
    if (found.expiresAt <= now)
      return fail({ ok: false, code: "CODE_EXPIRED", message: "This sign-in link has expired — ask for a new one." });
    if (found.browserHash !== "*" && (!browserNonce || this.d.secrets.hash(browserNonce) !== found.browserHash))
      return fail({
        ok: false,
        code: "OTHER_BROWSER",
        message: "This link was asked for in another browser — open it there, or type the code from the mail in that browser.",
      });
    return this.complete(found, "email_link", request);
  }

  /**
   * A sign-in link made by the server itself for a known user (the embedded mode's start-up banner): not bound to a
   * browser, single use, valid for `ttlMs`.
   */
  async devLink(userId: string, email: string, app: SignInApp, ttlMs: number): Promise<string> {
    const now = this.d.now();
    const link = this.d.secrets.token();
    await this.d.requests.create({
      id: this.d.secrets.id(),
      email: normalize(email),
      userId,
      codeHash: this.d.secrets.hash(this.d.secrets.token()),
      linkHash: this.d.secrets.hash(link),
      browserHash: "*",
      app,
      ip: "",
      createdAt: now,
      expiresAt: now + ttlMs,
      usedAt: null,
      attempts: 0,
    });
    return this.d.linkFor(app, link);
  }

  private async complete(r: LoginRequestRecord, method: "email_code" | "email_link", request: RequestInfo): Promise<VerifyOutcome> {
    // Single use under races: only the attempt that flips `used_at` goes on.
    if (!(await this.d.requests.consume(r.id, this.d.now())))
      return this.failed(
        { ok: false, code: "LINK_INVALID", message: "This sign-in was already used — ask for a new one." },
        r.email,
        r.userId,
        method,
        request,
      );
    const ticket = await this.d.secondFactor?.(r.userId!, method);
    if (ticket) return { ok: true, secondFactor: ticket };
    return { ok: true, signedIn: await this.d.sessions.completeSignIn({ userId: r.userId!, method, request }) };
  }

  private async failed(
    e: EmailSignInError,
    email: string | null,
    userId: string | null,
    method: string,
    request: RequestInfo,
  ): Promise<EmailSignInError> {
    await this.d.log.record({ event: "sign_in_failed", at: this.d.now(), email, userId, method, request, detail: { code: e.code } });
    return e;
  }
}

/** One spelling per address: trimmed and lower-cased (accounts are matched case-insensitively). */
export const normalize = (email: string): string => email.trim().toLowerCase();
