import { describe, expect, it } from "vitest";
import { generateKeyPairSync } from "node:crypto";
import { newSigningKeyPem } from "../../server/checkin/codeKeys.js";
import { ConfigError, ConfigVariables, configHelp, loadConfig } from "../../server/config.js";

const SECRET = "x".repeat(32);
const KEY = newSigningKeyPem();

function configErrorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env, "node-1");
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe("loadConfig", () => {
  it("starts in embedded mode with defaults on an empty environment", () => {
    const config = loadConfig({}, "node-1");
    expect(config).toMatchObject({ SPOTTER_MODE: "embedded", PORT: 3000, SEED_DEMO: true, NODE_ID: "node-1", TRANSPORT: "auto" });
  });

  it("defaults to production mode when DATABASE_URL is set", () => {
    const config = loadConfig({ DATABASE_URL: "postgres://db/spotter", JWT_SECRET: SECRET, CHECKIN_SIGNING_KEY: KEY }, "node-1");
    expect(config).toMatchObject({ SPOTTER_MODE: "production", SEED_DEMO: false });
  });

  it.each([
    ["DATABASE_URL", { DATABASE_URL: "mysql://db/spotter" }],
    ["DATABASE_URL", { DATABASE_URL: "not a url" }],
    ["REDIS_URL", { REDIS_URL: "http://127.0.0.1:6379" }],
    ["JWKS_URL", { JWKS_URL: "ftp://keys" }],
    ["PORT", { PORT: "65536" }],
    ["PORT", { PORT: "-1" }],
    ["PORT", { PORT: "eighty" }],
    ["SPOTTER_MODE", { SPOTTER_MODE: "staging" }],
    ["TRANSPORT", { TRANSPORT: "tcp" }],
    ["LOG_LEVEL", { LOG_LEVEL: "loud" }],
    ["SEED_DEMO", { SEED_DEMO: "yes" }],
    ["JWT_SECRET", { JWT_SECRET: "too-short" }],
    ["SHUTDOWN_TIMEOUT_MS", { SHUTDOWN_TIMEOUT_MS: "5" }],
  ])("refuses a bad %s with a ConfigError naming it (%j)", (variable, env) => {
    const err = configErrorOf(env);
    expect(err.variable).toBe(variable);
    expect(err.message.startsWith(`${variable}: `)).toBe(true);
  });

  it("refuses production mode without a JWT secret or JWKS URL", () => {
    const err = configErrorOf({ SPOTTER_MODE: "production", DATABASE_URL: "postgres://db/spotter" });
    expect(err.variable).toBe("JWT_SECRET");
  });

  it("refuses production mode without DATABASE_URL", () => {
    expect(configErrorOf({ SPOTTER_MODE: "production", JWT_SECRET: SECRET }).variable).toBe("DATABASE_URL");
  });

  it("accepts production mode with a JWKS URL instead of a secret (and its own key for secrets at rest)", () => {
    const env = {
      DATABASE_URL: "postgresql://db/spotter",
      JWKS_URL: "https://auth.example/.well-known/jwks.json",
      JWT_ISSUER: "https://auth.example/",
      JWT_AUDIENCE: "spotter",
      CHECKIN_SIGNING_KEY: KEY,
    };
    expect(loadConfig({ ...env, SECRETS_KEY: "ab".repeat(32) }, "n").SPOTTER_MODE).toBe("production");
    // Without JWT_SECRET there is nothing to derive the key sealing TOTP seeds and client secrets from.
    expect(configErrorOf(env).variable).toBe("SECRETS_KEY");
  });

  it("refuses a SECRETS_KEY that is not 32 bytes, without quoting it", () => {
    const err = configErrorOf({ SECRETS_KEY: "too-short-key-value" });
    expect(err.variable).toBe("SECRETS_KEY");
    expect(err.message).not.toContain("too-short-key-value");
  });

  it("regression (issue 14 item 3): production mode needs its own check-in signing key — codes were signed with NODE_ID under JWKS", () => {
    const env = {
      DATABASE_URL: "postgresql://db/spotter",
      JWKS_URL: "https://auth.example/.well-known/jwks.json",
      JWT_ISSUER: "https://auth.example/",
      JWT_AUDIENCE: "spotter",
    };
    expect(configErrorOf(env).variable).toBe("CHECKIN_SIGNING_KEY");
  });

  it("refuses a check-in signing key that is not Ed25519, without quoting it", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    for (const key of [rsa, "not a key at all"]) {
      const err = configErrorOf({ CHECKIN_SIGNING_KEY: key });
      expect(err.variable).toBe("CHECKIN_SIGNING_KEY");
      expect(err.message).toMatch(/Ed25519/);
      expect(err.message).not.toContain(key.length > 100 ? key.slice(40, 80) : key);
    }
  });

  it("accepts the key as PEM with escaped newlines, and previous keys only with the end of their overlap", () => {
    expect(loadConfig({ CHECKIN_SIGNING_KEY: KEY.replace(/\n/g, "\\n") }, "n").CHECKIN_SIGNING_KEY).toBeDefined();
    const previous = generateKeyPairSync("ed25519").publicKey.export({ format: "pem", type: "spki" }).toString();
    expect(configErrorOf({ CHECKIN_SIGNING_KEY: KEY, CHECKIN_PREVIOUS_KEYS: previous }).variable).toBe("CHECKIN_PREVIOUS_KEYS_UNTIL");
    const config = loadConfig(
      { CHECKIN_SIGNING_KEY: KEY, CHECKIN_PREVIOUS_KEYS: previous, CHECKIN_PREVIOUS_KEYS_UNTIL: "2026-12-07T12:00:00Z" },
      "n",
    );
    expect(config.CHECKIN_PREVIOUS_KEYS_UNTIL).toBe(Date.UTC(2026, 11, 7, 12));
  });

  it("regression: tokens for other audiences were accepted — JWKS_URL requires JWT_ISSUER and JWT_AUDIENCE, and https outside embedded mode", () => {
    const jwks = { DATABASE_URL: "postgresql://db/spotter", JWKS_URL: "https://auth.example/jwks.json" };
    expect(configErrorOf({ ...jwks, JWT_AUDIENCE: "spotter" }).variable).toBe("JWT_ISSUER");
    expect(configErrorOf({ ...jwks, JWT_ISSUER: "https://auth.example/" }).variable).toBe("JWT_AUDIENCE");
    const plain = configErrorOf({ ...jwks, JWKS_URL: "http://auth.example/jwks.json", JWT_ISSUER: "i", JWT_AUDIENCE: "a" });
    expect(plain.variable).toBe("JWKS_URL");
    expect(plain.message).toContain("https://");
    expect(
      loadConfig({ SPOTTER_MODE: "embedded", JWKS_URL: "http://127.0.0.1:9/jwks.json", JWT_ISSUER: "i", JWT_AUDIENCE: "a" }, "n").JWKS_URL,
    ).toContain("http:");
  });

  it("reads MAX_TOKEN_LIFETIME as seconds or with a unit (default 12 h), and refuses nonsense", () => {
    expect(loadConfig({}, "n").MAX_TOKEN_LIFETIME).toBe(12 * 3_600_000);
    expect(loadConfig({ MAX_TOKEN_LIFETIME: "30m" }, "n").MAX_TOKEN_LIFETIME).toBe(30 * 60_000);
    expect(loadConfig({ MAX_TOKEN_LIFETIME: "7200" }, "n").MAX_TOKEN_LIFETIME).toBe(7_200_000);
    for (const bad of ["forever", "10", "90d"]) expect(configErrorOf({ MAX_TOKEN_LIFETIME: bad }).variable).toBe("MAX_TOKEN_LIFETIME");
    expect(configHelp()).toContain("[default: 12h]");
  });
});

describe("configHelp", () => {
  it("lists every variable", () => {
    const help = configHelp();
    for (const name of Object.keys(ConfigVariables)) expect(help).toContain(name);
    expect(help).toMatch(/CHECKIN_SIGNING_KEY .*Ed25519.*required in production/);
  });
});
