/**
 * TOTP (RFC 6238, authenticator apps) as a second factor: enroll → confirm with a first code → verify at sign-in.
 * A code is accepted once (its time step must be later than the last accepted one) within ±30 s of clock drift.
 */
import { generateSecret, generateURI, verify } from "otplib";
import type { AccountLookup, AttemptLimiter, FactorAudit, RequestOrigin, TotpStore } from "./factorPorts.js";
import { refuse, spendAttempts, type FactorResult } from "./factorErrors.js";

export interface TotpDeps {
  totp: TotpStore;
  accounts: AccountLookup;
  audit: FactorAudit;
  limiter: AttemptLimiter;
  /** Shown in the authenticator app next to the account, e.g. "Spotter". */
  issuer: string;
}

const CODE = /^\d{6}$/;
/** Accepted clock drift between the phone and the server, seconds (one 30 s step either way). */
const DRIFT_SECONDS = 30;

/** Starts enrolling an authenticator: a new secret and the `otpauth://` URI for a QR code. Replaces an unconfirmed one. */
export async function startTotpEnrollment(
  deps: TotpDeps,
  userId: string,
  origin: RequestOrigin,
): Promise<FactorResult<{ secret: string; uri: string }>> {
  const account = await deps.accounts.byId(userId);
  if (!account) return refuse("NOT_FOUND", "This account no longer exists.");
  const secret = generateSecret({ length: 20 });
  if (!(await deps.totp.putPending(userId, secret, origin.now)))
    return refuse("ALREADY_SET_UP", "An authenticator app is already set up — remove it first to set up another.");
  return { ok: true, secret, uri: generateURI({ issuer: deps.issuer, label: account.email, secret }) };
}

/** Confirms the pending authenticator with its first code; from then on it is a factor. Audited. */
export async function confirmTotpEnrollment(
  deps: TotpDeps,
  userId: string,
  code: string,
  origin: RequestOrigin,
): Promise<FactorResult<object>> {
  const record = await deps.totp.get(userId);
  if (!record) return refuse("NOT_FOUND", "Start setting up the authenticator app first.");
  if (record.confirmedAt !== null) return refuse("ALREADY_SET_UP", "This authenticator app is already set up.");
  const checked = await checkCode(deps, userId, record.secret, record.lastTimeStep, code, origin, "totp:enrollFailed");
  if (!checked.ok) return checked;
  await deps.audit.record({ at: origin.now, userId, gymId: null, action: "totp:enabled", ip: origin.ip, summary: {} });
  return { ok: true };
}

/** Checks a sign-in code of the user's confirmed authenticator. Failures are audited and rate-limited per user and IP. */
export async function verifyTotp(deps: TotpDeps, userId: string, code: string, origin: RequestOrigin): Promise<FactorResult<object>> {
  const record = await deps.totp.get(userId);
  if (!record || record.confirmedAt === null) return refuse("NOT_FOUND", "No authenticator app is set up for this account.");
  return checkCode(deps, userId, record.secret, record.lastTimeStep, code, origin, "totp:failed");
}

/** Removes the user's authenticator (confirmed or not). Audited. */
export async function removeTotp(deps: TotpDeps, userId: string, origin: RequestOrigin): Promise<FactorResult<object>> {
  if (!(await deps.totp.remove(userId))) return refuse("NOT_FOUND", "No authenticator app is set up for this account.");
  await deps.audit.record({ at: origin.now, userId, gymId: null, action: "totp:removed", ip: origin.ip, summary: {} });
  return { ok: true };
}

/** Whether the user has a confirmed authenticator (a second factor staff may use). */
export async function hasTotp(deps: Pick<TotpDeps, "totp">, userId: string): Promise<boolean> {
  const record = await deps.totp.get(userId);
  return record !== null && record.confirmedAt !== null;
}

async function checkCode(
  deps: TotpDeps,
  userId: string,
  secret: string,
  lastTimeStep: number | null,
  code: string,
  origin: RequestOrigin,
  failure: string,
): Promise<FactorResult<object>> {
  const limited = await spendAttempts(deps.limiter, [`totp-user:${userId}`, ...(origin.ip ? [`ip:${origin.ip}`] : [])], origin.now);
  if (limited) {
    await deps.audit.record({ at: origin.now, userId, gymId: null, action: failure, ip: origin.ip, summary: { reason: "rate_limited" } });
    return limited;
  }
  const token = code.replace(/\s+/g, "");
  const result = CODE.test(token)
    ? await verify({
        secret,
        token,
        epoch: Math.floor(origin.now / 1000),
        epochTolerance: DRIFT_SECONDS,
        ...(lastTimeStep !== null ? { afterTimeStep: lastTimeStep } : {}),
      }).catch(() => ({ valid: false as const }))
    : { valid: false as const };
  // The store re-checks the step atomically: two requests racing with one code cannot both pass.
  if (result.valid && "timeStep" in result && (await deps.totp.acceptStep(userId, result.timeStep, origin.now))) return { ok: true };
  await deps.audit.record({
    at: origin.now,
    userId,
    gymId: null,
    action: failure,
    ip: origin.ip,
    summary: { reason: result.valid ? "replayed" : "wrong_code" },
  });
  return refuse("INVALID_CREDENTIALS", "That code is not right — enter the current 6-digit code from your authenticator app.");
}
