/**
 * The ports the sign-in factors (passkeys, TOTP, passwords, OpenID Connect) need from the outside world.
 * `server/persistence/factorStore.ts` implements the storage ports on PostgreSQL/PGlite; tests may pass their own.
 * Time comes in as `now` (epoch ms) on every call: the use cases read no clock.
 */

/** A stored passkey. `publicKey` is the COSE key as the authenticator gave it. */
export interface StoredPasskey {
  id: string;
  userId: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  deviceType: string;
  backedUp: boolean;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface PasskeyStore {
  listByUser(userId: string): Promise<StoredPasskey[]>;
  find(credentialId: string): Promise<StoredPasskey | null>;
  /** False when the credential id is already registered (to anyone). */
  insert(passkey: StoredPasskey): Promise<boolean>;
  /** Moves the signature counter and "last used"; false when the counter is not above the stored one (a cloned authenticator). */
  recordUse(credentialId: string, counter: number, at: number): Promise<boolean>;
  /** Removes one of the user's passkeys; false when the user has no such passkey. */
  remove(userId: string, credentialId: string): Promise<boolean>;
}

export interface TotpRecord {
  userId: string;
  secret: string;
  confirmedAt: number | null;
  lastTimeStep: number | null;
}

export interface TotpStore {
  get(userId: string): Promise<TotpRecord | null>;
  /** Starts (or restarts) an unconfirmed enrollment; a confirmed authenticator is never replaced this way. False when one is confirmed. */
  putPending(userId: string, secret: string, at: number): Promise<boolean>;
  /**
   * Accepts `timeStep` for the user: true only when it is later than the last accepted step (so a code is good once),
   * and marks the authenticator confirmed. Atomic: two requests with one code cannot both succeed.
   */
  acceptStep(userId: string, timeStep: number, at: number): Promise<boolean>;
  remove(userId: string): Promise<boolean>;
}

export interface PasswordStore {
  hashOf(userId: string): Promise<string | null>;
  set(userId: string, hash: string, at: number): Promise<void>;
  remove(userId: string): Promise<boolean>;
}

/** Server-side state of a sign-in in flight, taken exactly once before it expires. */
export interface ChallengeStore {
  put(challenge: {
    id: string;
    purpose: string;
    userId: string | null;
    payload: Record<string, unknown>;
    expiresAt: number;
  }): Promise<void>;
  /** Deletes and returns the challenge when it exists, has this purpose and has not expired at `now`. */
  take(id: string, purpose: string, now: number): Promise<{ userId: string | null; payload: Record<string, unknown> } | null>;
}

/** Who a user is, as far as factors care. */
export interface AccountView {
  id: string;
  email: string;
  name: string;
}

export interface AccountLookup {
  byId(userId: string): Promise<AccountView | null>;
  byEmail(email: string): Promise<AccountView | null>;
  /** The user's role in the gym when their membership there is active, else null. */
  activeRole(gymId: string, userId: string): Promise<string | null>;
}

/** A gym's sign-in settings. */
export interface FactorPolicy {
  passwordsAllowed: boolean;
  staffSecondFactor: boolean;
  /** Members may sign themselves up (an emailed link of their own); always set by `get`, omitted in a change = kept. */
  selfSignUp?: boolean;
}

export interface PolicyStore {
  get(gymId: string): Promise<FactorPolicy>;
  set(gymId: string, policy: FactorPolicy, at: number): Promise<void>;
  /** Whether the user is active staff of a gym whose owner requires a second factor of staff. */
  staffSecondFactorRequired(userId: string): Promise<boolean>;
}

/** One entry of the security log: factor changes and failed factor checks. Never a secret, code or password. */
export interface FactorEvent {
  at: number;
  userId: string | null;
  gymId: string | null;
  action: string;
  ip: string | null;
  summary: Record<string, unknown>;
}

export interface FactorAudit {
  record(event: FactorEvent): Promise<void>;
}

/**
 * Attempt budgets per key (`email:<address>`, `ip:<address>`, `user:<id>`), shared across nodes when the store is.
 * Answers 0 when allowed, else the milliseconds to wait.
 */
export interface AttemptLimiter {
  take(key: string, now: number): Promise<number>;
}

/** Where a request came from, for rate limits and the security log. */
export interface RequestOrigin {
  ip: string | null;
  now: number;
}

/** A gym's OpenID Connect provider, registered with Spotter as a confidential client (or public when no secret). */
export interface IdentityProviderConfig {
  gymId: string;
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  displayName: string;
}

export interface IdentityProviderStore {
  get(gymId: string): Promise<IdentityProviderConfig | null>;
  set(config: IdentityProviderConfig): Promise<void>;
  remove(gymId: string): Promise<boolean>;
}

/** Which Spotter user a provider's subject is. */
export interface OidcIdentityStore {
  find(issuer: string, subject: string): Promise<string | null>;
  /** False when the subject is already linked (to anyone). */
  link(issuer: string, subject: string, userId: string, at: number): Promise<boolean>;
}

/**
 * Verifies an ID token's signature against the provider's JWKS with issuer and audience REQUIRED
 * (the server's `TokenVerifier`); answers the subject, or null when the token is refused.
 */
export interface IdTokenVerifier {
  verify(idToken: string, expected: { jwksUrl: string; issuer: string; audience: string }): Promise<{ subject: string } | null>;
}

/** An owner's sign-in settings screen (`server/persistence/gymSignInSettings.ts`): each change audited in the gym's chain. */
export interface GymSignInSettings {
  /** The install's gym when it has exactly one (the sign-in screens of a one-gym install need no link), else null. */
  onlyGym(): Promise<string | null>;
  /** The caller's membership of the gym, or null outside it. */
  membership(gymId: string, userId: string): Promise<{ role: string; status: string } | null>;
  savePolicy(gymId: string, actorId: string, policy: FactorPolicy, now: number): Promise<{ before: FactorPolicy; after: FactorPolicy }>;
  /** Sets (config) or removes (null) the gym's identity provider. */
  saveProvider(gymId: string, actorId: string, config: Omit<IdentityProviderConfig, "gymId"> | null, now: number): Promise<void>;
}
