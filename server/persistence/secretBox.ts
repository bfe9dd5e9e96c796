/**
 * Secrets at rest (TOTP seeds, OIDC client secrets): AES-256-GCM with a random 96-bit IV per value and the row's
 * identity as additional data, so a sealed value copied into another row does not open. Stored as
 * `v1.<key id>.<iv>.<ciphertext+tag>` (base64url); the key id (first 8 hex of SHA-256 of the key) names the key that
 * sealed it, so a node with the wrong key says so instead of failing later.
 *
 * The key: `SECRETS_KEY` (32 bytes as 64 hex characters or base64); in embedded mode without it, generated once in
 * DATA_DIR (owner-only file, like the token secret); in production without it, derived from `JWT_SECRET` (HKDF).
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const PREFIX = "v1.";

export class SecretBox {
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error("the secrets key must be 32 bytes");
    this.keyId = createHash("sha256").update(key).digest("hex").slice(0, 8);
  }

  /** Whether a stored value is sealed (rows written before encryption at rest hold the plain value). */
  static isSealed(stored: string): boolean {
    return stored.startsWith(PREFIX);
  }

  /** Seals `plain` for the row named by `context` (e.g. `totp:<user id>`). */
  seal(plain: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(context, "utf8"));
    const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}${this.keyId}.${iv.toString("base64url")}.${body.toString("base64url")}`;
  }

  /** Opens a value sealed for `context`; throws when it was sealed with another key, for another row, or altered. */
  open(stored: string, context: string): string {
    const [version, keyId, iv, body] = stored.split(".");
    if (`${version}.` !== PREFIX || !keyId || !iv || !body) throw new Error("not a sealed secret");
    if (keyId !== this.keyId)
      throw new Error(`sealed with another secrets key (${keyId}, this node has ${this.keyId}): set SECRETS_KEY to the key that sealed it`);
    const raw = Buffer.from(body, "base64url");
    const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([decipher.update(raw.subarray(0, raw.length - 16)), decipher.final()]).toString("utf8");
  }
}

/** `SECRETS_KEY` as 32 bytes: 64 hex characters, or base64/base64url. */
export function parseSecretsKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, "hex") : Buffer.from(t, "base64");
  if (key.length !== 32) throw new Error("must be 32 bytes: 64 hex characters or base64 (`openssl rand -hex 32`)");
  return key;
}

/** The embedded mode's key: generated once, kept in DATA_DIR with owner-only permissions. */
export function devSecretsKey(dataDir: string): Buffer {
  const file = join(dataDir, "secrets-key");
  if (existsSync(file)) return parseSecretsKey(readFileSync(file, "utf8"));
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString("hex")}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}

/** The node's secrets key from its settings (see the module comment); null when there is nothing to make one from. */
export function secretsKeyOf(
  s: { SECRETS_KEY?: string | undefined; SPOTTER_MODE: string; DATA_DIR: string },
  jwtSecret: string | undefined,
): Buffer | null {
  if (s.SECRETS_KEY) return parseSecretsKey(s.SECRETS_KEY);
  if (s.SPOTTER_MODE === "embedded") return devSecretsKey(s.DATA_DIR);
  if (jwtSecret) return Buffer.from(hkdfSync("sha256", jwtSecret, "spotter", "secrets at rest v1", 32));
  return null;
}
