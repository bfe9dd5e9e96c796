import { SignJWT, importJWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finishOidcSignIn, startOidcSignIn, type OidcDeps } from "../../../app/signin/oidc.js";
import { JwksIdTokenVerifier } from "../../../server/auth.js";
import { factorFixture, type FactorFixture } from "../../support/factorFixture.js";
import { followRedirects, startIdentityProvider, type TestIdentityProvider } from "../../support/oidcProvider.js";
import { requirePostgres } from "../../support/services.js";

const pg = await requirePostgres();
const REDIRECT = "http://localhost:3999/auth/oidc/callback";

describe("OpenID Connect sign-in against a real oidc-provider, on PostgreSQL", () => {
  let f: FactorFixture;
  let idp: TestIdentityProvider;
  let deps: OidcDeps;

  beforeAll(async () => {
    f = await factorFixture(pg);
    idp = await startIdentityProvider(REDIRECT);
    await f.providers.set({
      gymId: f.gym.gymId,
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      displayName: "Box SSO",
    });
    deps = f.oidc(REDIRECT);
  });
  afterAll(async () => {
    await idp?.close();
    await f?.close();
  });

  /** Start → provider login → callback query, as the browser would carry it. */
  async function roundTrip(): Promise<{ query: string; binding: string; authorizeUrl: URL }> {
    const started = await startOidcSignIn(deps, f.gym.gymId, f.origin());
    if (!started.ok) throw new Error(started.message);
    const callback = await followRedirects(started.url, REDIRECT);
    return { query: callback.search.slice(1), binding: started.binding, authorizeUrl: new URL(started.url) };
  }

  it("signs in an active member by the provider's verified email, with PKCE S256, state and nonce", async () => {
    const member = f.gym.members[0]!;
    idp.nextLogin = { sub: "idp-user-1", email: member.email, email_verified: true };
    const { query, binding, authorizeUrl } = await roundTrip();
    expect(authorizeUrl.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorizeUrl.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(authorizeUrl.searchParams.get("nonce")).toBeTruthy();
    expect(new URLSearchParams(query).get("code")).toBeTruthy();
    expect(await finishOidcSignIn(deps, { query, binding }, f.origin())).toEqual({ ok: true, userId: member.id, gymId: f.gym.gymId });
    expect((await f.audit.ofUser(member.id)).map((e) => e.action)).toContain("oidc:linked");
  });

  it("signs the linked subject in again after the provider's email changed", async () => {
    idp.nextLogin = { sub: "idp-user-1", email: "renamed@elsewhere.test", email_verified: true };
    const { query, binding } = await roundTrip();
    expect(await finishOidcSignIn(deps, { query, binding }, f.origin())).toMatchObject({ ok: true, userId: f.gym.members[0]!.id });
  });

  it("regression: a client secret corrected by the owner was ignored until a restart (discovery cached per issuer and client only)", async () => {
    const member = f.gym.members[0]!;
    await f.providers.set({
      gymId: f.gym.gymId,
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: "a-wrong-secret-typed-by-the-owner",
      displayName: "Box SSO",
    });
    idp.nextLogin = { sub: "idp-user-1", email: member.email, email_verified: true };
    const wrong = await roundTrip();
    expect(await finishOidcSignIn(deps, { query: wrong.query, binding: wrong.binding }, f.origin())).toMatchObject({
      ok: false,
      code: "INVALID_CREDENTIALS",
    });
    await f.providers.set({
      gymId: f.gym.gymId,
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      displayName: "Box SSO",
    });
    const right = await roundTrip();
    expect(await finishOidcSignIn(deps, { query: right.query, binding: right.binding }, f.origin())).toMatchObject({
      ok: true,
      userId: member.id,
    });
  });

  it("refuses a replayed callback", async () => {
    idp.nextLogin = { sub: "idp-user-1", email: f.gym.members[0]!.email, email_verified: true };
    const { query, binding } = await roundTrip();
    expect(await finishOidcSignIn(deps, { query, binding }, f.origin())).toMatchObject({ ok: true });
    expect(await finishOidcSignIn(deps, { query, binding }, f.origin())).toMatchObject({ ok: false, code: "CHALLENGE_EXPIRED" });
  });

  it("refuses a callback carried into another browser (login CSRF), and audits it", async () => {
    idp.nextLogin = { sub: "idp-user-1", email: f.gym.members[0]!.email, email_verified: true };
    const { query } = await roundTrip();
    expect(await finishOidcSignIn(deps, { query, binding: "another-browser" }, f.origin())).toMatchObject({
      ok: false,
      code: "INVALID_CREDENTIALS",
    });
    const [row] = await f.db.orm.em
      .getConnection()
      .execute(`select detail from auth_event where event = 'oidc:failed' order by at desc limit 1`);
    expect(row.detail).toMatchObject({ reason: "other_browser" });
  });

  it("creates no account and links nobody for an unverified email", async () => {
    idp.nextLogin = { sub: "idp-user-2", email: f.gym.members[1]!.email, email_verified: false };
    const { query, binding } = await roundTrip();
    expect(await finishOidcSignIn(deps, { query, binding }, f.origin())).toMatchObject({ ok: false, code: "INVALID_CREDENTIALS" });
    const links = await f.db.orm.em.getConnection().execute(`select * from oidc_identity where subject = 'idp-user-2'`);
    expect(links).toHaveLength(0);
  });

  it("refuses a person who is no active member of the gym", async () => {
    const { aGym } = await import("../../support/gymFixture.js");
    const other = await aGym(f.db.orm, { members: 1 });
    idp.nextLogin = { sub: "idp-user-3", email: other.members[0]!.email, email_verified: true };
    const { query, binding } = await roundTrip();
    expect(await finishOidcSignIn(deps, { query, binding }, f.origin())).toMatchObject({ ok: false, code: "INVALID_CREDENTIALS" });
  });

  it("answers METHOD_DISABLED for a gym without a provider", async () => {
    const { aGym } = await import("../../support/gymFixture.js");
    const other = await aGym(f.db.orm, { members: 1 });
    expect(await startOidcSignIn(deps, other.gymId, f.origin())).toMatchObject({ ok: false, code: "METHOD_DISABLED" });
  });

  it("verifies ID tokens with the provider's JWKS, requiring issuer and audience", async () => {
    const key = await importJWK(idp.signingKey, "RS256");
    const token = (claims: Record<string, unknown>) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", kid: idp.signingKey.kid! })
        .setSubject("idp-user-1")
        .setIssuedAt()
        .setExpirationTime("5m")
        .sign(key);
    const jwksUrl = `${idp.issuer}/jwks`;
    const verifier = new JwksIdTokenVerifier();
    const expected = { jwksUrl, issuer: idp.issuer, audience: idp.clientId };
    expect(await verifier.verify(await token({ iss: idp.issuer, aud: idp.clientId }), expected)).toEqual({ subject: "idp-user-1" });
    expect(await verifier.verify(await token({ iss: idp.issuer, aud: "another-app" }), expected)).toBeNull();
    expect(await verifier.verify(await token({ iss: "https://evil.test", aud: idp.clientId }), expected)).toBeNull();
    expect(await verifier.verify(await token({ iss: idp.issuer }), expected)).toBeNull();
    expect(await verifier.verify(await token({ iss: idp.issuer, aud: idp.clientId }), { ...expected, audience: "" })).toBeNull();
  });
});
