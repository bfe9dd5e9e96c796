/**
 * A staff member's own sign-in settings in the staff app ("My sign-in", from their name in the header), in Chromium:
 * setting up an authenticator app with its first code (a wrong one refused in words), then removing it only with a
 * current code; the password section appears only where the gym allows passwords.
 */
import { generate } from "otplib";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../server/auth.js";
import { saveGymFactorPolicy } from "../../server/persistence/gymSignInSettings.js";
import { ensureBuilt, launchBrowser, openPage, waitVisible } from "../support/browser.js";
import { aGym, type GymFixture } from "../support/gymFixture.js";
import { startTestServer, type TestServer } from "../support/services.js";

let t: TestServer | undefined;
let browser: Browser | undefined;
let gym: GymFixture;

beforeAll(async () => {
  await ensureBuilt("web-admin");
  t = await startTestServer();
  gym = await aGym(t.server.db.orm, { members: 1 });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.cleanup();
});

describe("My sign-in in the staff app", () => {
  it("sets up an authenticator app and removes it with a current code; offers a password once the gym allows it", async () => {
    const page = await openPage(browser!, `${t!.server.url}/admin/#token=${await signToken(t!.server.jwtSecret!, gym.coachId, 900)}`, {
      viewport: { width: 390, height: 844 },
    });
    await page.getByRole("link", { name: /^My sign-in/ }).click();
    await waitVisible(page, page.getByRole("heading", { name: "My sign-in" }), "the account screen", 15_000);
    expect(await page.getByRole("heading", { name: "Password" }).count()).toBe(0); // the gym does not allow passwords

    await page.getByRole("button", { name: "Set up an authenticator app" }).click();
    const secret = (await page.getByTestId("totp-key").innerText()).trim();
    await page.getByLabel("The 6-digit code your app shows").fill("000000");
    await page.getByRole("button", { name: "Turn on" }).click();
    await waitVisible(page, page.locator("totp-setting").getByRole("alert"), "a wrong code refused in words");
    await page.getByLabel("The 6-digit code your app shows").fill(await generate({ secret }));
    await page.getByRole("button", { name: "Turn on" }).click();
    await waitVisible(page, page.getByText("Authenticator app on."), "the authenticator on");
    const sql = (q: string) => t!.server.db.orm.em.fork().getConnection().execute(q, [gym.coachId]);
    expect(await sql(`select 1 from totp_factor where user_id = ? and confirmed_at is not null`)).toHaveLength(1);

    // The code used to turn it on is spent: removing it takes the next one.
    await page.getByLabel("Current code, to remove it").fill(await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
    await page.getByRole("button", { name: "Remove authenticator app" }).click();
    await waitVisible(page, page.getByText("Authenticator app removed."), "the authenticator removed");
    expect(await sql(`select 1 from totp_factor where user_id = ?`)).toHaveLength(0);

    await saveGymFactorPolicy(t!.server.db.orm, gym.gymId, gym.ownerId, { passwordsAllowed: true, staffSecondFactor: false }, Date.now());
    await page.getByRole("link", { name: "Today" }).click();
    await page.getByRole("link", { name: /^My sign-in/ }).click();
    await waitVisible(page, page.getByRole("heading", { name: "Password" }), "the password section once passwords are allowed");
  });
});
