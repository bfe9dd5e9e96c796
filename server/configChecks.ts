/**
 * Checks of the configuration's key material and origins that one variable's schema cannot make alone: keys that must
 * parse, what production mode requires, and rotation's end time. Messages name the variable and never quote a key.
 */
import { parsePrivateKey, parsePublicKeys } from "./checkin/codeKeys.js";
import { parseSecretsKey } from "./persistence/secretBox.js";

/** A configuration problem: names the variable, never a stack trace. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

type Mode = "embedded" | "production";

/** The variables these checks read (as parsed by their schemas). */
export interface KeyVariables {
  SECRETS_KEY?: string;
  JWT_SECRET?: string;
  CHECKIN_SIGNING_KEY?: string;
  CHECKIN_PREVIOUS_KEYS?: string;
  CHECKIN_PREVIOUS_KEYS_UNTIL?: unknown;
  PASSKEY_ORIGINS?: string;
}

/** The key sealing secrets at rest must parse; production needs it, or JWT_SECRET to derive it from. */
export function checkSecretsKey(raw: KeyVariables, mode: Mode): void {
  try {
    if (raw.SECRETS_KEY) parseSecretsKey(raw.SECRETS_KEY);
  } catch (err) {
    throw new ConfigError("SECRETS_KEY", (err as Error).message);
  }
  if (mode === "production" && !raw.SECRETS_KEY && !raw.JWT_SECRET)
    throw new ConfigError(
      "SECRETS_KEY",
      "required in production mode without JWT_SECRET: 32 bytes as 64 hex characters (`openssl rand -hex 32`), the same on every node",
    );
}

/** The check-in signing key is required in production and must parse; rotation needs its end time. Messages never quote a key. */
export function checkCodeKeys(raw: KeyVariables, mode: Mode): void {
  if (mode === "production" && !raw.CHECKIN_SIGNING_KEY)
    throw new ConfigError(
      "CHECKIN_SIGNING_KEY",
      "required in production mode: an Ed25519 private key (PKCS8 PEM from `openssl genpkey -algorithm ed25519`, or a JWK), the same on every node",
    );
  if (raw.CHECKIN_PREVIOUS_KEYS && raw.CHECKIN_PREVIOUS_KEYS_UNTIL === undefined)
    throw new ConfigError(
      "CHECKIN_PREVIOUS_KEYS_UNTIL",
      "required with CHECKIN_PREVIOUS_KEYS: until when codes signed with the previous keys are accepted",
    );
  try {
    if (raw.CHECKIN_SIGNING_KEY) parsePrivateKey(raw.CHECKIN_SIGNING_KEY);
  } catch (err) {
    throw new ConfigError("CHECKIN_SIGNING_KEY", (err as Error).message);
  }
  try {
    if (raw.CHECKIN_PREVIOUS_KEYS) parsePublicKeys(raw.CHECKIN_PREVIOUS_KEYS);
  } catch (err) {
    throw new ConfigError("CHECKIN_PREVIOUS_KEYS", (err as Error).message);
  }
}

/** Passkey origins are exact origins (scheme, host, port — no path); outside embedded mode https, except localhost. */
export function checkPasskeyOrigins(raw: KeyVariables, mode: Mode): void {
  for (const origin of (raw.PASSKEY_ORIGINS ?? "")
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean)) {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new ConfigError("PASSKEY_ORIGINS", `${JSON.stringify(origin)} is not an origin like https://gym.example.com`);
    }
    if (url.origin !== origin)
      throw new ConfigError("PASSKEY_ORIGINS", `${JSON.stringify(origin)} must be just scheme, host and port (${url.origin})`);
    if (mode !== "embedded" && url.protocol !== "https:" && url.hostname !== "localhost")
      throw new ConfigError("PASSKEY_ORIGINS", `${origin} must be https:// outside embedded mode (passkeys need a secure context)`);
  }
}
