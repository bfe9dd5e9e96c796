/**
 * Staff TOTP in the staff app, in Chromium: the owner requires a second factor; a coach without one opens a sign-in
 * link, sets up an authenticator app (the key from the screen, the code computed like a phone would) and lands in the
 * app; the next sign-in asks for the current code.
 */
import { generate } from "otplib";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveGymFactorPolicy } from "../../server/persistence/gymSignInSettings.js";
import { ensureBuilt, launchBrowser, openPage, waitVisible } from "../support/browser.js";
import { aGym, type GymFixture } from "../support/gymFixture.js";
import { startTestServer, type TestServer } from "../support/services.js";

describe("staff second factor in the staff app", () => {
  let t: TestServer;
  let gym: GymFixture;
  let browser: Browser;

  beforeAll(async () => {
    await ensureBuilt("web-admin");
    t = await startTestServer();
    gym = await aGym(t.server.db.orm, { members: 1 });
    await saveGymFactorPolicy(t.server.db.orm, gym.gymId, gym.ownerId, { passwordsAllowed: false, staffSecondFactor: true }, Date.now());
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.cleanup();
  });

  const linkFor = async (userId: string, email: string) =>
    (await t.server.signIn!.email.devLink(userId, email, "staff", 600_000)).replace(
      /^https?:\/\/[^/]+/,
      `http://localhost:${t.server.port}`,
    );

  it("sets up an authenticator at the first sign-in, then asks for its code", async () => {
    const email = (
      (await t.server.db.orm.em.getConnection().execute(`select email from app_user where id = ?`, [gym.coachId]))[0] as { email: string }
    ).email;
    const page = await openPage(browser, await linkFor(gym.coachId, email));
    await waitVisible(page, page.getByRole("heading", { name: "One more step for staff" }), "second-factor set-up");
    await page.getByRole("button", { name: "Set up an authenticator app" }).click();
    await waitVisible(page, page.getByRole("img", { name: "QR code for your authenticator app" }), "QR code");
    const secret = (await page.getByTestId("totp-key").innerText()).trim();
    await page.getByLabel("The 6-digit code your app shows").fill("000000");
    await page.getByRole("button", { name: "Confirm and sign in" }).click();
    await waitVisible(page, page.getByRole("alert").getByText(/code is not right/), "wrong code refused in words");
    await page.getByLabel("The 6-digit code your app shows").fill(await generate({ secret }));
    await page.getByRole("button", { name: "Confirm and sign in" }).click();
    await waitVisible(page, page.getByRole("button", { name: /sign out/i }), "staff app after the second factor");

    const next = await openPage(browser, await linkFor(gym.coachId, email));
    await waitVisible(next, next.getByRole("heading", { name: "One more step" }), "code step");
    await next
      .getByLabel("6-digit code from your authenticator app")
      .fill(await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
    await next.getByRole("button", { name: "Sign in" }).click();
    await waitVisible(next, next.getByRole("button", { name: /sign out/i }), "staff app after the code");
    const sessions = await t.server.db.orm.em.getConnection().execute(`select factors from auth_session where user_id = ?`, [gym.coachId]);
    expect(sessions).toHaveLength(2);
    for (const s of sessions) expect(JSON.stringify(s.factors)).toContain("totp");
  });
});
