/**
 * Passkeys (WebAuthn, `@simplewebauthn/server`): register one after signing in, then sign in with it — as the only
 * step (a discoverable credential: no email typed) or as a staff member's second factor (limited to their own keys).
 * Each ceremony's challenge is server-side, single use and valid for 5 minutes.
 */
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import type {
  AccountLookup,
  AttemptLimiter,
  ChallengeStore,
  FactorAudit,
  PasskeyStore,
  RequestOrigin,
  StoredPasskey,
} from "./factorPorts.js";
import { refuse, spendAttempts, type FactorResult } from "./factorErrors.js";

/** The relying party: `rpId` is the site's host name (`localhost` in development), `origins` the exact app origins. */
export interface RelyingParty {
  rpId: string;
  rpName: string;
  origins: string[];
}

export interface PasskeyDeps {
  passkeys: PasskeyStore;
  challenges: ChallengeStore;
  accounts: AccountLookup;
  audit: FactorAudit;
  limiter: AttemptLimiter;
  rp: RelyingParty;
}

export const PASSKEY_CHALLENGE_MS = 5 * 60_000;
/** Most passkeys one account keeps (each is a row and a list entry in the profile). */
export const MAX_PASSKEYS_PER_USER = 10;

const REGISTER = "passkey:register";
const SIGN_IN = "passkey:signIn";
const NOT_RECOGNISED = "That passkey wasn't recognised — try again, or sign in with an email link.";

/** Options for `startRegistration()` in the browser, and the handle to send back with its answer. */
export async function startPasskeyRegistration(
  deps: PasskeyDeps,
  userId: string,
  origin: RequestOrigin,
): Promise<FactorResult<{ challengeId: string; options: PublicKeyCredentialCreationOptionsJSON }>> {
  const account = await deps.accounts.byId(userId);
  if (!account) return refuse("NOT_FOUND", "This account no longer exists.");
  const existing = await deps.passkeys.listByUser(userId);
  if (existing.length >= MAX_PASSKEYS_PER_USER)
    return refuse("LIMIT_EXCEEDED", `You have ${MAX_PASSKEYS_PER_USER} passkeys — remove one before adding another.`);
  const options = await generateRegistrationOptions({
    rpName: deps.rp.rpName,
    rpID: deps.rp.rpId,
    userName: account.email,
    userDisplayName: account.name,
    userID: uuidBytes(userId),
    attestationType: "none",
    excludeCredentials: existing.map((p) => ({ id: p.id, transports: p.transports as AuthenticatorTransportFuture[] })),
    authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
    timeout: PASSKEY_CHALLENGE_MS,
  });
  const challengeId = randomId();
  await deps.challenges.put({
    id: challengeId,
    purpose: REGISTER,
    userId,
    payload: { challenge: options.challenge },
    expiresAt: origin.now + PASSKEY_CHALLENGE_MS,
  });
  return { ok: true, challengeId, options };
}

/** Verifies the browser's answer and stores the passkey. Audited. */
export async function finishPasskeyRegistration(
  deps: PasskeyDeps,
  userId: string,
  input: { challengeId: string; response: RegistrationResponseJSON; name?: string | undefined },
  origin: RequestOrigin,
): Promise<FactorResult<{ passkey: PasskeySummary }>> {
  const taken = await deps.challenges.take(input.challengeId, REGISTER, origin.now);
  if (!taken || taken.userId !== userId) return refuse("CHALLENGE_EXPIRED", "That took too long — start adding the passkey again.");
  let verified;
  try {
    verified = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: String(taken.payload.challenge),
      expectedOrigin: deps.rp.origins,
      expectedRPID: deps.rp.rpId,
      requireUserVerification: false,
    });
  } catch {
    verified = { verified: false as const };
  }
  if (!verified.verified) {
    await deps.audit.record({ at: origin.now, userId, gymId: null, action: "passkey:registerFailed", ip: origin.ip, summary: {} });
    return refuse("INVALID_CREDENTIALS", "Your device's answer could not be verified — try adding the passkey again.");
  }
  const info = verified.registrationInfo;
  const passkey: StoredPasskey = {
    id: info.credential.id,
    userId,
    publicKey: info.credential.publicKey,
    counter: info.credential.counter,
    transports: info.credential.transports ?? [],
    deviceType: info.credentialDeviceType,
    backedUp: info.credentialBackedUp,
    name: (input.name ?? "").trim().slice(0, 100) || "Passkey",
    createdAt: origin.now,
    lastUsedAt: null,
  };
  if ((await deps.passkeys.listByUser(userId)).length >= MAX_PASSKEYS_PER_USER)
    return refuse("LIMIT_EXCEEDED", `You have ${MAX_PASSKEYS_PER_USER} passkeys — remove one before adding another.`);
  if (!(await deps.passkeys.insert(passkey))) return refuse("ALREADY_SET_UP", "This passkey is already registered.");
  await deps.audit.record({
    at: origin.now,
    userId,
    gymId: null,
    action: "passkey:added",
    ip: origin.ip,
    summary: { passkey: passkey.id.slice(0, 16), name: passkey.name },
  });
  return { ok: true, passkey: summarize(passkey) };
}

/**
 * Options for `startAuthentication()`. Without `userId` any passkey of this site may answer (the sign-in button);
 * with it only that user's passkeys (the staff second factor).
 */
export async function startPasskeySignIn(
  deps: PasskeyDeps,
  origin: RequestOrigin,
  userId?: string,
): Promise<FactorResult<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }>> {
  const limited = await spendAttempts(deps.limiter, origin.ip ? [`ip:${origin.ip}`] : [], origin.now);
  if (limited) return limited;
  const allow = userId
    ? (await deps.passkeys.listByUser(userId)).map((p) => ({ id: p.id, transports: p.transports as AuthenticatorTransportFuture[] }))
    : undefined;
  if (allow && allow.length === 0) return refuse("NOT_FOUND", "No passkey is registered for this account.");
  const options = await generateAuthenticationOptions({
    rpID: deps.rp.rpId,
    userVerification: "preferred",
    timeout: PASSKEY_CHALLENGE_MS,
    ...(allow ? { allowCredentials: allow } : {}),
  });
  const challengeId = randomId();
  await deps.challenges.put({
    id: challengeId,
    purpose: SIGN_IN,
    userId: userId ?? null,
    payload: { challenge: options.challenge },
    expiresAt: origin.now + PASSKEY_CHALLENGE_MS,
  });
  return { ok: true, challengeId, options };
}

/** Verifies a passkey's signature: who signed in. A counter that did not move forward (a cloned key) is refused. Failures audited. */
export async function finishPasskeySignIn(
  deps: PasskeyDeps,
  input: { challengeId: string; response: AuthenticationResponseJSON },
  origin: RequestOrigin,
): Promise<FactorResult<{ userId: string; passkeyId: string }>> {
  const taken = await deps.challenges.take(input.challengeId, SIGN_IN, origin.now);
  if (!taken) return refuse("CHALLENGE_EXPIRED", "That took too long — tap the passkey button again.");
  const stored = typeof input.response?.id === "string" ? await deps.passkeys.find(input.response.id) : null;
  const fail = async (reason: string) => {
    await deps.audit.record({
      at: origin.now,
      userId: stored?.userId ?? null,
      gymId: null,
      action: "passkey:failed",
      ip: origin.ip,
      summary: { reason },
    });
    return refuse("INVALID_CREDENTIALS", NOT_RECOGNISED);
  };
  if (!stored) return fail("unknown_credential");
  // Limited to one user (second factor): another user's passkey does not count.
  if (taken.userId !== null && taken.userId !== stored.userId) return fail("other_user");
  const handle = input.response.response?.userHandle;
  if (handle && handle !== base64url(uuidBytes(stored.userId))) return fail("user_handle_mismatch");
  let verified;
  try {
    verified = await verifyAuthenticationResponse({
      response: input.response,
      expectedChallenge: String(taken.payload.challenge),
      expectedOrigin: deps.rp.origins,
      expectedRPID: deps.rp.rpId,
      credential: {
        id: stored.id,
        publicKey: new Uint8Array(stored.publicKey),
        counter: stored.counter,
        transports: stored.transports as AuthenticatorTransportFuture[],
      },
      requireUserVerification: false,
    });
  } catch {
    return fail("bad_signature");
  }
  if (!verified.verified) return fail("bad_signature");
  if (!(await deps.passkeys.recordUse(stored.id, verified.authenticationInfo.newCounter, origin.now))) return fail("counter_replayed");
  return { ok: true, userId: stored.userId, passkeyId: stored.id };
}

/** What the profile shows of a passkey. */
export interface PasskeySummary {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
  backedUp: boolean;
}

export async function listPasskeys(deps: Pick<PasskeyDeps, "passkeys">, userId: string): Promise<PasskeySummary[]> {
  return (await deps.passkeys.listByUser(userId)).map(summarize);
}

/** Removes one of the user's own passkeys. Audited. */
export async function removePasskey(
  deps: PasskeyDeps,
  userId: string,
  passkeyId: string,
  origin: RequestOrigin,
): Promise<FactorResult<object>> {
  if (!(await deps.passkeys.remove(userId, passkeyId))) return refuse("NOT_FOUND", "That passkey is not registered to your account.");
  await deps.audit.record({
    at: origin.now,
    userId,
    gymId: null,
    action: "passkey:removed",
    ip: origin.ip,
    summary: { passkey: passkeyId.slice(0, 16) },
  });
  return { ok: true };
}

function summarize(p: StoredPasskey): PasskeySummary {
  return { id: p.id, name: p.name, createdAt: p.createdAt, lastUsedAt: p.lastUsedAt, backedUp: p.backedUp };
}

/** The WebAuthn user handle: the account's UUID as 16 bytes (no email or name in it). */
function uuidBytes(id: string): Uint8Array<ArrayBuffer> {
  const hex = id.replace(/-/g, "");
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64url");
}

/** A 32-byte random handle for a challenge. */
export function randomId(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}
