/**
 * Sign-in's part of the composition root: sessions, email sign-in, the mail outbox and their routes. Sign-in needs a
 * local signing secret (JWT_SECRET, or the embedded one): a node that only verifies JWKS tokens has none of this.
 */
import type { MikroORM } from "@mikro-orm/core";
import { EmailSignIn, type EmailSignInDeps, type SignInApp } from "../app/signin/emailSignIn.js";
import { Invitations } from "../app/signin/invitations.js";
import { PgInvitationStore, PgSignUpGyms } from "./persistence/invitationStore.js";
import { addInvitationRoutes } from "./http/invitationRoutes.js";
import { addSignUpRoutes } from "./http/signUpRoutes.js";
import type { Limiter } from "../app/signin/ports.js";
import { Sessions } from "../app/signin/sessions.js";
import { accessTokenSigner, nodeSecrets } from "./auth.js";
import type { Config } from "./config.js";
import { addDevMailRoutes } from "./http/devMailRoutes.js";
import { addEmailSignInRoutes } from "./http/emailSignInRoutes.js";
import type { Router } from "./http/router.js";
import { addSessionRoutes } from "./http/sessionRoutes.js";
import type { Logger } from "./logger.js";
import { MailOutbox } from "./mail/mailOutbox.js";
import { DevMailbox, smtpTransport, type MailTransport } from "./mail/transports.js";
import { PgAuthLog } from "./persistence/authLog.js";
import { PgAccounts, PgLoginRequests } from "./persistence/loginRequestStore.js";
import { PgSessionStore } from "./persistence/sessionStore.js";
import type { RateLimit, RateLimitStore } from "./cluster/rateLimit.js";
import type { Revocation } from "./realtime/revocation.js";
import { afterFirstFactor } from "../app/signin/secondFactor.js";
import type { SecretBox } from "./persistence/secretBox.js";
import { AttemptBudgets, attemptLimiter, createFactors, relyingParty, type Factors } from "./signin/factorRuntime.js";

export interface SignInRuntime {
  sessions: Sessions;
  email: EmailSignIn;
  invitations: Invitations;
  invitationStore: PgInvitationStore;
  outbox: MailOutbox;
  devMailbox: DevMailbox | null;
  addRoutes(router: Router): void;
  close(): Promise<void>;
}

export interface SignInDeps {
  config: Config;
  orm: MikroORM;
  log: Logger;
  now: () => number;
  secret: string;
  /** The node's shared token buckets (Redis when it has it). */
  limits: (scope: string, limit: RateLimit) => RateLimitStore;
  announce: (r: Revocation) => Promise<void>;
  publicUrl: () => string;
  /** An invitation made a membership (resident standings on every node are read again). */
  onJoined?: (userId: string, gymId: string) => void;
  /** The staff second-factor rule for email sign-ins (the factors' `afterFirstFactor`). */
  secondFactor?: EmailSignInDeps["secondFactor"];
}

/** Sign-in budgets: 5 mails an hour per address (bursts of 5), 30 per IP; 10 tries per address per 15 min. */
const LIMITS = {
  mailPerEmail: { rate: 5 / 3600, burst: 5 },
  mailPerIp: { rate: 30 / 3600, burst: 30 },
  tryPerEmail: { rate: 10 / 900, burst: 10 },
  tryPerIp: { rate: 60 / 900, burst: 60 },
  /** Self sign-up mails: 3 a day per address, 20 an hour per IP (a gym's Wi-Fi at an open day). */
  signUpPerEmail: { rate: 3 / 86_400, burst: 3 },
  signUpPerIp: { rate: 20 / 3600, burst: 20 },
} satisfies Record<string, RateLimit>;

export function createSignIn(d: SignInDeps): SignInRuntime {
  const log = new PgAuthLog(d.orm);
  const secrets = nodeSecrets(d.secret);
  const sessions = new Sessions({
    store: new PgSessionStore(d.orm),
    secrets,
    signer: accessTokenSigner(d.secret, d.config.JWT_ISSUER, d.config.JWT_AUDIENCE),
    log,
    now: d.now,
    ended: { announce: (userId, sessionIds) => d.announce({ userId, gymId: null, validAfter: null, deleted: false, sessionIds }) },
  });
  const devMailbox = !d.config.SMTP_URL && d.config.SPOTTER_MODE === "embedded" ? new DevMailbox(d.config.DATA_DIR, d.now) : null;
  const transport: MailTransport | null = d.config.SMTP_URL ? smtpTransport(d.config.SMTP_URL) : devMailbox;
  if (!transport) d.log.warn("no SMTP_URL: sign-in and invitation mail stays queued (set SMTP_URL)");
  const outbox = new MailOutbox(d.orm, transport, d.config.MAIL_FROM, d.log, d.now);
  const limiter = (scope: string, limit: RateLimit): Limiter => {
    const store = d.limits(scope, limit);
    return { take: (key) => store.take(key, d.now()) };
  };
  const base = () => (d.config.PUBLIC_URL ?? d.publicUrl()).replace(/\/$/, "");
  const email = new EmailSignIn({
    accounts: new PgAccounts(d.orm),
    requests: new PgLoginRequests(d.orm),
    mail: outbox,
    secrets,
    log,
    sessions,
    limits: {
      mailPerEmail: limiter("signin-mail-email", LIMITS.mailPerEmail),
      mailPerIp: limiter("signin-mail-ip", LIMITS.mailPerIp),
      tryPerEmail: limiter("signin-try-email", LIMITS.tryPerEmail),
      tryPerIp: limiter("signin-try-ip", LIMITS.tryPerIp),
    },
    // In the fragment: never sent to a server, never in a proxy's log; the app reads it once and removes it.
    linkFor: (app: SignInApp, secret: string) => `${base()}${app === "staff" ? "/admin/" : "/"}#signin=${secret}`,
    now: d.now,
    ...(d.secondFactor ? { secondFactor: d.secondFactor } : {}),
  });
  const invitationStore = new PgInvitationStore(d.orm);
  const signUpGyms = new PgSignUpGyms(d.orm);
  const invitations = new Invitations({
    store: invitationStore,
    secrets,
    mail: outbox,
    log,
    sessions,
    linkFor: (role, secret) => `${base()}${role === "member" ? "/" : "/admin/"}#invite=${secret}`,
    now: d.now,
    ...(d.secondFactor ? { secondFactor: d.secondFactor } : {}),
    ...(d.onJoined ? { onJoined: d.onJoined } : {}),
  });
  outbox.start();
  return {
    sessions,
    email,
    invitations,
    invitationStore,
    outbox,
    devMailbox,
    addRoutes(router) {
      addSessionRoutes(router, { sessions, now: d.now });
      addEmailSignInRoutes(router, { email, now: d.now });
      addInvitationRoutes(router, { invitations, now: d.now });
      addSignUpRoutes(router, {
        invitations,
        openGym: (gymId) => signUpGyms.openGym(gymId),
        openSignUps: (gymId) => signUpGyms.openSignUps(gymId, d.now()),
        limits: { perEmail: limiter("signup-email", LIMITS.signUpPerEmail), perIp: limiter("signup-ip", LIMITS.signUpPerIp) },
        log,
        now: d.now,
      });
      if (devMailbox) addDevMailRoutes(router, devMailbox);
    },
    close: () => outbox.stop(),
  };
}

/**
 * Sign-in factors (passkeys, TOTP, passwords, OIDC), attempts limited per email/account and per address across nodes,
 * and — with a local signing secret — sessions and email sign-in, whose staff sign-ins ask the factors for a second one.
 */
export function createSignInWithFactors(d: Omit<SignInDeps, "secret" | "secondFactor"> & { secret: string | undefined; box: SecretBox }): {
  factors: Factors;
  signIn: SignInRuntime | undefined;
} {
  const factors = createFactors(
    d.orm,
    attemptLimiter(d.limits("signin-ip", AttemptBudgets.address), d.limits("signin-account", AttemptBudgets.account)),
    () => relyingParty(d.config, d.config.PUBLIC_URL ?? d.publicUrl()),
    d.box,
  );
  const { secret, box: _box, ...deps } = d;
  const signIn = secret
    ? createSignIn({
        ...deps,
        secret,
        secondFactor: async (userId, method) => {
          const next = await afterFirstFactor(factors.secondFactor, userId, method, { ip: null, now: d.now() });
          return next.kind === "second_factor" ? { ticket: next.ticket, methods: next.methods, setupRequired: next.setupRequired } : null;
        },
      })
    : undefined;
  return { factors, signIn };
}
