/**
 * Issue 17's owner screens in real Chromium, against a real node, a real SMTP server and a real OpenID Connect
 * provider: the owner turns on passwords and the staff second factor and sets up single sign-on on the Sign-in
 * screen; the sign-in screens then offer a password and the provider's button (both used to sign in); the owner
 * invites a coach on the Staff screen, sees the mail's delivery state, withdraws another invitation, and the coach
 * accepting the invitation sets up a second factor before the first session; a newcomer signs themselves up and
 * sets a password on Me.
 */
import { generate } from "otplib";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../server/auth.js";
import { ensureBuilt, launchBrowser, openPage, waitVisible } from "../support/browser.js";
import { aGym, type GymFixture } from "../support/gymFixture.js";
import { startIdentityProvider, type TestIdentityProvider } from "../support/oidcProvider.js";
import { startTestServer, type TestServer } from "../support/services.js";
import { startSmtp, type TestSmtp } from "../support/smtp.js";

let t: TestServer | undefined;
let smtp: TestSmtp | undefined;
let idp: TestIdentityProvider | undefined;
let browser: Browser | undefined;
let gym: GymFixture;
let site = "";
const PASSWORD = "kettlebell swing at dawn 42";

beforeAll(async () => {
  await Promise.all([ensureBuilt("member-web"), ensureBuilt("web-admin")]);
  smtp = await startSmtp();
  t = await startTestServer({ SMTP_URL: smtp.url });
  gym = await aGym(t.server.db.orm, { members: 2, name: "Box Settings" });
  site = `http://localhost:${t.server.port}`; // the relying party's own origin (what the provider redirects to)
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await idp?.close();
  await t?.cleanup();
  await smtp?.close();
});

const sql = <T = Record<string, unknown>>(q: string, params: unknown[] = []) =>
  t!.server.db.orm.em.fork().getConnection().execute<T[]>(q, params);
const ownerPage = async (path: string) =>
  openPage(browser!, `${site}/admin${path}#token=${await signToken(t!.server.jwtSecret!, gym.ownerId, 900)}`);
const emailOf = async (userId: string) => (await sql<{ email: string }>(`select email from app_user where id = ?`, [userId]))[0]!.email;

async function setPassword(userId: string): Promise<void> {
  const res = await fetch(`${site}/api/auth/password/set`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-spotter": "1",
      authorization: `Bearer ${await signToken(t!.server.jwtSecret!, userId, 600)}`,
    },
    body: JSON.stringify({ password: PASSWORD }),
  });
  expect(res.status).toBe(200);
}

/** `POST /api/auth/sign-up` as a script would send it (the app's header, no cookie). */
async function signUp(email: string): Promise<{ status: number; body: { error?: { code: string } } }> {
  const res = await fetch(`${site}/api/auth/sign-up`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-spotter": "1" },
    body: JSON.stringify({ gymId: gym.gymId, email, acceptPolicies: true }),
  });
  return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
}

/** The second step for staff without a factor: the key from the screen, its code computed as a phone would. */
async function setUpAuthenticator(page: Page): Promise<void> {
  await waitVisible(page, page.getByRole("heading", { name: "One more step for staff" }), "second-factor set-up");
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  const secret = (await page.getByTestId("totp-key").innerText()).trim();
  await page.getByLabel("The 6-digit code your app shows").fill(await generate({ secret }));
  await page.getByRole("button", { name: "Confirm and sign in" }).click();
  await waitVisible(page, page.getByRole("button", { name: /sign out/i }), "the staff app after the second step", 15_000);
}

describe("owner screens for sign-in", () => {
  it("turns on passwords, the staff second factor and self sign-up, and sets up single sign-on with the provider's callback shown", async () => {
    expect(await signUp("early-bird@example.com")).toMatchObject({ status: 403, body: { error: { code: "METHOD_DISABLED" } } });
    const page = await ownerPage("/signin");
    await waitVisible(page, page.getByRole("heading", { name: "How people sign in" }), "the sign-in rules", 15_000);
    await page.getByLabel(/Allow passwords/).check();
    await page.getByLabel(/Staff need a second step/).check();
    await page.getByLabel(/sign themselves up/).check();
    await page.getByRole("button", { name: "Save sign-in rules" }).click();
    await waitVisible(page, page.getByText("Sign-in rules saved"), "the saved toast");
    expect(
      await sql(`select passwords_allowed, staff_second_factor, self_sign_up from gym_factor_policy where gym_id = ?`, [gym.gymId]),
    ).toEqual([{ passwords_allowed: true, staff_second_factor: true, self_sign_up: true }]);

    // The provider is registered with the address the screen tells the owner to use.
    const callback = (await page.getByTestId("callback-url").innerText()).trim();
    expect(callback).toBe(`${site}/api/auth/oidc/callback`);
    idp = await startIdentityProvider(callback);
    await page.getByLabel("Button label (your provider's name)").fill("Box SSO");
    await page.getByLabel("Issuer URL").fill(idp.issuer);
    await page.getByLabel("Client ID").fill(idp.clientId);
    await page.getByLabel("Client secret").fill(idp.clientSecret);
    await page.getByRole("button", { name: "Turn on single sign-on" }).click();
    await waitVisible(page, page.getByText("Members and staff can sign in with Box SSO"), "single sign-on on");
    expect(await page.getByLabel("Client secret").getAttribute("placeholder")).toMatch(/Stored/);
    expect(await page.getByLabel("Client secret").inputValue()).toBe("");

    // Renaming the button keeps the stored secret (the owner never sees or retypes it).
    await page.getByLabel("Button label (your provider's name)").fill("Box Login");
    await page.getByRole("button", { name: "Save single sign-on" }).click();
    await waitVisible(page, page.getByText("Members and staff can sign in with Box Login"), "renamed");
    const [row] = await sql<{ display_name: string; client_secret: string | null }>(
      `select display_name, client_secret from gym_identity_provider where gym_id = ?`,
      [gym.gymId],
    );
    expect(row!.display_name).toBe("Box Login");
    expect(row!.client_secret).not.toBeNull();
    const audited = await sql<{ action: string }>(`select action from audit_log where gym_id = ? and action like 'gym:set%' order by seq`, [
      gym.gymId,
    ]);
    expect(audited.map((a: { action: string }) => a.action)).toEqual([
      "gym:setSignInPolicy",
      "gym:setIdentityProvider",
      "gym:setIdentityProvider",
    ]);
    await page.close();
  });

  it("offers the password and the provider's button on the member sign-in screen, and both sign in", async () => {
    const member = gym.members[0]!;
    await setPassword(member.id);
    const page = await openPage(browser!, `${site}/`);
    await page.getByRole("button", { name: "Sign in with a password" }).click();
    await page.getByLabel("Email address").fill(member.email);
    await page.getByLabel("Password").fill("not my password at all");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await waitVisible(page, page.getByRole("alert").getByText(/don't match/), "a wrong password refused in words");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await waitVisible(page, page.getByRole("navigation", { name: "Sections" }), "the member app after the password", 15_000);
    await page.close();

    const other = gym.members[1]!;
    idp!.nextLogin = { sub: "settings-sso-user", email: other.email, email_verified: true };
    const sso = await openPage(browser!, `${site}/`);
    await sso.getByRole("link", { name: "Sign in with Box Login" }).click();
    await waitVisible(sso, sso.getByRole("navigation", { name: "Sections" }), "the member app after single sign-on", 15_000);
    expect(await sql(`select method from auth_event where user_id = ? and event = 'sign_in'`, [other.id])).toEqual([{ method: "oidc" }]);
    await sso.close();
  });

  it("asks staff who sign in with a password for the second step the owner requires", async () => {
    await setPassword(gym.deskId);
    const page = await openPage(browser!, `${site}/admin/`);
    await page.getByRole("button", { name: "Sign in with a password" }).click();
    await page.getByLabel("Email address").fill(await emailOf(gym.deskId));
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await setUpAuthenticator(page);
    const [s] = await sql<{ method: string; factors: unknown }>(`select method, factors from auth_session where user_id = ?`, [gym.deskId]);
    expect(s).toMatchObject({ method: "password" });
    expect(JSON.stringify(s!.factors)).toContain("totp");
    await page.close();
  });

  it("asks staff who come back from single sign-on for the second step on the staff app's sign-in screen", async () => {
    idp!.nextLogin = { sub: "settings-sso-coach", email: await emailOf(gym.coachId), email_verified: true };
    const page = await openPage(browser!, `${site}/admin/`);
    await page.getByRole("link", { name: "Sign in with Box Login" }).click();
    // The ticket stays in its HttpOnly cookie; the address only says which step, and is cleaned at once.
    await setUpAuthenticator(page);
    expect(page.url()).not.toContain("second-factor");
    const [s] = await sql<{ method: string; factors: unknown }>(`select method, factors from auth_session where user_id = ?`, [
      gym.coachId,
    ]);
    expect(s).toMatchObject({ method: "oidc" });
    expect(JSON.stringify(s!.factors)).toContain("totp");
    await page.close();
  });
});

describe("owner screen for staff invitations", () => {
  it("invites a coach, shows the mail's delivery, withdraws another invitation; the coach sets up a second step on accepting", async () => {
    const coach = `new.coach-${gym.gymId.slice(0, 8)}@example.com`;
    const slow = `slow.desk-${gym.gymId.slice(0, 8)}@example.com`;
    smtp!.refuseNext(slow, 1);
    const page = await ownerPage("/staff");
    const invite = page.getByRole("form", { name: "Invite someone" });
    await waitVisible(page, invite, "the invitation form", 15_000);
    await invite.getByLabel("Email address").fill(coach);
    await invite.getByLabel("Role").selectOption("coach");
    await invite.getByRole("button", { name: "Send invitation" }).click();
    const row = page.locator("staff-screen tr", { hasText: coach });
    await waitVisible(page, row.getByText(/^Waiting/), "the open invitation");
    await waitVisible(page, row.getByText(/^Sent/), "its mail delivered", 20_000);

    await invite.getByLabel("Email address").fill(slow);
    await invite.getByLabel("Role").selectOption("front_desk");
    await invite.getByRole("button", { name: "Send invitation" }).click();
    const slowRow = page.locator("staff-screen tr", { hasText: slow });
    await waitVisible(page, slowRow.getByText(/^Retrying at/), "a refused mail waiting for its retry", 20_000);
    // The outgoing mail beside them: who, what, and its state with the SMTP server's refusal — never the content.
    const outbox = page.getByRole("table", { name: "Outgoing mail" });
    await waitVisible(page, outbox.locator("tr", { hasText: coach }).getByText(/Sent \d/), "the invitation mail in the outbox");
    await waitVisible(page, outbox.locator("tr", { hasText: slow }).getByText(/Retrying \(1 tries\)/), "the refused mail in the outbox");
    expect(await outbox.innerText()).not.toContain("#invite=");
    await slowRow.getByRole("button", { name: `Withdraw the invitation to ${slow}` }).click();
    await waitVisible(page, slowRow.getByText("Withdrawn"), "the withdrawn invitation");
    expect((await sql(`select action from audit_log where gym_id = ? and action = 'gym:revokeInvitation'`, [gym.gymId])).length).toBe(1);

    const mail = await smtp!.next(coach);
    const token = /#invite=([A-Za-z0-9_-]+)/.exec(mail.body)?.[1];
    expect(token).toBeTruthy();
    const accept = await openPage(browser!, `${site}/admin/#invite=${token}`);
    await waitVisible(accept, accept.getByRole("heading", { name: "Join Box Settings" }), "the invitation");
    await accept.getByLabel("Your name").fill("Nia Newcoach");
    await accept.getByRole("button", { name: "Accept and sign in" }).click();
    await setUpAuthenticator(accept);
    // Back to the Staff screen in the app (a reload would drop the script token): the invitation reads Accepted.
    await page.getByRole("link", { name: "Today" }).click();
    await page.getByRole("link", { name: "Staff" }).click();
    await waitVisible(page, row.getByText("Accepted"), "the accepted invitation on the owner's screen");
    await accept.close();
    await page.close();
  });
});

describe("self sign-up", () => {
  it("lets a newcomer join from the member sign-in screen once the email is confirmed (their accepted terms recorded), within a per-address budget", async () => {
    const email = `newcomer-${gym.gymId.slice(0, 8)}@example.com`;
    // The gym publishes terms and a privacy policy: what the newcomer accepts when asking is recorded when they join.
    await sql(
      `update gym set policy = jsonb_set(policy::jsonb, '{requiredConsents}', '{"terms":"2026-12","privacy":"2026-11"}') where id = ?`,
      [gym.gymId],
    );
    const page = await openPage(browser!, `${site}/`);
    await page.getByRole("button", { name: "New here? Join the gym" }).click();
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("I accept the gym's terms and privacy policy").check();
    await page.getByRole("button", { name: "Email me a link to join" }).click();
    await waitVisible(page, page.getByRole("heading", { name: "Check your inbox" }), "the check-your-inbox note");
    // Nothing exists until the address is proven.
    expect(await sql(`select id from app_user where email = ?`, [email])).toEqual([]);

    const mail = await smtp!.next(email);
    expect(mail.subject).toContain("Confirm your email to join Box Settings");
    const token = /#invite=([A-Za-z0-9_-]+)/.exec(mail.body)?.[1];
    await page.goto(`${site}/#invite=${token}`);
    await waitVisible(page, page.getByRole("heading", { name: "Join Box Settings" }), "the join screen");
    await page.getByLabel("Your name").fill("Nora Newcomer");
    await page.getByRole("button", { name: "Accept and sign in" }).click();
    await waitVisible(page, page.getByRole("navigation", { name: "Sections" }), "the member app after joining", 15_000);
    const [joined] = await sql<{ role: string; status: string; name: string }>(
      `select m.role, m.status, u.name from gym_membership m join app_user u on u.id = m.user_id where u.email = ? and m.gym_id = ?`,
      [email, gym.gymId],
    );
    expect(joined).toEqual({ role: "member", status: "active", name: "Nora Newcomer" });
    const consents = await sql<{ kind: string; version: string }>(
      `select c.kind, c.version from consent c join app_user u on u.id = c.user_id where u.email = ? order by c.kind`,
      [email],
    );
    expect(consents).toEqual([
      { kind: "privacy", version: "2026-11" },
      { kind: "terms", version: "2026-12" },
    ]);

    // Her own password, on Me (the gym allows passwords): a weak one is refused in words, a good one works next time.
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Me" }).click();
    await page.getByLabel("Password", { exact: true }).fill("password1234");
    await page.getByRole("button", { name: "Set password" }).click();
    await waitVisible(page, page.locator("password-setting").getByRole("alert"), "a weak password refused in words");
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Set password" }).click();
    await waitVisible(page, page.getByText("Password set"), "the password set");
    await page.getByRole("button", { name: "Sign out" }).first().click();
    await page.getByRole("button", { name: "Sign in with a password" }).click();
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await waitVisible(page, page.getByRole("navigation", { name: "Sections" }), "signed in again with her password", 15_000);

    // The same answer for an address with an account; the fourth mail to one address in a day is refused in words.
    const again = `budget-${gym.gymId.slice(0, 8)}@example.com`;
    for (let i = 0; i < 3; i++) expect((await signUp(again)).status).toBe(202);
    expect(await signUp(again)).toMatchObject({ status: 429, body: { error: { code: "RATE_LIMITED" } } });
    await page.close();
  });
});
