import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../server/config.js";
import { relyingParty } from "../../../server/signin/factorRuntime.js";

const production = {
  DATABASE_URL: "postgres://x@127.0.0.1/db",
  JWT_SECRET: "s".repeat(40),
  CHECKIN_SIGNING_KEY: generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
};

describe("passkey relying party configuration", () => {
  it("defaults to this node on localhost (an IP address cannot hold passkeys)", () => {
    expect(relyingParty({}, "http://127.0.0.1:4123")).toEqual({ rpId: "localhost", rpName: "Spotter", origins: ["http://localhost:4123"] });
    expect(relyingParty({ PASSKEY_ORIGINS: "https://gym.example.com, https://app.gym.example.com" }, "http://127.0.0.1:1")).toMatchObject({
      rpId: "gym.example.com",
      origins: ["https://gym.example.com", "https://app.gym.example.com"],
    });
    expect(relyingParty({ PASSKEY_ORIGINS: "https://app.gym.example.com", PASSKEY_RP_ID: "gym.example.com" }, "x:").rpId).toBe(
      "gym.example.com",
    );
  });

  it("refuses origins with a path, and plain http outside embedded mode, naming the variable", () => {
    expect(() => loadConfig({ PASSKEY_ORIGINS: "https://gym.example.com/app" }, "n")).toThrow(/^PASSKEY_ORIGINS: .*scheme, host and port/);
    expect(() => loadConfig({ ...production, PASSKEY_ORIGINS: "http://gym.example.com" }, "n")).toThrow(
      /^PASSKEY_ORIGINS: .*must be https/,
    );
    expect(loadConfig({ ...production, PASSKEY_ORIGINS: "https://gym.example.com" }, "n").PASSKEY_ORIGINS).toBe("https://gym.example.com");
    expect(() => loadConfig({ PASSKEY_RP_ID: "https://gym.example.com" }, "n")).toThrow(/^PASSKEY_RP_ID/);
    expect(loadConfig({ PASSKEY_ORIGINS: "http://localhost:3000" }, "n").PASSKEY_ORIGINS).toBe("http://localhost:3000");
  });
});
