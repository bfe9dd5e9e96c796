/**
 * Issue 18 "Policies and waivers" in real Chromium (360×740): the gym publishes a waiver and requires it to check in;
 * the member sees "Not signed yet" on Me, opens the waiver, types their name, ticks the box and signs. The signature
 * keeps the browser's user agent as evidence, and the desk lets them in at once.
 */
import type { EntityManager } from "@mikro-orm/core";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../server/auth.js";
import { DEMO_GYM_ID, demoId } from "../../server/demo/seedDemo.js";
import { ensureBuilt, launchBrowser, waitVisible } from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/services.js";
import { connectAs, type TestSocket } from "../support/sockets.js";
import { aMember } from "./memberFixtures.js";
import { openApp, screenshot } from "./memberPages.js";

let test: TestServer | undefined;
let browser: Browser | undefined;
let owner: TestSocket | undefined;
let desk: TestSocket | undefined;
let memberId = "";
let token = "";
const room = `gym:${DEMO_GYM_ID}`;

beforeAll(async () => {
  await ensureBuilt("member-web");
  test = await startTestServer({ SEED_DEMO: "true" });
  memberId = await aMember(test.server.db.orm.em.fork() as unknown as EntityManager, "Wren Waiver", Date.now());
  token = await signToken(test.server.jwtSecret!, memberId);
  owner = await connectAs(test.server, demoId("user:owner"));
  desk = await connectAs(test.server, demoId("user:desk"));
  expect(
    await owner.command(room, "gym:publishWaiver", {
      title: "Liability waiver",
      version: "e2e-1",
      text: "I train at my own risk.\n\nI tell the coach about injuries before class.",
    }),
  ).toMatchObject({ ok: true });
  expect(await owner.command(room, "gym:setPolicy", { waiverRequired: "check_in" })).toMatchObject({ ok: true });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  owner?.close();
  desk?.close();
  await browser?.close();
  await test?.cleanup();
});

describe("member app: signing the gym's waiver", () => {
  it("signs from Me → Waiver with a typed name and a ticked box; the desk lets them in at once", async () => {
    expect(await desk!.command(room, "gym:checkIn", { memberId, openGym: true })).toMatchObject({
      ok: true,
      result: { status: "denied", reason: "WAIVER_NOT_SIGNED" },
    });
    const page = await openApp(browser!, test!.server.url, token);
    await page.getByRole("link", { name: "Me", exact: true }).click();
    const link = page.getByTestId("waiver-link");
    await waitVisible(page, link.filter({ hasText: "Not signed yet" }), "the unsigned waiver on Me", 15_000);
    await link.click();
    expect(new URL(page.url()).pathname).toBe("/waiver");
    const form = page.getByRole("form", { name: "Sign version e2e-1" });
    await waitVisible(page, form, "the signing form");
    await expect.poll(() => page.locator("member-waiver [role=note]").innerText()).toContain("before you check in");
    await form.getByLabel("Type your full name to sign").fill("Wren Waiver");
    // The box must be ticked: the browser keeps the form from being sent without it.
    await form.getByRole("button", { name: "Sign" }).click();
    expect(await page.getByTestId("signed").count()).toBe(0);
    await form.getByLabel("I have read and agree to this waiver").check();
    await screenshot(page, "waiver");
    await form.getByRole("button", { name: "Sign" }).click();
    await waitVisible(page, page.getByTestId("signed"), "the signed version");

    const [row] = await test!.server.db.orm.em
      .fork()
      .getConnection()
      .execute<{ typed_name: string; version: string; user_agent: string }[]>(
        `select typed_name, version, user_agent from waiver_signature where member_id = ?`,
        [memberId],
      );
    expect(row).toMatchObject({ typed_name: "Wren Waiver", version: "e2e-1", user_agent: expect.stringContaining("Chrome") });
    expect(await desk!.command(room, "gym:checkIn", { memberId, openGym: true })).toMatchObject({
      ok: true,
      result: { status: "checked_in" },
    });

    await page.getByRole("link", { name: "Me", exact: true }).click();
    await waitVisible(page, page.getByTestId("waiver-link").filter({ hasText: "Signed" }), "Me says signed");
    await page.context().close();
  });
});
