/**
 * Issue 18 "Policies and waivers" in real Chromium (360×740): the gym publishes a waiver version required to check in
 * and a house-rules version required to book (each version says what it requires); the member sees "Not signed yet"
 * on Me, opens Policies, types their name, ticks the box and signs each. The signature keeps the browser's user agent
 * as evidence; booking waits for the house rules, and the desk lets them in once the waiver is signed.
 */
import type { EntityManager } from "@mikro-orm/core";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../server/auth.js";
import { DEMO_GYM_ID, demoId } from "../../server/demo/seedDemo.js";
import { ensureBuilt, launchBrowser, waitVisible } from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/services.js";
import { connectAs, type TestSocket } from "../support/sockets.js";
import { aMember, aSession } from "./memberFixtures.js";
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
      required: "check_in",
    }),
  ).toMatchObject({ ok: true });
  expect(
    await owner.command(room, "gym:publishWaiver", {
      document: "house-rules",
      title: "House rules",
      version: "rules-e2e-1",
      text: "Re-rack your weights and wipe the benches after use.",
      required: "booking",
    }),
  ).toMatchObject({ ok: true });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  owner?.close();
  desk?.close();
  await browser?.close();
  await test?.cleanup();
});

describe("member app: signing the gym's waiver", () => {
  it("signs the house rules (then books) and the waiver (then the desk lets them in) from Me → Policies, each with a typed name and a ticked box", async () => {
    expect(await desk!.command(room, "gym:checkIn", { memberId, openGym: true })).toMatchObject({
      ok: true,
      result: { status: "denied", reason: "WAIVER_NOT_SIGNED" },
    });
    const session = await aSession(test!.server.db.orm.em.fork() as unknown as EntityManager, {
      className: "Rules Check",
      startsInMinutes: 24 * 60,
      capacity: 10,
      now: Date.now(),
    });
    const me = await connectAs(test!.server, memberId);
    const book = () => me.command(`class:${session.sessionId}`, "class:book", { sessionId: session.sessionId });
    expect(await book()).toMatchObject({ ok: false, error: { code: "WAIVER_REQUIRED" } });
    const page = await openApp(browser!, test!.server.url, token);
    await page.getByRole("link", { name: "Me", exact: true }).click();
    const link = page.getByTestId("waiver-link");
    await waitVisible(page, link.filter({ hasText: "Not signed yet: 2 of 2" }), "the unsigned policies on Me", 15_000);
    await link.click();
    expect(new URL(page.url()).pathname).toBe("/waiver");
    await waitVisible(page, page.getByRole("heading", { name: "Policies" }), "the policies screen");
    const rules = page.getByRole("form", { name: "Sign version rules-e2e-1" });
    await expect
      .poll(() => page.locator("member-waiver section[data-document=house-rules] [role=note]").innerText())
      .toBe("House rules: The gym needs your signature before you book or check in.");
    await rules.getByLabel("Type your full name to sign").fill("Wren Waiver");
    await rules.getByLabel("I have read and agree to this waiver").check();
    await rules.getByRole("button", { name: "Sign" }).click();
    await waitVisible(page, page.locator("article[data-version=rules-e2e-1]").getByTestId("signed"), "the signed house rules");
    expect(await book()).toMatchObject({ ok: true, result: { status: "booked" } });
    me.close();

    const form = page.getByRole("form", { name: "Sign version e2e-1" });
    await waitVisible(page, form, "the signing form");
    await expect
      .poll(() => page.locator("member-waiver section[data-document=waiver] [role=note]").innerText())
      .toContain("before you check in");
    await form.getByLabel("Type your full name to sign").fill("Wren Waiver");
    // The box must be ticked: the browser keeps the form from being sent without it.
    await form.getByRole("button", { name: "Sign" }).click();
    expect(await page.locator("article[data-version=e2e-1]").getByTestId("signed").count()).toBe(0);
    await form.getByLabel("I have read and agree to this waiver").check();
    await screenshot(page, "waiver");
    await form.getByRole("button", { name: "Sign" }).click();
    await waitVisible(page, page.locator("article[data-version=e2e-1]").getByTestId("signed"), "the signed version");

    const [row] = await test!.server.db.orm.em
      .fork()
      .getConnection()
      .execute<{ typed_name: string; version: string; user_agent: string }[]>(
        `select typed_name, version, user_agent from waiver_signature where member_id = ? and version = 'e2e-1'`,
        [memberId],
      );
    expect(row).toMatchObject({ typed_name: "Wren Waiver", version: "e2e-1", user_agent: expect.stringContaining("Chrome") });
    expect(await desk!.command(room, "gym:checkIn", { memberId, openGym: true })).toMatchObject({
      ok: true,
      result: { status: "checked_in" },
    });

    await page.getByRole("link", { name: "Me", exact: true }).click();
    await waitVisible(page, page.getByTestId("waiver-link").filter({ hasText: "Signed" }), "Me says signed");

    // A new version published while Me is open: Me says so without a reload (the gym room's one broadcast).
    const publish = (document: string, version: string) =>
      owner!.command(room, "gym:publishWaiver", {
        document,
        title: document,
        version,
        text: `Version ${version} of the rules we train by.`,
        required: "booking",
      });
    expect(await publish("waiver", "e2e-2")).toMatchObject({ ok: true });
    await waitVisible(page, page.getByTestId("waiver-link").filter({ hasText: "Not signed yet: 1 of 2" }), "Me shows the new version live");
    // And while Policies is open: the new version's form appears there.
    await page.getByTestId("waiver-link").click();
    await waitVisible(page, page.getByRole("form", { name: "Sign version e2e-2" }), "the new waiver version to sign");
    expect(await publish("house-rules", "rules-e2e-2")).toMatchObject({ ok: true });
    await waitVisible(page, page.getByRole("form", { name: "Sign version rules-e2e-2" }), "the new house rules, live");
    await page.context().close();
  });
});
