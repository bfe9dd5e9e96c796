/**
 * The content security policy (server/http/securityHeaders.ts) in real Chromium: both apps load, connect
 * their live socket, draw the chart, the QR code and the styled bars, and download a CSV — and the browser
 * reports no violation of the policy on the way.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../server/auth.js";
import { demoId } from "../../server/demo/seedDemo.js";
import { ensureBuilt, launchBrowser, openPage, waitVisible } from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/services.js";

let test: TestServer | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  await Promise.all([ensureBuilt("web-admin"), ensureBuilt("member-web")]);
  test = await startTestServer({ SEED_DEMO: "true" });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await test?.cleanup();
});

/** Opens `path` with a demo user's token, recording every CSP violation the page reports. */
async function open(path: string, user: string): Promise<{ page: Page; violations: () => Promise<string[]> }> {
  const page = await openPage(browser!);
  const console: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) console.push(m.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const token = await signToken(test!.server.jwtSecret!, demoId(`user:${user}`));
  await page.goto(`${test!.server.url}${path}#token=${token}`);
  return {
    page,
    violations: async () => [
      ...console,
      ...(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)),
    ],
  };
}

describe("the apps under their content security policy", () => {
  it("staff app: Today's chart and bars, the schedule and a CSV download, without a violation", async () => {
    const { page, violations } = await open("/admin/", "owner");
    await waitVisible(page, page.locator("attendance-chart canvas"), "the attendance chart (uPlot, adopted styles)", 20_000);
    await expect.poll(() => page.locator('kpi-card[label="Check-ins"] .value').innerText()).not.toBe("…"); // live socket
    // In-app navigation: a script's `#token=` lives in the page's memory only (never storage), so a reload signs out.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Members" }).click();
    const download = page.waitForEvent("download");
    await page.locator('csv-export button[data-file="members.csv"]').click();
    expect((await download).suggestedFilename()).toBe("members.csv");
    expect(await violations()).toEqual([]);
    await page.context().close();
  }, 60_000);

  it("member app: schedule cards, my code, without a violation", async () => {
    const { page, violations } = await open("/", "member1");
    await waitVisible(page, page.getByRole("navigation", { name: "Sections" }), "the member app's sections", 20_000);
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "My code" }).click();
    await waitVisible(page, page.getByRole("img", { name: /Check-in QR code/ }), "the QR code");
    expect(await violations()).toEqual([]);
    await page.context().close();
  }, 60_000);
});
