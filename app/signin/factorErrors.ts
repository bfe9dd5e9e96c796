/** Stable codes of the factor use cases' refusals (the transport maps them to HTTP statuses and ack errors). */
export const FactorErrorCodes = {
  /** The code, passkey, password or provider answer did not prove who this is. Never says which part was wrong. */
  INVALID_CREDENTIALS: "INVALID_CREDENTIALS",
  /** The sign-in step expired or was already used: start again. */
  CHALLENGE_EXPIRED: "CHALLENGE_EXPIRED",
  RATE_LIMITED: "RATE_LIMITED",
  /** The password is too short, too long, too common or contains the email. */
  WEAK_PASSWORD: "WEAK_PASSWORD",
  /** The gym does not offer this way of signing in. */
  METHOD_DISABLED: "METHOD_DISABLED",
  /** Already set up (a second confirmed authenticator, a passkey registered twice). */
  ALREADY_SET_UP: "ALREADY_SET_UP",
  NOT_FOUND: "NOT_FOUND",
  LIMIT_EXCEEDED: "LIMIT_EXCEEDED",
  /** The identity provider could not be reached or answered nonsense. */
  UNAVAILABLE: "UNAVAILABLE",
} as const;

export type FactorErrorCode = (typeof FactorErrorCodes)[keyof typeof FactorErrorCodes];

/** A refusal with its stable code and words a person can act on. */
export interface FactorError {
  ok: false;
  code: FactorErrorCode;
  message: string;
  /** For RATE_LIMITED: when to try again, ms. */
  retryAfterMs?: number;
}

export type FactorResult<T> = ({ ok: true } & T) | FactorError;

export const refuse = (code: FactorErrorCode, message: string, retryAfterMs?: number): FactorError =>
  retryAfterMs === undefined ? { ok: false, code, message } : { ok: false, code, message, retryAfterMs };

/** Takes one attempt from every key; the first refusal wins. */
export async function spendAttempts(
  limiter: { take(key: string, now: number): Promise<number> },
  keys: readonly string[],
  now: number,
): Promise<FactorError | null> {
  for (const key of keys) {
    const wait = await limiter.take(key, now);
    if (wait > 0) return refuse("RATE_LIMITED", `Too many sign-in attempts — try again in ${Math.ceil(wait / 1000)} s.`, wait);
  }
  return null;
}
