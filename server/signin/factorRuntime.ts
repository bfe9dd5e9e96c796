/**
 * The sign-in factors wired for a running node: SQL adapters, shared attempt budgets (Redis when the node has it),
 * the relying party for passkeys and the OIDC callback address.
 */
import type { MikroORM } from "@mikro-orm/core";
import type { AttemptLimiter } from "../../app/signin/factorPorts.js";
import type { OidcDeps } from "../../app/signin/oidc.js";
import type { PasskeyDeps, RelyingParty } from "../../app/signin/passkeys.js";
import type { PasswordDeps } from "../../app/signin/passwords.js";
import type { SecondFactorDeps } from "../../app/signin/secondFactor.js";
import type { TotpDeps } from "../../app/signin/totp.js";
import { JwksIdTokenVerifier } from "../auth.js";
import { SqlChallengeStore, SqlPasskeyStore, SqlPasswordStore, SqlTotpStore } from "../persistence/factorStore.js";
import {
  AuthEventFactorAudit,
  SqlAccountLookup,
  SqlIdentityProviderStore,
  SqlOidcIdentityStore,
  SqlPolicyStore,
} from "../persistence/factorSettingsStore.js";
import type { RateLimit, RateLimitStore } from "../cluster/rateLimit.js";
import type { SecretBox } from "../persistence/secretBox.js";

export interface Factors {
  passkeys: PasskeyDeps;
  totp: TotpDeps;
  passwords: PasswordDeps;
  oidc: OidcDeps;
  secondFactor: SecondFactorDeps;
  policies: SqlPolicyStore;
  providers: SqlIdentityProviderStore;
  challenges: SqlChallengeStore;
  audit: AuthEventFactorAudit;
  /** Seals TOTP seeds and client secrets at rest. */
  box: SecretBox;
}

/** Attempt budgets: an address (a gym's Wi-Fi is many people) gets more than one email or one account. */
export const AttemptBudgets = {
  /** Per email / per account: 10 at once, then one every 90 s (40 an hour). */
  account: { rate: 1 / 90, burst: 10 } satisfies RateLimit,
  /** Per IP: 60 at once, then one a second. */
  address: { rate: 1, burst: 60 } satisfies RateLimit,
} as const;

/** Sends `ip:` keys to the address budget and every other key to the account budget. */
export function attemptLimiter(byAddress: RateLimitStore, byAccount: RateLimitStore): AttemptLimiter {
  return { take: (key, now) => (key.startsWith("ip:") ? byAddress.take(key, now) : byAccount.take(key, now)) };
}

/**
 * The relying party from `PASSKEY_RP_ID` / `PASSKEY_ORIGINS`, else this node's own address with `localhost` for its
 * host (an IP address cannot hold passkeys; localhost is a secure context).
 */
export function relyingParty(
  config: { PASSKEY_RP_ID?: string | undefined; PASSKEY_ORIGINS?: string | undefined },
  serverUrl: string,
): RelyingParty {
  const origins = (config.PASSKEY_ORIGINS ?? "")
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean);
  if (origins.length === 0) {
    const own = new URL(serverUrl);
    if (own.hostname === "127.0.0.1" || own.hostname === "[::1]") own.hostname = "localhost";
    origins.push(own.origin);
  }
  return { rpId: config.PASSKEY_RP_ID ?? new URL(origins[0]!).hostname, rpName: "Spotter", origins };
}

export function createFactors(orm: MikroORM, limiter: AttemptLimiter, rp: () => RelyingParty, box: SecretBox): Factors {
  const accounts = new SqlAccountLookup(orm);
  const audit = new AuthEventFactorAudit(orm);
  const policies = new SqlPolicyStore(orm);
  const providers = new SqlIdentityProviderStore(orm, box);
  const challenges = new SqlChallengeStore(orm);
  // The relying party is known once the node listens (its port): read it per use.
  const passkeys: PasskeyDeps = {
    passkeys: new SqlPasskeyStore(orm),
    challenges,
    accounts,
    audit,
    limiter,
    get rp() {
      return rp();
    },
  };
  const totp: TotpDeps = { totp: new SqlTotpStore(orm, box), accounts, audit, limiter, issuer: "Spotter" };
  const oidc: OidcDeps = {
    providers,
    identities: new SqlOidcIdentityStore(orm),
    challenges,
    accounts,
    audit,
    limiter,
    idTokens: new JwksIdTokenVerifier(),
    get redirectUri() {
      return `${rp().origins[0]}/api/auth/oidc/callback`;
    },
  };
  return {
    passkeys,
    totp,
    passwords: { passwords: new SqlPasswordStore(orm), accounts, policies, audit, limiter },
    oidc,
    secondFactor: { policies, challenges, totp, passkeys },
    policies,
    providers,
    challenges,
    audit,
    box,
  };
}
