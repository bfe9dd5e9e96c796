/** Token verification: the identity a socket gets from its token, and the tokens it refuses. */
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken, TokenVerifier } from "../../server/auth.js";

const secret = "auth-test-secret-".padEnd(40, "x");

describe("token identities", () => {
  it("names a user by one spelling: an upper-case UUID subject is the same user in lower case", async () => {
    const id = randomUUID();
    const verifier = new TokenVerifier({ secret });
    expect(await verifier.verify(await signToken(secret, id.toUpperCase()))).toMatchObject({ ok: true, identity: { userId: id } });
    expect(await verifier.verify(await signToken(secret, id))).toMatchObject({ ok: true, identity: { userId: id } });
  });

  it("keeps an external provider's subject that is not a UUID exactly as sent", async () => {
    const verifier = new TokenVerifier({ secret });
    expect(await verifier.verify(await signToken(secret, "auth0|AbC123"))).toMatchObject({
      ok: true,
      identity: { userId: "auth0|AbC123" },
    });
  });

  it("refuses a token living longer than the maximum lifetime, one issued in the future, and one without iat", async () => {
    const verifier = new TokenVerifier({ secret }, { maxLifetimeMs: 3_600_000 });
    const id = randomUUID();
    const now = Math.floor(Date.now() / 1000);
    expect(await verifier.verify(await signToken(secret, id, 3_600))).toMatchObject({ ok: true });
    expect(await verifier.verify(await signToken(secret, id, 3_601))).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
    expect(await verifier.verify(await signToken(secret, id, 600, undefined, now + 300))).toMatchObject({
      ok: false,
      code: "UNAUTHENTICATED",
    });
    expect(await verifier.verify(await signToken(secret, id, 600, undefined, now + 30))).toMatchObject({ ok: true }); // clock skew
    const noIat = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(id)
      .setExpirationTime("10m")
      .sign(new TextEncoder().encode(secret));
    expect(await verifier.verify(noIat)).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
  });

  it("asks the revocation check (with the token's iat) only for otherwise valid tokens, and answers its refusal", async () => {
    const id = randomUUID();
    const asked: number[] = [];
    const verifier = new TokenVerifier(
      { secret },
      { revoked: async (_u, issuedAt) => (asked.push(issuedAt), { code: "ACCOUNT_DELETED", message: "gone" }) },
    );
    expect(await verifier.verify(await signToken("another-secret-".padEnd(40, "y"), id, 600))).toMatchObject({
      ok: false,
      code: "UNAUTHENTICATED",
    });
    const iat = Math.floor(Date.now() / 1000);
    expect(await verifier.verify(await signToken(secret, id, 600, undefined, iat))).toEqual({
      ok: false,
      code: "ACCOUNT_DELETED",
      message: "gone",
    });
    expect(asked).toEqual([iat * 1000]);
  });
});

describe("tokens from an identity provider (JWKS served over local HTTP)", () => {
  let server: Server;
  let jwksUrl: string;
  let sign: (claims: { aud?: string; iss?: string }) => Promise<string>;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair("EdDSA");
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "EdDSA", use: "sig" };
    server = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    jwksUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/jwks.json`;
    sign = async ({ aud, iss }) => {
      let jwt = new SignJWT({})
        .setProtectedHeader({ alg: "EdDSA", kid: "k1" })
        .setSubject(randomUUID())
        .setIssuedAt()
        .setExpirationTime("10m");
      if (aud) jwt = jwt.setAudience(aud);
      if (iss) jwt = jwt.setIssuer(iss);
      return jwt.sign(privateKey);
    };
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("regression: a token the provider issued to another app was accepted — audience and issuer are checked", async () => {
    const verifier = new TokenVerifier({ jwksUrl }, { issuer: "https://idp.test/", audience: "spotter" });
    expect(await verifier.verify(await sign({ aud: "spotter", iss: "https://idp.test/" }))).toMatchObject({ ok: true });
    expect(await verifier.verify(await sign({ aud: "another-app", iss: "https://idp.test/" }))).toMatchObject({
      ok: false,
      code: "UNAUTHENTICATED",
    });
    expect(await verifier.verify(await sign({ iss: "https://idp.test/" }))).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
    expect(await verifier.verify(await sign({ aud: "spotter", iss: "https://evil.test/" }))).toMatchObject({
      ok: false,
      code: "UNAUTHENTICATED",
    });
  });
});
