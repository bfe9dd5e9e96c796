/**
 * The member's "Me" screen in real Chromium (360×740), issue 18 "Live and audited": staff sell the member a pack
 * and freeze them while the screen is open, and it says so without a reload.
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
import { openApp } from "./memberPages.js";

let test: TestServer | undefined;
let browser: Browser | undefined;
let owner: TestSocket | undefined;
const room = `gym:${DEMO_GYM_ID}`;
const DAY = 86_400_000;

beforeAll(async () => {
  await ensureBuilt("member-web");
  test = await startTestServer({ SEED_DEMO: "true" });
  owner = await connectAs(test.server, demoId("user:owner"));
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  owner?.close();
  await browser?.close();
  await test?.cleanup();
});

const newMember = async (name: string) => {
  const id = await aMember(test!.server.db.orm.em.fork() as unknown as EntityManager, name, Date.now());
  return { id, token: await signToken(test!.server.jwtSecret!, id) };
};

describe("member app: Me", () => {
  it("shows a pack sold (credits, money owed) and a freeze made by staff while the screen is open, without a reload", async () => {
    const member = await newMember("Lia Live");
    const page = await openApp(browser!, test!.server.url, member.token);
    await page.getByRole("link", { name: "Me", exact: true }).click();
    const credits = page.getByTestId("credits");
    await waitVisible(page, credits, "the credits on Me", 15_000);
    const before = await credits.innerText();
    await page.evaluate(() => ((window as unknown as { __same: boolean }).__same = true));

    expect(before).toBe("∞");
    expect(await owner!.command(room, "gym:sellPack", { memberId: member.id, planId: demoId("plan:pack10") })).toMatchObject({ ok: true });
    await expect.poll(() => credits.innerText(), { timeout: 10_000 }).toBe("10");
    await waitVisible(page, page.getByTestId("owed"), "what the pack's open charge adds to what is owed");

    const until = new Date(Date.now() + 40 * DAY).toISOString().slice(0, 10);
    expect(await owner!.command(room, "gym:freezeMember", { memberId: member.id, until, reason: "Travelling" })).toMatchObject({
      ok: true,
    });
    const standing = page.getByTestId("standing");
    await waitVisible(page, standing, "the freeze on Me", 10_000);
    expect(await standing.innerText()).toMatch(/^Membership frozen until \d{1,2} [A-Z][a-z]{2} — ask the front desk\.$/);
    // The same page all along: no reload happened.
    expect(await page.evaluate(() => (window as unknown as { __same?: boolean }).__same)).toBe(true);
    await page.context().close();
  });
});
