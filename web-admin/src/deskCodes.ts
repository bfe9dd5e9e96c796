/**
 * Member codes checked on the desk with the public keys alone (issue 21): the gym's current key and, during a
 * rotation, the previous ones, as the last snapshot listed them. No secret ever reaches the desk.
 */
import type { SnapshotKey } from "../../domain/checkin/deskSnapshot.js";
import { offlineCodeAccepted, parseMemberCode } from "../../domain/checkin/memberCodeFormat.js";

const enc = new TextEncoder();

function fromBase64url(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (s.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * The member id a code names when it is signed by one of `keys` and acceptable offline at `now`
 * (`offlineCodeAccepted`: unexpired, or valid when the desk last heard the server); null otherwise.
 */
export async function verifyCodeOffline(
  code: string,
  keys: readonly SnapshotKey[],
  lastSyncAt: number,
  now: number,
): Promise<string | null> {
  const parsed = parseMemberCode(code);
  if (!parsed || !offlineCodeAccepted(parsed.expiresAt, lastSyncAt, now)) return null;
  const jwk = keys.find((k) => k.kid === parsed.kid);
  if (!jwk) return null;
  const key = await crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", x: jwk.x }, { name: "Ed25519" }, false, ["verify"]);
  const ok = await crypto.subtle.verify("Ed25519", key, fromBase64url(parsed.signature), enc.encode(parsed.signed));
  return ok ? parsed.userId : null;
}
