import { EntitySchema } from "@mikro-orm/core";
import { EpochMsType } from "../EpochMsType.js";

/** A registered passkey (WebAuthn credential) of a user; `id` is the credential id in base64url. */
export interface PasskeyCredentialRow {
  id: string;
  userId: string;
  publicKey: Buffer;
  counter: number;
  transports: string[];
  deviceType: string;
  backedUp: boolean;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export const PasskeyCredentialEntity = new EntitySchema<PasskeyCredentialRow>({
  name: "PasskeyCredential",
  tableName: "passkey_credential",
  properties: {
    id: { type: "string", length: 1024, primary: true },
    userId: { type: "uuid", index: true },
    publicKey: { type: "blob" },
    counter: { type: "bigint", default: 0 },
    transports: { type: "json" },
    deviceType: { type: "string", length: 32 },
    backedUp: { type: "boolean" },
    name: { type: "string", length: 100 },
    createdAt: { type: EpochMsType },
    lastUsedAt: { type: EpochMsType, nullable: true },
  },
});

/** A user's TOTP authenticator: pending until the first code confirms it; `lastTimeStep` refuses a replayed code. */
export interface TotpFactorRow {
  userId: string;
  secret: string;
  confirmedAt: number | null;
  lastTimeStep: number | null;
  createdAt: number;
}

export const TotpFactorEntity = new EntitySchema<TotpFactorRow>({
  name: "TotpFactor",
  tableName: "totp_factor",
  properties: {
    userId: { type: "uuid", primary: true },
    /** Sealed (AES-256-GCM, `server/persistence/secretBox.ts`). */
    secret: { type: "text" },
    confirmedAt: { type: EpochMsType, nullable: true },
    lastTimeStep: { type: "bigint", nullable: true },
    createdAt: { type: EpochMsType },
  },
});

/** A user's password, as an argon2id PHC string (never the password). */
export interface PasswordCredentialRow {
  userId: string;
  hash: string;
  updatedAt: number;
}

export const PasswordCredentialEntity = new EntitySchema<PasswordCredentialRow>({
  name: "PasswordCredential",
  tableName: "password_credential",
  properties: {
    userId: { type: "uuid", primary: true },
    hash: { type: "string", length: 255 },
    updatedAt: { type: EpochMsType },
  },
});

/** A single-use, expiring server-side value of a sign-in in flight (WebAuthn challenge, OIDC state + PKCE verifier). */
export interface AuthChallengeRow {
  id: string;
  purpose: string;
  userId: string | null;
  payload: Record<string, unknown>;
  expiresAt: number;
}

export const AuthChallengeEntity = new EntitySchema<AuthChallengeRow>({
  name: "AuthChallenge",
  tableName: "auth_challenge",
  properties: {
    id: { type: "string", length: 64, primary: true },
    purpose: { type: "string", length: 32 },
    userId: { type: "uuid", nullable: true },
    payload: { type: "json" },
    expiresAt: { type: EpochMsType, index: true },
  },
});

/** A gym's OpenID Connect identity provider (one per gym). */
export interface GymIdentityProviderRow {
  gymId: string;
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  displayName: string;
}

export const GymIdentityProviderEntity = new EntitySchema<GymIdentityProviderRow>({
  name: "GymIdentityProvider",
  tableName: "gym_identity_provider",
  properties: {
    gymId: { type: "uuid", primary: true },
    issuer: { type: "string", length: 500 },
    clientId: { type: "string", length: 200 },
    /** Sealed (AES-256-GCM, `server/persistence/secretBox.ts`). */
    clientSecret: { type: "text", nullable: true },
    displayName: { type: "string", length: 100 },
  },
});

/** Which Spotter user an identity provider's subject is. */
export interface OidcIdentityRow {
  issuer: string;
  subject: string;
  userId: string;
  createdAt: number;
}

export const OidcIdentityEntity = new EntitySchema<OidcIdentityRow>({
  name: "OidcIdentity",
  tableName: "oidc_identity",
  properties: {
    issuer: { type: "string", length: 500, primary: true },
    subject: { type: "string", length: 255, primary: true },
    userId: { type: "uuid", index: true },
    createdAt: { type: EpochMsType },
  },
});

/** What a gym's owner decided about sign-in: passwords allowed, a second factor required of staff, members' self sign-up. */
export interface GymFactorPolicyRow {
  gymId: string;
  passwordsAllowed: boolean;
  staffSecondFactor: boolean;
  selfSignUp: boolean;
  updatedAt: number;
}

export const GymFactorPolicyEntity = new EntitySchema<GymFactorPolicyRow>({
  name: "GymFactorPolicy",
  tableName: "gym_factor_policy",
  properties: {
    gymId: { type: "uuid", primary: true },
    passwordsAllowed: { type: "boolean", default: false },
    staffSecondFactor: { type: "boolean", default: false },
    selfSignUp: { type: "boolean", default: false },
    updatedAt: { type: EpochMsType },
  },
});

export const factorEntities = [
  PasskeyCredentialEntity,
  TotpFactorEntity,
  PasswordCredentialEntity,
  AuthChallengeEntity,
  GymIdentityProviderEntity,
  OidcIdentityEntity,
  GymFactorPolicyEntity,
];
