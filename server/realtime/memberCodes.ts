import type { JWK } from "jose";
import type { CodeKeyring, VerifyingKey } from "../checkin/codeKeys.js";

/** How long a shown check-in code stays valid; the member app refreshes it every minute. */
export const CODE_TTL_MS = 5 * 60_000;

const UserIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const enc = new TextEncoder();

/**
 * Verifies a code with public keys alone (what an offline desk holds): the user id of a valid, unexpired code
 * signed by one of `keys`; null otherwise.
 */
export async function verifyMemberCode(
  code: string,
  keys: readonly Pick<VerifyingKey, "kid" | "key">[],
  now: number,
): Promise<string | null> {
  const parts = code.trim().split(".");
  if (parts.length !== 5 || parts[0] !== "S2") return null;
  const [, kid, userId, exp, sig] = parts as [string, string, string, string, string];
  const key = keys.find((k) => k.kid === kid);
  if (!key || !UserIdPattern.test(userId) || !/^\d{1,12}$/.test(exp) || Number(exp) * 1000 < now || !/^[A-Za-z0-9_-]{86}$/.test(sig))
    return null;
  const ok = await crypto.subtle.verify("Ed25519", key.key, Buffer.from(sig, "base64url"), enc.encode(`S2.${kid}.${userId}.${exp}`));
  return ok ? userId.toLowerCase() : null;
}

/**
 * Signed, expiring check-in codes for the front-desk scanner: `S2.<kid>.<userId>.<expiry>.<Ed25519 signature>`.
 * Not the bare member id: a screenshot stops working after a few minutes, and only the holder of the gym's
 * signing key can make one — nothing a client or an anonymous caller can see (no node id, no token secret).
 */
export class MemberCodes {
  constructor(private readonly keys: CodeKeyring) {}

  async issue(userId: string, now: number): Promise<{ code: string; expiresAt: number }> {
    const expiresAt = now + CODE_TTL_MS;
    const payload = `S2.${this.keys.current.kid}.${userId}.${Math.floor(expiresAt / 1000)}`;
    const sig = Buffer.from(await crypto.subtle.sign("Ed25519", this.keys.current.signKey, enc.encode(payload))).toString("base64url");
    return { code: `${payload}.${sig}`, expiresAt };
  }

  /** The user id of a valid, unexpired code signed by the current key or, until the overlap ends, a previous one. */
  verify(code: string, now: number): Promise<string | null> {
    return verifyMemberCode(code, this.accepted(now), now);
  }

  /** The public keys codes are accepted with at `now` (a JWKS for desks that verify offline). */
  publicKeys(now: number): { keys: JWK[] } {
    return { keys: this.accepted(now).map((k) => k.jwk) };
  }

  private accepted(now: number): readonly VerifyingKey[] {
    const { current, previous, previousUntil } = this.keys;
    return previousUntil !== null && now <= previousUntil ? [current, ...previous] : [current];
  }
}
