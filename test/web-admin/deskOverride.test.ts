/**
 * Issue 18 "At the desk" in real Chromium: with the waiver enforced, the desk reads "Waiver not signed", checks the
 * member in anyway with a reason (shown on the check-in stream as an override, audited), and adds a walk-in who is
 * checked in in the same step. Owners see who hasn't signed on the Waivers screen.
 */
import type { EntityManager } from "@mikro-orm/core";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../server/auth.js";
import { AuditLogEntity, CheckInEntity } from "../../server/db/entities/index.js";
import { DEMO_GYM_ID, demoId } from "../../server/demo/seedDemo.js";
import { ensureBuilt, launchBrowser, openPage, screenshot, waitVisible } from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/services.js";
import { connectAs } from "../support/sockets.js";
import { aMember } from "./adminFixtures.js";

let test: TestServer | undefined;
let browser: Browser | undefined;
let memberId = "";
const tokens = { owner: "", desk: "" };
const url = (path: string, token: string) => `${test!.server.url}/admin${path}#token=${token}`;
const wide = { viewport: { width: 1366, height: 900 } };
const room = `gym:${DEMO_GYM_ID}`;

beforeAll(async () => {
  await ensureBuilt("web-admin");
  test = await startTestServer({ SEED_DEMO: "true" });
  memberId = await aMember(test.server.db.orm.em.fork() as unknown as EntityManager, "Otto Override", Date.now());
  tokens.owner = await signToken(test.server.jwtSecret!, demoId("user:owner"));
  tokens.desk = await signToken(test.server.jwtSecret!, demoId("user:desk"));
  const owner = await connectAs(test.server, demoId("user:owner"));
  expect(
    await owner.command(room, "gym:publishWaiver", {
      title: "Liability waiver",
      version: "e2e-desk",
      text: "I train at my own risk and tell the coach about injuries.",
    }),
  ).toMatchObject({ ok: true });
  expect(await owner.command(room, "gym:setPolicy", { waiverRequired: "check_in" })).toMatchObject({ ok: true });
  owner.close();
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await test?.cleanup();
});

async function pick(desk: Page, name: string, id: string): Promise<void> {
  await desk.locator("desk-screen member-search input").fill(name);
  const option = desk.locator(`desk-screen member-search li[data-member="${id}"]`);
  await waitVisible(desk, option, `desk search hit for ${name}`);
  await option.click();
}

describe("front desk: overrides and walk-ins", () => {
  it("says 'Waiver not signed', then checks the member in anyway with a reason, shown as an override", async () => {
    const desk = await openPage(browser!, url("/desk", tokens.desk), wide);
    await waitVisible(desk, desk.getByRole("heading", { name: /Front desk/ }), "desk screen", 15_000);
    await pick(desk, "Otto Override", memberId);
    await waitVisible(
      desk,
      desk.locator('desk-result [data-outcome="denied"]').filter({ hasText: "Waiver not signed" }),
      "the waiver refusal",
    );
    const override = desk.getByRole("form", { name: "Check in anyway" });
    await waitVisible(desk, override, "the override form");
    await override.getByLabel(/Reason to check/).fill("Signed the paper form, app is down");
    await override.getByRole("button", { name: "Check in anyway" }).click();
    await waitVisible(
      desk,
      desk.locator('desk-result [data-outcome="accepted"]').filter({ hasText: "Override: Signed the paper form, app is down" }),
      "checked in with the override",
    );
    expect(await override.count()).toBe(0);
    const streamed = desk.locator(`checkin-feed li[data-member="${memberId}"][data-override="yes"]`);
    await waitVisible(desk, streamed.filter({ hasText: "In (override)" }), "the override on the check-in stream");
    await screenshot(desk, "admin-desk-override", { docs: true });

    const em = test!.server.db.orm.em.fork();
    expect(await em.findOneOrFail(CheckInEntity, { memberId, result: "accepted" })).toMatchObject({
      override: "Signed the paper form, app is down",
      reason: "WAIVER_NOT_SIGNED",
    });
    const audit = await em.findOneOrFail(
      AuditLogEntity,
      { gymId: DEMO_GYM_ID, entityType: "check_in", actorId: demoId("user:desk") },
      { orderBy: { pos: "desc" } },
    );
    expect(audit.summary).toMatchObject({ after: { memberId, result: "accepted", override: "Signed the paper form, app is down" } });
    await desk.context().close();
  });

  it("adds a walk-in and checks them in at once (the waiver still applies, so the desk overrides it)", async () => {
    const desk = await openPage(browser!, url("/desk", tokens.desk), wide);
    await waitVisible(desk, desk.getByRole("heading", { name: /Front desk/ }), "desk screen", 15_000);
    await desk.getByText("Walk-in — not a member yet").click();
    const form = desk.getByRole("form", { name: "Walk-in" });
    await form.getByLabel("Name").fill("Wally Walkin");
    await form.getByLabel("Email").fill("wally@e2e.spotter.gym");
    // To open gym, whatever demo class is open for check-in now (a class walk-in is test/web-admin/walkIns.test.ts).
    await form.locator('select[name="sessionId"]').selectOption({ label: "Open gym (no class)" });
    await form.getByRole("button", { name: "Add and check in" }).click();
    await waitVisible(
      desk,
      desk.locator('desk-result [data-outcome="denied"]').filter({ hasText: "Wally Walkin" }).filter({ hasText: "Waiver not signed" }),
      "the walk-in refused for the waiver",
    );
    const override = desk.getByRole("form", { name: "Check in anyway" });
    await override.getByLabel(/Reason to check/).fill("First visit, signed on paper");
    await override.getByRole("button", { name: "Check in anyway" }).click();
    await waitVisible(
      desk,
      desk.locator('desk-result [data-outcome="accepted"]').filter({ hasText: "Wally Walkin" }),
      "the walk-in checked in",
    );
    // The same person again is named, not added twice.
    await form.getByLabel("Name").fill("Wally W.");
    await form.getByLabel("Email").fill("wally@e2e.spotter.gym");
    await form.locator('select[name="sessionId"]').selectOption({ label: "Open gym (no class)" });
    await form.getByRole("button", { name: "Add and check in" }).click();
    await waitVisible(
      desk,
      desk.locator("desk-walk-in [role=alert]").filter({ hasText: "Wally Walkin already has this email" }),
      "the duplicate named",
    );
    await desk.context().close();
  });

  it("shows owners who hasn't signed the version in force", async () => {
    const page = await openPage(browser!, url("/waivers", tokens.owner), wide);
    await waitVisible(page, page.getByRole("heading", { name: "Liability waiver · version e2e-desk" }), "the waiver in force", 15_000);
    await waitVisible(page, page.locator(`waivers-screen li[data-member="${memberId}"]`), "Otto among the unsigned");
    await screenshot(page, "admin-waivers", { docs: true, fullPage: true });
    await page.context().close();
  });
});
