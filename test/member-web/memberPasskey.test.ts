/**
 * A member adds a passkey on the Me screen (Chromium's virtual authenticator answers the prompt), signs out, and
 * signs back in with the sign-in screen's passkey button — through the built member app and the node's routes.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../server/auth.js";
import { ensureBuilt, launchBrowser, waitVisible } from "../support/browser.js";
import { aGym, type GymFixture } from "../support/gymFixture.js";
import { startTestServer, type TestServer } from "../support/services.js";
import { addVirtualAuthenticator } from "../support/virtualAuthenticator.js";
import { openApp } from "./memberPages.js";

describe("member passkeys in the app", () => {
  let t: TestServer;
  let gym: GymFixture;
  let browser: Browser;

  beforeAll(async () => {
    await ensureBuilt("member-web");
    t = await startTestServer();
    gym = await aGym(t.server.db.orm, { members: 1 });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.cleanup();
  });

  it("adds a passkey in the profile, then signs in with the passkey button after signing out", async () => {
    const member = gym.members[0]!;
    const site = `http://localhost:${t.server.port}`; // a secure context that can hold passkeys
    const page = await openApp(browser, site, await signToken(t.server.jwtSecret!, member.id, 600));
    const authenticator = await addVirtualAuthenticator(page);
    await waitVisible(page, page.getByRole("link", { name: "Me" }), "member app");
    await page.getByRole("link", { name: "Me" }).click();
    await waitVisible(page, page.getByTestId("no-passkeys"), "empty passkey list");
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await waitVisible(page, page.getByRole("list", { name: "Your passkeys" }).getByText("not used yet"), "the new passkey");
    expect(await authenticator.credentials()).toHaveLength(1);

    await page.getByRole("button", { name: "Sign out", exact: true }).first().click();
    await waitVisible(page, page.getByRole("heading", { name: "Sign in to Spotter" }), "sign-in screen");
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await waitVisible(page, page.getByRole("link", { name: "Me" }), "member app after the passkey sign-in");
    await page.getByRole("link", { name: "Me" }).click();
    await waitVisible(page, page.getByText(/last used/), "the passkey marked as used");
    const log = await t.server.db.orm.em
      .getConnection()
      .execute(`select event, method from auth_event where user_id = ? order by at`, [member.id]);
    expect(log).toEqual(
      expect.arrayContaining([
        { event: "passkey:added", method: null },
        { event: "sign_in", method: "passkey" },
      ]),
    );
  });
});
