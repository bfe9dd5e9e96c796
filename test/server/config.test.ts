import { describe, expect, it } from "vitest";
import { ConfigError, ConfigVariables, configHelp, loadConfig } from "../../server/config.js";

const SECRET = "x".repeat(32);

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
    const config = loadConfig({ DATABASE_URL: "postgres://db/spotter", JWT_SECRET: SECRET }, "node-1");
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

  it("accepts production mode with a JWKS URL instead of a secret", () => {
    const env = { DATABASE_URL: "postgresql://db/spotter", JWKS_URL: "https://auth.example/.well-known/jwks.json" };
    expect(loadConfig(env, "n").SPOTTER_MODE).toBe("production");
  });
});

describe("configHelp", () => {
  it("lists every variable", () => {
    const help = configHelp();
    for (const name of Object.keys(ConfigVariables)) expect(help).toContain(name);
  });
});
