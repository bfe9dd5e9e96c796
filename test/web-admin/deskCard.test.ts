/**
 * Issue 18 "The desk result shows what staff act on", in real Chromium: a member checks in at the desk and beside the
 * big result the desk shows their photo (uploaded through the photo route), plan and money owed, and the alerts —
 * waiver not signed, injury note, birthday today — then clears both by itself for the next person.
 */
import type { EntityManager } from "@mikro-orm/core";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../server/auth.js";
import { DEMO_GYM_ID, demoId } from "../../server/demo/seedDemo.js";
import { localDate } from "../../domain/schedule/timeZone.js";
import { ensureBuilt, launchBrowser, openPage, screenshot, waitVisible } from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/services.js";
import { connectAs } from "../support/sockets.js";
import { aBooking, aMember, aSession } from "./adminFixtures.js";

let test: TestServer | undefined;
let browser: Browser | undefined;
let memberId = "";
let deskToken = "";
const room = `gym:${DEMO_GYM_ID}`;
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

beforeAll(async () => {
  await ensureBuilt("web-admin");
  test = await startTestServer({ SEED_DEMO: "true" });
  const em = test.server.db.orm.em.fork() as unknown as EntityManager;
  const now = Date.now();
  memberId = await aMember(em, "Alma Alerts", now);
  await aBooking(em, await aSession(em, { className: "Desk card class", startsInMinutes: 10, capacity: 12, now }), memberId, now);
  deskToken = await signToken(test.server.jwtSecret!, demoId("user:desk"));
  const owner = await connectAs(test.server, demoId("user:owner"));
  const me = (await owner.command(room, "gym:me", {})) as { result: { timeZone?: string } };
  const today = localDate(now, me.result.timeZone ?? "Europe/Lisbon");
  expect(
    await owner.command(room, "gym:updateMember", {
      memberId,
      birthday: `1991-${today.slice(5)}`,
      notes: "Shoulder injury — no overhead pressing",
    }),
  ).toMatchObject({ ok: true });
  owner.close();
  const up = await fetch(`${test.server.url}/api/photos/member?gym=${DEMO_GYM_ID}&member=${memberId}`, {
    method: "POST",
    headers: { authorization: `Bearer ${deskToken}`, "x-spotter": "1", "content-type": "image/png" },
    body: PNG,
  });
  expect(up.status).toBe(200);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await test?.cleanup();
});

describe("the desk result shows what staff act on", () => {
  it("shows photo, plan, money owed and the alerts in large type, then clears itself", async () => {
    const desk = await openPage(browser!, `${test!.server.url}/admin/desk#token=${deskToken}`, { viewport: { width: 1366, height: 900 } });
    await waitVisible(desk, desk.getByRole("heading", { name: /Front desk/ }), "desk screen", 15_000);
    await desk.locator("desk-screen member-search input").fill("Alma Alerts");
    const option = desk.locator(`desk-screen member-search li[data-member="${memberId}"]`);
    await waitVisible(desk, option, "the search hit");
    await option.click();
    await waitVisible(desk, desk.locator('desk-result [data-outcome="accepted"]').filter({ hasText: "Alma Alerts" }), "checked in");
    const card = desk.locator("desk-card [data-testid=desk-card]");
    await waitVisible(desk, card, "the desk card");
    const alerts = card.getByRole("list", { name: "Alerts" });
    await waitVisible(desk, alerts.locator('li[data-kind="waiver_missing"]'), "the waiver alert");
    expect(await alerts.locator("li").allTextContents()).toEqual(
      expect.arrayContaining([
        "Waiver not signed — ask them to sign it in the app",
        "Injury note: Shoulder injury — no overhead pressing",
        "Birthday today 🎂",
      ]),
    );
    await waitVisible(desk, card.getByRole("img", { name: "Photo of Alma Alerts" }), "the photo");
    expect(await card.locator('[data-fact="owed"]').textContent()).toBe("Nothing owed");
    // Readable from a metre away: the alerts are at least 18 px, the photo 7.5 rem.
    const size = await alerts
      .locator("li")
      .first()
      .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(size).toBeGreaterThanOrEqual(18);
    const photo = await card.getByRole("img").boundingBox();
    expect(photo!.width).toBeGreaterThanOrEqual(110);
    await screenshot(desk, "admin-desk-card", { docs: true });
    // The next person finds a clean desk.
    await waitVisible(desk, desk.locator('desk-result [data-outcome="idle"]'), "the result cleared", 20_000);
    expect(await card.count()).toBe(0);
    await desk.context().close();
  }, 60_000);
});
