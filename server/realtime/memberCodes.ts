import { createHmac, timingSafeEqual } from "node:crypto";

/** How long a shown check-in code stays valid; the member app refreshes it every minute. */
export const CODE_TTL_MS = 5 * 60_000;

/**
 * Signed, expiring check-in codes for the front-desk scanner: `S1.<userId>.<expiry>.<signature>`.
 * Not the bare member id: a screenshot stops working after a few minutes and codes cannot be forged.
 */
export class MemberCodes {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac("sha256", secret).update("spotter:member-code").digest();
  }

  private sign(payload: string): string {
    return createHmac("sha256", this.key).update(payload).digest("base64url").slice(0, 22);
  }

  issue(userId: string, now: number): { code: string; expiresAt: number } {
    const expiresAt = now + CODE_TTL_MS;
    const payload = `S1.${userId}.${Math.floor(expiresAt / 1000)}`;
    return { code: `${payload}.${this.sign(payload)}`, expiresAt };
  }

  /** The user id of a valid, unexpired code; null otherwise. */
  verify(code: string, now: number): string | null {
    const parts = code.trim().split(".");
    if (parts.length !== 4 || parts[0] !== "S1") return null;
    const [, userId, exp, sig] = parts as [string, string, string, string];
    const expected = Buffer.from(this.sign(`S1.${userId}.${exp}`));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    if (!/^\d+$/.test(exp) || Number(exp) * 1000 < now) return null;
    return /^[0-9a-f-]{36}$/i.test(userId) ? userId : null;
  }
}
