/** The staff app's notices badge in real Chromium (issue 20): a notice to a staff member counts at once, and reads clear it. */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../server/auth.js";
import { demoId } from "../../server/demo/demoIds.js";
import { ensureBuilt, launchBrowser, openPage, waitVisible } from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/services.js";

let test: TestServer | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  await ensureBuilt("web-admin");
  test = await startTestServer({ SEED_DEMO: "true" });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await test?.cleanup();
});

describe("staff notices", () => {
  it("counts a notice to the owner on the header badge at once, and clears it when read", async () => {
    const ownerId = demoId("user:owner");
    const page = await openPage(browser!, `${test!.server.url}/admin/#token=${await signToken(test!.server.jwtSecret!, ownerId)}`);
    const button = page.locator("staff-inbox summary");
    await waitVisible(page, button, "the Notices button");
    await test!.server.notices.notify([ownerId], { kind: "staff_alert", text: "A post was reported — have a look", gymId: null });
    await waitVisible(page, page.getByTestId("staff-unread").getByText("1"), "the staff badge counting 1");
    await button.click();
    await waitVisible(page, page.getByText("A post was reported — have a look"), "the notice in the panel");
    await page.getByRole("button", { name: "Mark all read" }).click();
    await expect.poll(() => page.getByTestId("staff-unread").count()).toBe(0);
    await page.context().close();
  });
});
