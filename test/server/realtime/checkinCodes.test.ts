/**
 * Issue 14 item 3: check-in codes were signed with a key derived from NODE_ID when tokens came from an identity
 * provider (JWKS_URL) — and NODE_ID is printed by /health. Codes are now signed with a dedicated Ed25519 key,
 * generated in DATA_DIR when embedded, rotated with an overlap window, verifiable with the public key alone.
 */
import { createHmac, randomUUID } from "node:crypto";
import { createServer as createHttpServer, type Server } from "node:http";
import { exportJWK, generateKeyPair, importJWK, SignJWT } from "jose";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCodeKeyring, newSigningKeyPem, parsePrivateKey } from "../../../server/checkin/codeKeys.js";
import { CODE_TTL_MS, MemberCodes, verifyMemberCode } from "../../../server/realtime/memberCodes.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { makeTempDir, startTestServer, type TestServer } from "../../support/services.js";

const MIN = 60_000;

/** What the attack did: the pre-fix `S1` code, HMAC-signed with a key derived from the node id. */
function forgeWithNodeId(nodeId: string, userId: string): string {
  const key = createHmac("sha256", nodeId).update("spotter:member-code").digest();
  const payload = `S1.${userId}.${Math.floor(Date.now() / 1000) + 365 * 86_400}`;
  return `${payload}.${createHmac("sha256", key).update(payload).digest("base64url").slice(0, 22)}`;
}

describe("check-in codes on a node whose tokens come from a JWKS", () => {
  let idp: Server;
  let t: TestServer;
  let gym: GymFixture;
  let sign: (userId: string) => Promise<string>;
  const open: Socket[] = [];

  const connect = async (userId: string) => {
    const socket = io(t.server.url, {
      auth: { token: await sign(userId) },
      transports: ["websocket"],
      reconnection: false,
      forceNew: true,
    });
    open.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    return (room: string, type: string, payload: unknown) =>
      socket.timeout(20_000).emitWithAck("command", { commandId: randomUUID(), room, type, payload });
  };

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: "idp-1", alg: "EdDSA" }] });
    idp = createHttpServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(jwks));
    await new Promise<void>((r) => idp.listen(0, "127.0.0.1", r));
    const port = (idp.address() as { port: number }).port;
    sign = (userId) =>
      new SignJWT({})
        .setProtectedHeader({ alg: "EdDSA", kid: "idp-1" })
        .setSubject(userId)
        .setIssuer("https://idp.test")
        .setAudience("spotter")
        .setIssuedAt()
        .setExpirationTime("1h")
        .sign(privateKey);
    t = await startTestServer({
      JWKS_URL: `http://127.0.0.1:${port}/jwks`,
      JWT_ISSUER: "https://idp.test",
      JWT_AUDIENCE: "spotter",
      NODE_ID: "desk-node-1",
    });
    gym = await aGym(t.server.db.orm, { members: 2 });
  }, 60_000);

  afterAll(async () => {
    for (const s of open) s.close();
    await t?.cleanup();
    await new Promise((r) => idp?.close(r));
  });

  it("regression: a code forged with the NODE_ID-derived key (one year, another member) is refused at the desk", async () => {
    const desk = await connect(gym.deskId);
    const forged = forgeWithNodeId("desk-node-1", gym.members[0]!.id);
    const answer = await desk(`gym:${gym.gymId}`, "gym:checkIn", { code: forged, openGym: true });
    expect(answer).toMatchObject({ ok: true, result: { status: "denied", reason: "UNKNOWN_MEMBER" } });
  });

  it("accepts the member's own signed code at the desk", async () => {
    const m = gym.members[1]!.id;
    const member = await connect(m);
    const issued = (await member(`user:${m}`, "user:checkInCode", {})) as { ok: true; result: { code: string } };
    expect(issued.result.code).toMatch(/^S2\.[A-Za-z0-9_-]{8}\./);
    const desk = await connect(gym.deskId);
    expect(await desk(`gym:${gym.gymId}`, "gym:checkIn", { code: issued.result.code, openGym: true })).toMatchObject({
      ok: true,
      result: { status: "checked_in", memberId: m },
    });
    // The published JWKS alone verifies it (what an offline desk holds), and holds no private part.
    const jwks = (await (await fetch(`${t.server.url}/api/checkin-keys.json`)).json()) as { keys: JsonWebKey[] };
    expect(JSON.stringify(jwks)).not.toContain('"d"');
    const keys = await Promise.all(
      jwks.keys.map(async (jwk) => ({ kid: (jwk as { kid: string }).kid, key: (await importJWK(jwk as never, "EdDSA")) as CryptoKey })),
    );
    expect(await verifyMemberCode(issued.result.code, keys, Date.now())).toBe(m);
  });
});

describe("signing keys: rotation with an overlap window, verification with the public key alone", () => {
  const userId = randomUUID();
  const now = Date.UTC(2026, 11, 6, 4);

  it("accepts a code signed with the previous key within the overlap and refuses it after", async () => {
    const oldPem = newSigningKeyPem();
    const before = new MemberCodes(
      await loadCodeKeyring({ CHECKIN_SIGNING_KEY: oldPem, DATA_DIR: "/nonexistent", SPOTTER_MODE: "production" }),
    );
    const { code } = await before.issue(userId, now);
    const oldPublic = JSON.stringify({ keys: [{ ...parsePrivateKey(oldPem), d: undefined }] });
    const until = now + 2 * MIN;
    const after = new MemberCodes(
      await loadCodeKeyring({
        CHECKIN_SIGNING_KEY: newSigningKeyPem(),
        CHECKIN_PREVIOUS_KEYS: oldPublic,
        CHECKIN_PREVIOUS_KEYS_UNTIL: until,
        DATA_DIR: "/nonexistent",
        SPOTTER_MODE: "production",
      }),
    );
    expect(await after.verify(code, now + MIN)).toBe(userId);
    expect(await after.verify(code, until + 1_000), "the code has not expired, the overlap has").toBeNull();
    expect(until + 1_000).toBeLessThan(now + CODE_TTL_MS);
    // Codes of the new key carry its id, and verify on the new keyring.
    const fresh = await after.issue(userId, now);
    expect(fresh.code.split(".")[1]).not.toBe(code.split(".")[1]);
    expect(await after.verify(fresh.code, now + MIN)).toBe(userId);
  });

  it("verifies with the published public keys alone, and refuses tampered, expired and unknown-key codes", async () => {
    const codes = new MemberCodes(
      await loadCodeKeyring({ CHECKIN_SIGNING_KEY: newSigningKeyPem(), DATA_DIR: "/nonexistent", SPOTTER_MODE: "production" }),
    );
    const { code } = await codes.issue(userId, now);
    const desk = await Promise.all(
      codes.publicKeys(now).keys.map(async (jwk) => ({ kid: jwk.kid!, key: (await importJWK(jwk, "EdDSA")) as CryptoKey })),
    );
    expect(codes.publicKeys(now).keys[0]).not.toHaveProperty("d");
    expect(await verifyMemberCode(code, desk, now)).toBe(userId);
    const [s, kid, , exp, sig] = code.split(".");
    expect(await verifyMemberCode([s, kid, randomUUID(), exp, sig].join("."), desk, now), "another member").toBeNull();
    expect(await verifyMemberCode([s, kid, userId, String(Number(exp) + 86_400), sig].join("."), desk, now), "a longer expiry").toBeNull();
    expect(await verifyMemberCode([s, "zzzzzzzz", userId, exp, sig].join("."), desk, now), "an unknown key").toBeNull();
    expect(await verifyMemberCode(code, desk, now + CODE_TTL_MS + 1_000), "expired").toBeNull();
  });

  it("generates the embedded key once in DATA_DIR and keeps it across restarts", async () => {
    const dir = makeTempDir();
    const first = await loadCodeKeyring({ DATA_DIR: dir, SPOTTER_MODE: "embedded" });
    const second = await loadCodeKeyring({ DATA_DIR: dir, SPOTTER_MODE: "embedded" });
    expect(second.current.kid).toBe(first.current.kid);
    await expect(loadCodeKeyring({ DATA_DIR: dir, SPOTTER_MODE: "production" })).rejects.toThrow(/CHECKIN_SIGNING_KEY is required/);
  });
});
