/**
 * Issue 18 "Policies and waivers" in the staff app, real Chromium: an owner publishes house rules as a second policy
 * document, required to book, from the Waivers screen; the screen lists it under "Other policies" with who hasn't
 * signed it, and reminds them of that document.
 */
import { describe, expect, it } from "vitest";
import { DEMO_GYM_ID, demoId } from "../../server/demo/seedDemo.js";
import { openPage, waitVisible } from "../support/browser.js";
import { demoStaffApp } from "./demoStaffApp.js";

const app = demoStaffApp();

describe("staff app: a second policy document", () => {
  it("publishes house rules required to book, lists who hasn't signed them, and reminds them", async () => {
    const page = await openPage(app.browser, await app.url("/waivers", demoId("user:owner")), { viewport: { width: 1366, height: 900 } });
    const form = page.getByRole("form", { name: "Publish a waiver version" });
    await waitVisible(page, form, "the publish form", 15_000);
    await form.getByLabel("Document").fill("house-rules");
    await form.getByLabel("Title").fill("House rules");
    await form.getByLabel("Version").fill("rules-1");
    await form.getByLabel("Acceptance required").selectOption("booking");
    await form.getByLabel("Text").fill("Re-rack your weights and wipe the benches after use.");
    await form.getByRole("button", { name: "Publish" }).click();
    const rules = page.locator("waivers-screen li[data-document=house-rules]");
    await waitVisible(page, rules, "the house rules under Other policies", 10_000);
    expect(await rules.innerText()).toContain("Required to book and to check in.");
    const unsigned = Number(/Not signed yet: (\d+)/.exec(await rules.innerText())?.[1]);
    expect(unsigned).toBeGreaterThan(0);
    const [row] = await app.server.db.orm.em
      .fork()
      .getConnection()
      .execute<{ document: string; required: string }[]>(
        `select document, required from waiver_document where gym_id = ? and version = 'rules-1'`,
        [DEMO_GYM_ID],
      );
    expect(row).toEqual({ document: "house-rules", required: "booking" });
    await rules.getByRole("button", { name: "Remind them" }).click();
    await waitVisible(page, page.getByText(`${unsigned} reminded`), "the reminder's toast");
    await page.context().close();
  });
});
