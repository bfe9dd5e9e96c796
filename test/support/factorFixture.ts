/**
 * The sign-in factors wired to a real database (the SQL adapters) and local attempt buckets, plus a gym.
 * @example const f = await factorFixture(pg); const r = await setPassword(f.passwords, f.gym.members[0]!.id, "…", f.origin());
 */
import { randomBytes } from "node:crypto";
import type { PasskeyDeps, RelyingParty } from "../../app/signin/passkeys.js";
import type { PasswordDeps } from "../../app/signin/passwords.js";
import type { TotpDeps } from "../../app/signin/totp.js";
import type { OidcDeps } from "../../app/signin/oidc.js";
import type { AttemptLimiter, RequestOrigin } from "../../app/signin/factorPorts.js";
import { JwksIdTokenVerifier } from "../../server/auth.js";
import { migrateUp, openDatabase, type Database } from "../../server/db/orm.js";
import { SqlChallengeStore, SqlPasskeyStore, SqlPasswordStore, SqlTotpStore } from "../../server/persistence/factorStore.js";
import {
  SqlAccountLookup,
  AuthEventFactorAudit,
  SqlIdentityProviderStore,
  SqlOidcIdentityStore,
  SqlPolicyStore,
} from "../../server/persistence/factorSettingsStore.js";
import { LocalRateLimits, type RateLimit } from "../../server/cluster/rateLimit.js";
import { SecretBox } from "../../server/persistence/secretBox.js";
import { aGym, type GymFixture } from "./gymFixture.js";
import { createTestDatabase, type Service } from "./services.js";

export interface FactorFixture {
  db: Database;
  /** Seals TOTP seeds and client secrets (a random key per fixture). */
  box: SecretBox;
  gym: GymFixture;
  audit: AuthEventFactorAudit;
  policies: SqlPolicyStore;
  providers: SqlIdentityProviderStore;
  totp: TotpDeps;
  passwords: PasswordDeps;
  passkeys(rp: RelyingParty): PasskeyDeps;
  oidc(redirectUri: string): OidcDeps;
  /** A request at `now` (default: the real clock) from `ip`. */
  origin(now?: number, ip?: string): RequestOrigin;
  close(): Promise<void>;
}

/** Generous buckets unless a test passes its own. */
export function localLimiter(limit: RateLimit = { rate: 100, burst: 1_000 }): AttemptLimiter {
  return new LocalRateLimits(limit);
}

/** A fresh PostgreSQL database (when `pg` answered, else embedded PGlite), migrated, with one gym. */
export async function factorFixture(pg: Service, limiter: AttemptLimiter = localLimiter()): Promise<FactorFixture> {
  const fresh = pg.ok ? await createTestDatabase(pg.url) : null;
  const db = await openDatabase(fresh ? { kind: "postgres", url: fresh.url } : { kind: "pglite", dir: "memory://" }, 4);
  await migrateUp(db);
  const gym = await aGym(db.orm, { members: 4 });
  const accounts = new SqlAccountLookup(db.orm);
  const audit = new AuthEventFactorAudit(db.orm);
  const policies = new SqlPolicyStore(db.orm);
  const box = new SecretBox(randomBytes(32));
  const providers = new SqlIdentityProviderStore(db.orm, box);
  const challenges = new SqlChallengeStore(db.orm);
  return {
    db,
    box,
    gym,
    audit,
    policies,
    providers,
    totp: { totp: new SqlTotpStore(db.orm, box), accounts, audit, limiter, issuer: "Spotter" },
    passwords: { passwords: new SqlPasswordStore(db.orm), accounts, policies, audit, limiter },
    passkeys: (rp) => ({ passkeys: new SqlPasskeyStore(db.orm), challenges, accounts, audit, limiter, rp }),
    oidc: (redirectUri) => ({
      providers,
      identities: new SqlOidcIdentityStore(db.orm),
      challenges,
      accounts,
      audit,
      limiter,
      idTokens: new JwksIdTokenVerifier(),
      redirectUri,
    }),
    origin: (now = Date.now(), ip = "203.0.113.7") => ({ now, ip }),
    close: async () => {
      await db.close();
      await fresh?.drop();
    },
  };
}
