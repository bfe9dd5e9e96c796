/**
 * Passwords, where a gym turns them on: argon2id hashes (OWASP parameters), the length and breach rules of
 * `domain/signin/passwordRules.ts`, and answers that never say whether an email has an account or a password.
 * A password is never stored, logged or audited — only its hash is kept.
 */
import { hash, verify, type Algorithm } from "@node-rs/argon2";
import { passwordProblem } from "../../domain/signin/passwordRules.js";
import type { AccountLookup, AttemptLimiter, FactorAudit, PasswordStore, PolicyStore, RequestOrigin } from "./factorPorts.js";
import { refuse, spendAttempts, type FactorResult } from "./factorErrors.js";

export interface PasswordDeps {
  passwords: PasswordStore;
  accounts: AccountLookup;
  policies: PolicyStore;
  audit: FactorAudit;
  limiter: AttemptLimiter;
}

/** argon2id, 19 MiB, 2 passes, 1 lane (OWASP's first recommended setting). `2` is `Algorithm.Argon2id` (a const enum). */
const ARGON2ID = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Compared against when there is no account or no password, so both answers take as long as a wrong password. */
let decoy: Promise<string> | undefined;
const decoyHash = () => (decoy ??= hash("spotter decoy password, never valid", ARGON2ID));

const WRONG = "That email and password don't match — try again, or sign in with an email link.";

/** Sets (or replaces) the user's password after the rules; audited without the password. */
export async function setPassword(
  deps: PasswordDeps,
  userId: string,
  password: string,
  origin: RequestOrigin,
  context: readonly string[] = [],
): Promise<FactorResult<object>> {
  const account = await deps.accounts.byId(userId);
  if (!account) return refuse("NOT_FOUND", "This account no longer exists.");
  const problem = passwordProblem(password, [account.email, account.name, ...context]);
  if (problem) return refuse("WEAK_PASSWORD", problem);
  const replaced = (await deps.passwords.hashOf(userId)) !== null;
  await deps.passwords.set(userId, await hash(password, ARGON2ID), origin.now);
  await deps.audit.record({
    at: origin.now,
    userId,
    gymId: null,
    action: replaced ? "password:changed" : "password:set",
    ip: origin.ip,
    summary: {},
  });
  return { ok: true };
}

/** Removes the user's password (they sign in with links, passkeys or their provider again). Audited. */
export async function removePassword(deps: PasswordDeps, userId: string, origin: RequestOrigin): Promise<FactorResult<object>> {
  if (!(await deps.passwords.remove(userId))) return refuse("NOT_FOUND", "This account has no password.");
  await deps.audit.record({ at: origin.now, userId, gymId: null, action: "password:removed", ip: origin.ip, summary: {} });
  return { ok: true };
}

/**
 * Checks an email and password for a sign-in at `gymId`. Rate-limited per email and per IP; every failure is audited
 * (naming the user only when the email has an account). The same answer for an unknown email, a user without a
 * password and a wrong password.
 */
export async function verifyPasswordSignIn(
  deps: PasswordDeps,
  gymId: string,
  email: string,
  password: string,
  origin: RequestOrigin,
): Promise<FactorResult<{ userId: string }>> {
  const policy = await deps.policies.get(gymId);
  if (!policy.passwordsAllowed) return refuse("METHOD_DISABLED", "This gym signs in with email links and passkeys, not passwords.");
  const address = email.trim().toLowerCase();
  const limited = await spendAttempts(deps.limiter, [`email:${address}`, ...(origin.ip ? [`ip:${origin.ip}`] : [])], origin.now);
  const account = await deps.accounts.byEmail(address);
  if (limited) {
    await fail(deps, account?.id ?? null, gymId, origin, "rate_limited");
    return limited;
  }
  const stored = account ? await deps.passwords.hashOf(account.id) : null;
  const long = [...password].length > 1024; // never hash megabytes on request
  const matches = await verify(stored && !long ? stored : await decoyHash(), long ? "x" : password).catch(() => false);
  // A member of another gym gets no password sign-in here (their gym may not allow passwords).
  const member = account && matches ? (await deps.accounts.activeRole(gymId, account.id)) !== null : false;
  if (!account || !stored || !matches || !member) {
    const reason = !account ? "unknown_email" : !stored ? "no_password" : !matches ? "wrong_password" : "not_a_member";
    await fail(deps, account?.id ?? null, gymId, origin, reason);
    return refuse("INVALID_CREDENTIALS", WRONG);
  }
  return { ok: true, userId: account.id };
}

function fail(deps: PasswordDeps, userId: string | null, gymId: string, origin: RequestOrigin, reason: string): Promise<void> {
  return deps.audit.record({ at: origin.now, userId, gymId, action: "password:failed", ip: origin.ip, summary: { reason } });
}
