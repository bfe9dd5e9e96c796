/**
 * The member check-in code's format, `S2.<kid>.<userId>.<expiry s>.<Ed25519 signature>` (server/realtime/memberCodes.ts
 * signs it), and when an offline desk accepts one. Parsing only: verifying the signature is the caller's (Web Crypto).
 */

const UserIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A code's parts, before its signature is checked. */
export interface ParsedMemberCode {
  kid: string;
  userId: string;
  expiresAt: number;
  /** The signed text. */
  signed: string;
  /** base64url signature. */
  signature: string;
}

/** The parts of a well-formed code, or null. */
export function parseMemberCode(code: string): ParsedMemberCode | null {
  const parts = code.trim().split(".");
  if (parts.length !== 5 || parts[0] !== "S2") return null;
  const [, kid, userId, exp, signature] = parts as [string, string, string, string, string];
  if (!UserIdPattern.test(userId) || !/^\d{1,12}$/.test(exp) || !/^[A-Za-z0-9_-]{86}$/.test(signature)) return null;
  return { kid, userId: userId.toLowerCase(), expiresAt: Number(exp) * 1000, signed: `S2.${kid}.${userId}.${exp}`, signature };
}

/** After this long without the server, an offline desk accepts only codes that are still unexpired. */
export const OfflineCodeGraceMs = 12 * 3_600_000;

/**
 * Whether an offline desk accepts a (correctly signed) code at `now`: unexpired, or — while the desk has not heard
 * the server for up to {@link OfflineCodeGraceMs} — still valid when it last did. A member's phone cannot get a
 * fresh code while the server is down, so the code it showed before the outage keeps working through it; a
 * screenshot from before the last sync does not.
 */
export function offlineCodeAccepted(expiresAt: number, lastSyncAt: number, now: number): boolean {
  if (expiresAt >= now) return true;
  return now - lastSyncAt <= OfflineCodeGraceMs && expiresAt >= lastSyncAt;
}
