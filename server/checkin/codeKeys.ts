/**
 * The Ed25519 keys that sign members' check-in codes: one current private key (`CHECKIN_SIGNING_KEY`, the same
 * on every node) and the public keys of earlier ones (`CHECKIN_PREVIOUS_KEYS`), accepted until
 * `CHECKIN_PREVIOUS_KEYS_UNTIL` so codes shown during a rotation keep working. Embedded mode generates the key
 * once in DATA_DIR. Key ids are the first 8 characters of the public key's RFC 7638 thumbprint, so every node
 * derives the same id from the same key without configuring one.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, hkdfSync, type KeyObject } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { calculateJwkThumbprint, importJWK, type JWK } from "jose";

/** A key that verifies codes: its id, its public JWK (what a desk needs) and the imported key. */
export interface VerifyingKey {
  kid: string;
  jwk: JWK;
  key: CryptoKey;
}

/** Every key a node signs or verifies codes with. */
export interface CodeKeyring {
  current: VerifyingKey & { signKey: CryptoKey };
  previous: readonly VerifyingKey[];
  /** Previous keys verify codes until this instant (epoch ms); null when there are none. */
  previousUntil: number | null;
  /** HMAC key of the desk's presence codes, derived from the signing key (so the same on every node). */
  presenceSecret: Buffer;
}

/** Settings the keyring is built from (strings as the environment gives them). */
export interface CodeKeySettings {
  CHECKIN_SIGNING_KEY?: string | undefined;
  CHECKIN_PREVIOUS_KEYS?: string | undefined;
  CHECKIN_PREVIOUS_KEYS_UNTIL?: number | undefined;
  DATA_DIR: string;
  SPOTTER_MODE: "embedded" | "production";
}

/** A key setting that cannot be used; the message never quotes the key. */
export class CodeKeyError extends Error {}

const pemBlocks = (text: string) => text.match(/-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g) ?? [];
/** PEM pasted into a one-line env file often has literal `\n`s. */
const unescape = (text: string) => text.trim().replace(/\\n/g, "\n");

function ed25519(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== "ed25519")
    throw new CodeKeyError(`${what} is an ${key.asymmetricKeyType ?? "unknown"} key; check-in codes need Ed25519`);
  return key;
}

/** The private key as a JWK (with `d`), from a PKCS8 PEM or a JWK. Synchronous, so configuration checks it at start. */
export function parsePrivateKey(text: string): JWK {
  const raw = unescape(text);
  try {
    const key = raw.startsWith("{") ? createPrivateKey({ key: JSON.parse(raw) as never, format: "jwk" }) : createPrivateKey(raw);
    return ed25519(key, "the key").export({ format: "jwk" }) as JWK;
  } catch (err) {
    if (err instanceof CodeKeyError) throw err;
    throw new CodeKeyError("not an Ed25519 private key: give a PKCS8 PEM (`openssl genpkey -algorithm ed25519`) or a private JWK");
  }
}

/** Public JWKs from a JWKS (`{"keys": [...]}`), a JSON array of JWKs, or SPKI PEM blocks (private keys give their public half). */
export function parsePublicKeys(text: string): JWK[] {
  const raw = unescape(text);
  try {
    const parsed: unknown = raw.startsWith("{") || raw.startsWith("[") ? JSON.parse(raw) : null;
    const items: unknown[] =
      parsed === null ? pemBlocks(raw) : Array.isArray(parsed) ? parsed : ((parsed as { keys?: unknown[] }).keys ?? [parsed]);
    if (items.length === 0) throw new CodeKeyError("no key found");
    return items.map((item) => {
      const key = typeof item === "string" ? createPublicKey(item) : createPublicKey({ key: item as never, format: "jwk" });
      return ed25519(key, "a previous key").export({ format: "jwk" }) as JWK;
    });
  } catch (err) {
    if (err instanceof CodeKeyError && err.message !== "no key found") throw err;
    throw new CodeKeyError("not Ed25519 public keys: give a JWKS, a JSON array of JWKs, or SPKI PEM blocks");
  }
}

/** A fresh Ed25519 private key as PKCS8 PEM (embedded mode, dev tooling, tests). */
export function newSigningKeyPem(): string {
  return generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
}

/** The embedded mode's signing key: generated once, kept in DATA_DIR with owner-only permissions. */
export function devSigningKey(dataDir: string): string {
  const file = join(dataDir, "checkin-signing-key.pem");
  if (existsSync(file)) return readFileSync(file, "utf8");
  mkdirSync(dataDir, { recursive: true });
  const pem = newSigningKeyPem();
  writeFileSync(file, pem, { mode: 0o600 });
  chmodSync(file, 0o600);
  return pem;
}

/** The public half of a JWK. */
const publicJwk = ({ kty, crv, x }: JWK): JWK => ({ kty, crv, x });

async function verifying(jwk: JWK): Promise<VerifyingKey> {
  const pub = publicJwk(jwk);
  const kid = (await calculateJwkThumbprint(pub, "sha256")).slice(0, 8);
  return { kid, jwk: { ...pub, kid, alg: "EdDSA", use: "sig" }, key: (await importJWK(pub, "EdDSA")) as CryptoKey };
}

/** Builds the keyring from the settings (generating the embedded key in DATA_DIR when none is configured). */
export async function loadCodeKeyring(s: CodeKeySettings): Promise<CodeKeyring> {
  const text = s.CHECKIN_SIGNING_KEY ?? (s.SPOTTER_MODE === "embedded" ? devSigningKey(s.DATA_DIR) : undefined);
  if (!text) throw new CodeKeyError("CHECKIN_SIGNING_KEY is required in production mode");
  const priv = parsePrivateKey(text);
  const current = { ...(await verifying(priv)), signKey: (await importJWK(priv, "EdDSA")) as CryptoKey };
  const previous = s.CHECKIN_PREVIOUS_KEYS ? await Promise.all(parsePublicKeys(s.CHECKIN_PREVIOUS_KEYS).map(verifying)) : [];
  const presenceSecret = Buffer.from(hkdfSync("sha256", Buffer.from(priv.d!, "base64url"), "", "spotter:presence-code", 32));
  return {
    current,
    previous: previous.filter((k) => k.kid !== current.kid),
    previousUntil: previous.length ? (s.CHECKIN_PREVIOUS_KEYS_UNTIL ?? null) : null,
    presenceSecret,
  };
}
