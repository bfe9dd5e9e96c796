/**
 * Issue 22's owner reports in real Chromium: the at-risk list is live — a member checked in at the desk leaves it on
 * an open screen without a reload — and the report's charts (uPlot: by hour, money by week) and tables download as
 * CSV (the file's content checked).
 */
import type { EntityManager } from "@mikro-orm/core";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../server/auth.js";
import { DEMO_GYM_ID, demoId } from "../../server/demo/seedDemo.js";
import { ensureBuilt, launchBrowser, openPage, waitVisible } from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/services.js";
import { connectAs, type TestSocket } from "../support/sockets.js";
import { aMember } from "./adminFixtures.js";

let test: TestServer | undefined;
let browser: Browser | undefined;
let desk: TestSocket | undefined;
let token = "";
let memberId = "";

beforeAll(async () => {
  await ensureBuilt("web-admin");
  test = await startTestServer({ SEED_DEMO: "true" });
  // Joined 30 days ago, never came: at risk ("Never visited"), first by name.
  memberId = await aMember(test.server.db.orm.em.fork() as unknown as EntityManager, "Aaron Aardvark", Date.now());
  token = await signToken(test.server.jwtSecret!, demoId("user:owner"));
  desk = await connectAs(test.server, demoId("user:desk"));
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  desk?.close();
  await browser?.close();
  await test?.cleanup();
});

async function downloaded(page: Page, table: string): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator(`insights-screen button[data-csv="${table}"]`).click(),
  ]);
  const stream = await download.createReadStream();
  let text = "";
  for await (const chunk of stream) text += String(chunk);
  return { name: download.suggestedFilename(), text };
}

describe("owner reports", () => {
  it("downloads a chart's and a table's data as CSV, and drops a member from the at-risk list live when they check in", async () => {
    const page = await openPage(browser!, `${test!.server.url}/admin/insights#token=${token}`);
    const row = page.locator(`insights-screen tr[data-member="${memberId}"]`);
    await waitVisible(page, row, "the member on the at-risk list", 15_000);
    await expect.poll(() => row.textContent()).toContain("Never visited");
    const heading = page.locator("insights-screen #risk-h");
    const before = Number(/· (\d+)/.exec((await heading.textContent()) ?? "")?.[1]);

    // A chart (uPlot, by hour) and a table (at risk) as files.
    const hours = await downloaded(page, "hours");
    expect(hours.name).toBe("hours.csv");
    const hourLines = hours.text.trim().split("\r\n");
    expect(hourLines[0]).toBe("hour,sessions,capacity,spots_taken,checked_in,no_shows,late_cancels,waitlisted,fill_rate_pct");
    expect(hourLines.length).toBeGreaterThan(1);
    expect(hourLines.slice(1).every((l) => /^\d\d:00,\d+,/.test(l))).toBe(true);
    // Money by week: drawn with uPlot too, and its file holds one line per week of the table.
    const money = page.locator("insights-screen money-chart");
    await waitVisible(page, money.locator("canvas"), "the money-by-week chart");
    expect(await money.locator(".plot").getAttribute("aria-label")).toMatch(
      /^(Money by week, \d+ weeks: .* charged, .* paid\.|No money moved in this period\.)$/,
    );
    const moneyCsv = await downloaded(page, "money");
    const moneyLines = moneyCsv.text.trim().split("\r\n");
    expect(moneyLines[0]).toBe("week,sales_cents,dues_cents,fees_cents,paid_cents");
    const weeks = await page.locator('insights-screen section[aria-label="Money by week"] .table-scroll tbody tr').allTextContents();
    expect(moneyLines.slice(1).map((l) => l.split(",")[0])).toEqual(weeks.map((w) => w.slice(0, 10)));
    const atRisk = await downloaded(page, "atRisk");
    expect(atRisk.name).toBe("atRisk.csv");
    expect(atRisk.text.split("\r\n")).toContain("Aaron Aardvark,,Never visited");

    // The desk checks the member in: the open screen hears `report:changed` and asks again.
    const answer = await desk!.command(`gym:${DEMO_GYM_ID}`, "gym:checkIn", { memberId, openGym: true });
    expect(answer).toMatchObject({ ok: true, result: { status: "checked_in" } });
    await row.waitFor({ state: "detached", timeout: 15_000 });
    await expect.poll(() => heading.textContent()).toContain(`· ${before - 1}`);
    await page.context().close();
  });
});
