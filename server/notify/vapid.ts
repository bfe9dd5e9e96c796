/**
 * VAPID keys (RFC 8292) that sign this server's Web Push requests: from the environment in production (the same on
 * every node), generated once in DATA_DIR in embedded mode (like the JWT secret and the check-in key).
 */
import { generateKeyPairSync } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface VapidKeys {
  /** The uncompressed P-256 public point, base64url (what browsers take as `applicationServerKey`). */
  publicKey: string;
  /** The private scalar, base64url. */
  privateKey: string;
  /** `mailto:` or `https:` contact for push services. */
  subject: string;
}

/** A fresh P-256 key pair in the base64url forms Web Push uses. */
export function newVapidKeys(): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const pub = publicKey.export({ format: "jwk" });
  const priv = privateKey.export({ format: "jwk" });
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(pub.x!, "base64url"), Buffer.from(pub.y!, "base64url")]);
  return { publicKey: point.toString("base64url"), privateKey: priv.d! };
}

/** The embedded mode's keys: generated once, kept in DATA_DIR with owner-only permissions. */
function devVapidKeys(dataDir: string): { publicKey: string; privateKey: string } {
  const file = join(dataDir, "vapid.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as { publicKey: string; privateKey: string };
  mkdirSync(dataDir, { recursive: true });
  const keys = newVapidKeys();
  writeFileSync(file, `${JSON.stringify(keys)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return keys;
}

/** The node's VAPID keys, or null (production without them: no push; the inbox and email still work). */
export function loadVapidKeys(c: {
  VAPID_PUBLIC_KEY?: string | undefined;
  VAPID_PRIVATE_KEY?: string | undefined;
  VAPID_SUBJECT?: string | undefined;
  MAIL_FROM: string;
  SPOTTER_MODE: "embedded" | "production";
  DATA_DIR: string;
}): VapidKeys | null {
  const pair =
    c.VAPID_PUBLIC_KEY && c.VAPID_PRIVATE_KEY
      ? { publicKey: c.VAPID_PUBLIC_KEY, privateKey: c.VAPID_PRIVATE_KEY }
      : c.SPOTTER_MODE === "embedded"
        ? devVapidKeys(c.DATA_DIR)
        : null;
  if (!pair) return null;
  const host = /@([^>\s]+)/.exec(c.MAIL_FROM)?.[1] ?? "spotter.localhost";
  return { ...pair, subject: c.VAPID_SUBJECT ?? `mailto:push@${host}` };
}
