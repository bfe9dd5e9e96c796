/**
 * Challenges in the member app (real Chromium, 360×740): a coach posts one, the member joins from the
 * Feed screen, sees their progress, and leaves again.
 */
import type { EntityManager } from "@mikro-orm/core";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../server/auth.js";
import { DEMO_GYM_ID, demoId } from "../../server/demo/seedDemo.js";
import { ensureBuilt, launchBrowser, waitVisible } from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/services.js";
import { connectAs } from "../support/sockets.js";
import { aMember } from "./memberFixtures.js";
import { openApp, screenshot } from "./memberPages.js";

const TITLE = "E2E 12 classes in 4 weeks";
let test: TestServer | undefined;
let browser: Browser | undefined;
let token = "";

beforeAll(async () => {
  await ensureBuilt("member-web");
  test = await startTestServer({ SEED_DEMO: "true" });
  const em = () => test!.server.db.orm.em.fork() as unknown as EntityManager;
  const now = Date.now();
  const member = await aMember(em(), "Cleo Challenger", now);
  token = await signToken(test.server.jwtSecret!, member);
  const coach = await connectAs(test.server, demoId("user:coach1"));
  const created = (await coach.command(`gym:${DEMO_GYM_ID}`, "gym:createChallenge", {
    title: TITLE,
    kind: "attendance",
    target: 12,
    startsAt: now - 86_400_000,
    endsAt: now + 27 * 86_400_000,
  })) as { ok: boolean };
  coach.close();
  expect(created.ok).toBe(true);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await test?.cleanup();
});

describe("member challenges", () => {
  it("joins a challenge, shows my progress, and leaves it", async () => {
    const page = await openApp(browser!, test!.server.url, token);
    await page.getByRole("link", { name: "Feed" }).click();
    const item = page.locator("member-challenges li").filter({ hasText: TITLE });
    await waitVisible(page, item, "the challenge", 15_000);
    await item.getByRole("button", { name: `Join ${TITLE}` }).click();
    await waitVisible(page, item.getByText("0 / 12 classes"), "my progress after joining");
    await expect.poll(() => item.innerText()).toContain("1 member taking part");
    expect(await item.getByRole("progressbar", { name: `My progress in ${TITLE}` }).count()).toBe(1);
    await screenshot(page, "challenges");
    await item.getByRole("button", { name: `Leave ${TITLE}` }).click();
    await waitVisible(page, item.getByRole("button", { name: `Join ${TITLE}` }), "join offered again after leaving");
    await page.context().close();
  });
});
