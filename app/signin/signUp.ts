/**
 * Self sign-up for members, where a gym's owner allows it: the address gets a member invitation of its own by mail
 * (single use, 24 hours). Nothing is created until the link is opened — which proves the address — and accepting it
 * (name, then signed in) is the invitation's own path, so an existing account just gains the membership. The answer is
 * the same for every address (never whether it has an account); mails are budgeted per address and per IP, and a gym
 * holds at most `MAX_OPEN_SIGN_UPS` unconfirmed sign-ups at once.
 */
import type { Invitations } from "./invitations.js";
import type { AuthLog, Limiter, RequestInfo } from "./ports.js";

export const SIGN_UP_TTL_MS = 24 * 3_600_000;
export const MAX_OPEN_SIGN_UPS = 1_000;

export interface SignUpDeps {
  invitations: Invitations;
  /**
   * The gym's name and current policy versions (`{ terms, privacy }`, what the newcomer accepts) when it takes self
   * sign-ups, else null (no such gym, or its owner has not turned it on).
   */
  openGym(gymId: string): Promise<{ name: string; requiredConsents: Record<string, string> } | null>;
  /** The gym's sign-ups not yet confirmed and not expired. */
  openSignUps(gymId: string): Promise<number>;
  limits: { perEmail: Limiter; perIp: Limiter };
  log: AuthLog;
  now: () => number;
}

export type SignUpOutcome =
  | { ok: true; message: string }
  | { ok: false; code: "RATE_LIMITED" | "METHOD_DISABLED" | "LIMIT_EXCEEDED"; message: string; retryAfterMs?: number };

const SENT = "Check your inbox: we've sent a link to join. It works once, within 24 hours.";

/** "Join this gym": mails the address its own member invitation (same answer whether it has an account or not). */
export async function requestSignUp(d: SignUpDeps, input: { gymId: string; email: string }, request: RequestInfo): Promise<SignUpOutcome> {
  const gym = await d.openGym(input.gymId);
  if (!gym)
    return {
      ok: false,
      code: "METHOD_DISABLED",
      message: "This gym doesn't take sign-ups in the app — ask at the front desk for an invitation.",
    };
  const email = input.email.trim().toLowerCase();
  const wait = Math.max(await d.limits.perIp.take(request.ip), await d.limits.perEmail.take(email));
  if (wait > 0)
    return {
      ok: false,
      code: "RATE_LIMITED",
      message: `Too many sign-ups from here — wait ${Math.max(1, Math.ceil(wait / 60_000))} min and try again.`,
      retryAfterMs: wait,
    };
  if ((await d.openSignUps(input.gymId)) >= MAX_OPEN_SIGN_UPS)
    return {
      ok: false,
      code: "LIMIT_EXCEEDED",
      message: `${gym.name} has too many sign-ups waiting — try again tomorrow, or ask at the front desk.`,
    };
  const made = await d.invitations.invite({
    gymId: input.gymId,
    gymName: gym.name,
    email,
    role: "member",
    invitedBy: null,
    inviterName: null,
    ttlMs: SIGN_UP_TTL_MS,
    selfSignUp: true,
    consents: gym.requiredConsents,
  });
  await d.log.record({ event: "sign_up_requested", at: d.now(), email, request, detail: { gymId: input.gymId, invitationId: made.id } });
  return { ok: true, message: SENT };
}
