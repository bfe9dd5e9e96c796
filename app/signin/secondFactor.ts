/**
 * The staff second factor. When an owner requires it, a staff member's sign-in by email, password or provider is not
 * finished by the first factor: it yields a *ticket* (server-side, 10 minutes, at most 5 wrong codes) that a TOTP
 * code or the member's own passkey redeems. Staff without any second factor set one up (TOTP) with the ticket, so
 * turning the rule on never locks anyone out. A passkey sign-in is already two factors (the device + its unlock).
 */
import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { ChallengeStore, PolicyStore, RequestOrigin } from "./factorPorts.js";
import { refuse, type FactorResult } from "./factorErrors.js";
import { finishPasskeySignIn, listPasskeys, randomId, startPasskeySignIn, type PasskeyDeps } from "./passkeys.js";
import { confirmTotpEnrollment, hasTotp, startTotpEnrollment, verifyTotp, type TotpDeps } from "./totp.js";

export interface SecondFactorDeps {
  policies: PolicyStore;
  challenges: ChallengeStore;
  totp: TotpDeps;
  passkeys: PasskeyDeps;
}

export const SECOND_FACTOR_TICKET_MS = 10 * 60_000;
const MAX_WRONG_CODES = 5;
const PURPOSE = "second-factor";
const EXPIRED = "That sign-in took too long — start again.";

/** A first factor proven: `done` (sign in now), or the ticket and what can redeem it. */
export type AfterFirstFactor =
  | { kind: "done"; userId: string; method: string; factors: string[] }
  | { kind: "second_factor"; ticket: string; methods: ("totp" | "passkey")[]; setupRequired: boolean };

/** What completes a sign-in once the second factor passed. */
export interface SignInReady {
  userId: string;
  method: string;
  factors: string[];
}

export async function afterFirstFactor(
  deps: SecondFactorDeps,
  userId: string,
  method: string,
  origin: RequestOrigin,
): Promise<AfterFirstFactor> {
  if (method === "passkey" || !(await deps.policies.staffSecondFactorRequired(userId)))
    return { kind: "done", userId, method, factors: [] };
  const methods: ("totp" | "passkey")[] = [];
  if (await hasTotp(deps.totp, userId)) methods.push("totp");
  if ((await listPasskeys(deps.passkeys, userId)).length > 0) methods.push("passkey");
  const ticket = randomId();
  await deps.challenges.put({
    id: ticket,
    purpose: PURPOSE,
    userId,
    payload: { method, wrong: 0, expiresAt: origin.now + SECOND_FACTOR_TICKET_MS },
    expiresAt: origin.now + SECOND_FACTOR_TICKET_MS,
  });
  return { kind: "second_factor", ticket, methods, setupRequired: methods.length === 0 };
}

/** Redeems the ticket with a TOTP code (an enrolled authenticator). Wrong codes keep the ticket, up to 5. */
export function secondFactorTotp(
  deps: SecondFactorDeps,
  ticket: string,
  code: string,
  origin: RequestOrigin,
): Promise<FactorResult<SignInReady>> {
  return redeemWithCode(deps, ticket, origin, (userId) => verifyTotp(deps.totp, userId, code, origin));
}

/** Staff without a second factor: starts setting up an authenticator app with the ticket (the ticket stays). */
export async function secondFactorSetup(
  deps: SecondFactorDeps,
  ticket: string,
  origin: RequestOrigin,
): Promise<FactorResult<{ secret: string; uri: string }>> {
  const t = await takeTicket(deps, ticket, origin);
  if (!t) return refuse("CHALLENGE_EXPIRED", EXPIRED);
  await keepTicket(deps, ticket, t, false);
  if ((await hasTotp(deps.totp, t.userId)) || (await listPasskeys(deps.passkeys, t.userId)).length > 0)
    return refuse("ALREADY_SET_UP", "A second factor is already set up — use it to sign in.");
  return startTotpEnrollment(deps.totp, t.userId, origin);
}

/** Confirms the new authenticator with its first code; that code is the second factor of this sign-in. */
export function secondFactorSetupConfirm(
  deps: SecondFactorDeps,
  ticket: string,
  code: string,
  origin: RequestOrigin,
): Promise<FactorResult<SignInReady>> {
  return redeemWithCode(deps, ticket, origin, (userId) => confirmTotpEnrollment(deps.totp, userId, code, origin));
}

/** Redeems the ticket with an authenticator's code that `check` accepts; a wrong code keeps the ticket (counted). */
async function redeemWithCode(
  deps: SecondFactorDeps,
  ticket: string,
  origin: RequestOrigin,
  check: (userId: string) => Promise<FactorResult<object>>,
): Promise<FactorResult<SignInReady>> {
  const t = await takeTicket(deps, ticket, origin);
  if (!t) return refuse("CHALLENGE_EXPIRED", EXPIRED);
  const checked = await check(t.userId);
  if (checked.ok) return { ok: true, userId: t.userId, method: t.method, factors: ["totp"] };
  await keepTicket(deps, ticket, t, checked.code === "INVALID_CREDENTIALS");
  return checked;
}

/** Passkey options limited to the ticket holder's own passkeys. */
export async function secondFactorPasskeyOptions(
  deps: SecondFactorDeps,
  ticket: string,
  origin: RequestOrigin,
): Promise<FactorResult<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }>> {
  const t = await takeTicket(deps, ticket, origin);
  if (!t) return refuse("CHALLENGE_EXPIRED", EXPIRED);
  await keepTicket(deps, ticket, t, false);
  return startPasskeySignIn(deps.passkeys, origin, t.userId);
}

export async function secondFactorPasskey(
  deps: SecondFactorDeps,
  input: { ticket: string; challengeId: string; response: AuthenticationResponseJSON },
  origin: RequestOrigin,
): Promise<FactorResult<SignInReady>> {
  const t = await takeTicket(deps, input.ticket, origin);
  if (!t) return refuse("CHALLENGE_EXPIRED", EXPIRED);
  const signed = await finishPasskeySignIn(deps.passkeys, { challengeId: input.challengeId, response: input.response }, origin);
  if (signed.ok && signed.userId === t.userId) return { ok: true, userId: t.userId, method: t.method, factors: ["passkey"] };
  await keepTicket(deps, input.ticket, t, true);
  return signed.ok ? refuse("INVALID_CREDENTIALS", "That passkey belongs to someone else.") : signed;
}

interface Ticket {
  userId: string;
  method: string;
  wrong: number;
  expiresAt: number;
}

async function takeTicket(deps: SecondFactorDeps, ticket: string, origin: RequestOrigin): Promise<Ticket | null> {
  if (typeof ticket !== "string" || ticket.length === 0 || ticket.length > 64) return null;
  const taken = await deps.challenges.take(ticket, PURPOSE, origin.now);
  if (!taken || !taken.userId) return null;
  const p = taken.payload as { method: string; wrong: number; expiresAt: number };
  return { userId: taken.userId, method: p.method, wrong: p.wrong, expiresAt: p.expiresAt };
}

/** Puts the ticket back (same id and expiry) unless this was its last allowed wrong answer. */
async function keepTicket(deps: SecondFactorDeps, id: string, t: Ticket, wrong: boolean): Promise<void> {
  const count = t.wrong + (wrong ? 1 : 0);
  if (count >= MAX_WRONG_CODES) return;
  await deps.challenges.put({
    id,
    purpose: PURPOSE,
    userId: t.userId,
    payload: { method: t.method, wrong: count, expiresAt: t.expiresAt },
    expiresAt: t.expiresAt,
  });
}
