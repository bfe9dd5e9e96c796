/**
 * The factor sign-ins end to end in real Chromium against a real node on PostgreSQL, through the server's own routes
 * and cookies: a passkey registered and used with the virtual authenticator, an OIDC round trip against a local
 * oidc-provider, and a staff sign-in that needs TOTP. Each ends with `POST /api/auth/refresh` answering from the
 * HttpOnly cookie the sign-in set (the page never sees the refresh token).
 */
import { readFileSync } from "node:fs";
import { generate } from "otplib";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../../server/auth.js";
import { ensureBuilt, launchBrowser, waitVisible } from "../../support/browser.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { startIdentityProvider, type TestIdentityProvider } from "../../support/oidcProvider.js";
import { requirePostgres, serverTargets, startTestServer, type TestDatabase, type TestServer } from "../../support/services.js";
import { addVirtualAuthenticator, type VirtualAuthenticator } from "../../support/virtualAuthenticator.js";

const pg = await requirePostgres();
const target = serverTargets(pg).at(-1)!;
const BUNDLE = readFileSync(new URL("../../../node_modules/@simplewebauthn/browser/dist/bundle/index.umd.min.js", import.meta.url), "utf8");

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test reads JSON answers loosely
type Answer = { status: number; body: Record<string, any> };

describe(`sign-in factors in Chromium on ${target.name}`, () => {
  let t: TestServer;
  let db: TestDatabase | undefined;
  let gym: GymFixture;
  let browser: Browser;
  let site: string;

  beforeAll(async () => {
    await ensureBuilt("member-web");
    const env = await target.env();
    db = env.db;
    t = await startTestServer(env.env);
    gym = await aGym(t.server.db.orm, { members: 2 });
    site = `http://localhost:${t.server.port}`; // localhost: a secure context that can hold passkeys
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.cleanup();
    await db?.drop();
  });

  /** A fresh browser profile on a JSON page of the node (the WebAuthn library is injected; CSP bypassed for that). */
  async function freshPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${site}/api/auth/sign-in-options?gym=${gym.gymId}`);
    await page.addScriptTag({ content: BUNDLE });
    return { context, page };
  }

  /** POST from the page (same origin, its cookies, the app header). */
  const post = (page: Page, path: string, payload: unknown = {}, bearer?: string): Promise<Answer> =>
    page.evaluate(
      async ({ path, payload, bearer }) => {
        const res = await fetch(path, {
          method: "POST",
          credentials: "same-origin",
          headers: { "content-type": "application/json", "x-spotter": "1", ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
          body: JSON.stringify(payload),
        });
        return { status: res.status, body: await res.json() };
      },
      { path, payload, bearer },
    );
  const inPage = (page: Page, method: "startRegistration" | "startAuthentication", optionsJSON: unknown) =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test reads JSON answers loosely
    page.evaluate(({ method, optionsJSON }) => (window as any).SimpleWebAuthnBrowser[method]({ optionsJSON }), { method, optionsJSON });

  it("registers a passkey for a signed-in member, then signs in with it: session cookie, refresh works", async () => {
    const member = gym.members[0]!;
    const { context, page } = await freshPage();
    const authenticator: VirtualAuthenticator = await addVirtualAuthenticator(page);
    const bearer = await signToken(t.server.jwtSecret!, member.id, 600);
    const reg = await post(page, "/api/auth/passkeys/options", {}, bearer);
    expect(reg.status).toBe(200);
    const added = await post(
      page,
      "/api/auth/passkeys",
      { challengeId: reg.body.challengeId, response: await inPage(page, "startRegistration", reg.body.options), name: "Chromium" },
      bearer,
    );
    expect(added).toMatchObject({ status: 200, body: { passkey: { name: "Chromium" } } });
    expect(await authenticator.credentials()).toHaveLength(1);

    const opts = await post(page, "/api/auth/passkey/options");
    const signedIn = await post(page, "/api/auth/passkey/verify", {
      challengeId: opts.body.challengeId,
      response: await inPage(page, "startAuthentication", opts.body.options),
    });
    expect(signedIn).toMatchObject({ status: 200, body: { userId: member.id, accessToken: expect.any(String) } });
    expect(JSON.stringify(signedIn.body)).not.toMatch(/refresh/i);
    expect(await post(page, "/api/auth/refresh")).toMatchObject({ status: 200, body: { userId: member.id } });
    const factors = await page.evaluate(
      async (b) => (await fetch("/api/auth/factors", { headers: { authorization: `Bearer ${b}` } })).json(),
      signedIn.body.accessToken as string,
    );
    expect(factors.passkeys).toEqual([expect.objectContaining({ name: "Chromium" })]);
    await context.close();
  });

  it("signs a member in through the gym's identity provider (code flow + PKCE) and lands in the app with a session", async () => {
    const idp: TestIdentityProvider = await startIdentityProvider(`${site}/api/auth/oidc/callback`);
    try {
      const owner = await signToken(t.server.jwtSecret!, gym.ownerId, 600);
      const { context, page } = await freshPage();
      const setProvider = await post(
        page,
        `/api/gyms/${gym.gymId}/identity-provider`,
        { provider: { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, displayName: "Box SSO" } },
        owner,
      );
      expect(setProvider).toMatchObject({ status: 200, body: { singleSignOn: { name: "Box SSO" } } });
      const member = gym.members[1]!;
      idp.nextLogin = { sub: "chromium-sso-user", email: member.email, email_verified: true };
      await page.goto(`${site}/api/auth/oidc/start?gym=${gym.gymId}`);
      expect(new URL(page.url()).pathname).toBe("/");
      // The member app resumes the session from the refresh cookie the callback set: no token in any URL.
      await waitVisible(page, page.getByRole("link", { name: "Me" }), "member app signed in through the provider");
      const log = await t.server.db.orm.em
        .getConnection()
        .execute(`select event, method from auth_event where user_id = ? and event = 'sign_in'`, [member.id]);
      expect(log).toEqual([{ event: "sign_in", method: "oidc" }]);
      const cookies = await context.cookies([`${site}/api/auth/refresh`, `${site}/api/auth/oidc/callback`]);
      expect(cookies.find((c) => c.name === "spotter_refresh")).toMatchObject({ httpOnly: true, secure: true, sameSite: "Strict" });
      expect(cookies.find((c) => c.name === "spotter_oidc")).toBeUndefined();
      await context.close();
    } finally {
      await idp.close();
    }
  });

  it("makes a coach set up TOTP at sign-in once the owner requires it, then asks for the code every time", async () => {
    const owner = await signToken(t.server.jwtSecret!, gym.ownerId, 600);
    const coach = await signToken(t.server.jwtSecret!, gym.coachId, 600);
    const email = (
      (await t.server.db.orm.em.getConnection().execute(`select email from app_user where id = ?`, [gym.coachId]))[0] as { email: string }
    ).email;
    const { context, page } = await freshPage();
    expect(
      (await post(page, `/api/gyms/${gym.gymId}/sign-in-policy`, { passwordsAllowed: true, staffSecondFactor: true }, owner)).status,
    ).toBe(200);
    expect((await post(page, "/api/auth/password/set", { password: "chalk bucket by the rig" }, coach)).status).toBe(200);

    const first = await post(page, "/api/auth/password", { gymId: gym.gymId, email, password: "chalk bucket by the rig" });
    expect(first.body.secondFactor).toMatchObject({ setupRequired: true });
    const setup = await post(page, "/api/auth/second-factor/setup", { ticket: first.body.secondFactor.ticket });
    const done = await post(page, "/api/auth/second-factor/setup/confirm", {
      ticket: first.body.secondFactor.ticket,
      code: await generate({ secret: setup.body.secret }),
    });
    expect(done).toMatchObject({ status: 200, body: { userId: gym.coachId } });
    expect(await post(page, "/api/auth/refresh")).toMatchObject({ status: 200, body: { userId: gym.coachId } });

    const { context: other, page: laptop } = await freshPage();
    const again = await post(laptop, "/api/auth/password", { gymId: gym.gymId, email, password: "chalk bucket by the rig" });
    expect(again.body.secondFactor).toMatchObject({ methods: ["totp"], setupRequired: false });
    expect((await post(laptop, "/api/auth/refresh")).status).toBe(401); // no session without the code
    const wrong = await post(laptop, "/api/auth/second-factor/totp", { ticket: again.body.secondFactor.ticket, code: "000000" });
    expect(wrong).toMatchObject({
      status: 401,
      body: { error: { code: "INVALID_CREDENTIALS", message: expect.stringMatching(/6-digit code/) } },
    });
    // the next 30-second step's code (the one enrolment used is spent)
    const code = await generate({ secret: setup.body.secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    expect(await post(laptop, "/api/auth/second-factor/totp", { ticket: again.body.secondFactor.ticket, code })).toMatchObject({
      status: 200,
      body: { userId: gym.coachId },
    });
    expect((await post(laptop, "/api/auth/refresh")).status).toBe(200);
    await other.close();
    await context.close();
  });
});
