/**
 * Issue 19's numbered findings, each in real Chromium against the demo gym: the staff app on a coach's phone,
 * buttons that say when they will work, numbers that agree, capacity below bookings asks first, the schedule
 * editor in view, desk wording for staff, audit sentences, the TV board on a 1080p wall rotating between
 * classes, the member schedule's date strip, descriptions and favicon, hint-like placeholders.
 */
import type { EntityManager } from "@mikro-orm/core";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../server/auth.js";
import { demoId } from "../../server/demo/seedDemo.js";
import { ensureBuilt, launchBrowser, openPage, waitVisible } from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/services.js";
import { aBooking, aMember, aSession } from "../web-admin/adminFixtures.js";
import { VIEWPORTS } from "./screenRoutes.js";
import { demoMinutesOfDay } from "../support/demoFixtures.js";

let test: TestServer | undefined;
let browser: Browser | undefined;
const ids = { soon: "", later: "", wall: "", twin: "", frozen: "", ana: "", ben: "", member: "" };
const tokens = { owner: "", coach: "", desk: "", member: "" };
const LATER = "Fixes Later Class";

/** Minutes from `now` to the next 03:00 in Berlin that is at least 3 hours away. */
function quietMinutesFrom(now: number): number {
  const sinceMidnight = demoMinutesOfDay(now);
  let minutes = (3 * 60 - sinceMidnight + 24 * 60) % (24 * 60);
  if (minutes < 3 * 60) minutes += 24 * 60;
  return minutes;
}

beforeAll(async () => {
  await ensureBuilt("web-admin");
  await ensureBuilt("member-web");
  test = await startTestServer({ SEED_DEMO: "true" });
  const em = () => test!.server.db.orm.em.fork() as unknown as EntityManager;
  const now = Date.now();
  const late = demoMinutesOfDay(now) > 21 * 60; // late at night "in 2 hours" is tomorrow: the roster still says when
  ids.soon = await aSession(em(), { className: "Fixes Soon Class", startsInMinutes: late ? 5 : 10, capacity: 4, now });
  ids.later = await aSession(em(), { className: LATER, startsInMinutes: 120, capacity: 4, now });
  // The TV board's pair at the next 03:00 Berlin at least 3 h away: no demo class runs then (slots 07:00–19:00,
  // extras around "now"), so the wall rotates between exactly these two whatever the hour of the run.
  const wallIn = quietMinutesFrom(now);
  ids.wall = await aSession(em(), { className: "Fixes Wall Class", startsInMinutes: wallIn, capacity: 4, now });
  ids.twin = await aSession(em(), { className: "Fixes Twin Class", startsInMinutes: wallIn, capacity: 4, now });
  ids.ana = await aMember(em(), "Ana Fixes", now);
  ids.ben = await aMember(em(), "Ben Fixes", now);
  ids.frozen = await aMember(em(), "Nia Frozenfield", now, "frozen");
  ids.member = await aMember(em(), "Mo Member", now);
  for (const s of [ids.soon, ids.later]) for (const m of [ids.ana, ids.ben]) await aBooking(em(), s, m, now);
  const secret = test.server.jwtSecret!;
  tokens.owner = await signToken(secret, demoId("user:owner"));
  tokens.coach = await signToken(secret, demoId("user:coach1"));
  tokens.desk = await signToken(secret, demoId("user:desk"));
  tokens.member = await signToken(secret, ids.member);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await test?.cleanup();
});

const admin = (path: string, token: string) => `${test!.server.url}/admin${path}#token=${token}`;

/** Whether the element's box lies inside the viewport horizontally (and is not zero-sized). */
async function insideWidth(page: Page, selector: string): Promise<boolean> {
  const box = await page.locator(selector).first().boundingBox();
  const width = page.viewportSize()!.width;
  return box !== null && box.width > 0 && box.x >= 0 && box.x + box.width <= width + 0.5;
}

describe("issue 19 on screen", () => {
  it("item 1: at phone width every nav link and Sign out are on the dark bar and inside the screen; a coach opens a class, its roster buttons and the TV board link", async () => {
    const page = await openPage(browser!, admin("/", tokens.owner), { viewport: VIEWPORTS.phone });
    await waitVisible(page, page.locator("today-screen tr[data-session]"), "today's classes", 15_000);
    for (const name of ["Today", "Schedule", "Members", "Leaderboards", "Reports", "Front desk", "Audit"]) {
      expect(await insideWidth(page, `admin-shell nav a:text-is("${name}")`), `${name} inside the screen`).toBe(true);
      const color = await page
        .locator(`admin-shell nav a:text-is("${name}")`)
        .evaluate((a) => getComputedStyle(a.closest("header")!).backgroundColor);
      expect(color).toBe("rgb(20, 33, 61)");
    }
    expect(await insideWidth(page, 'admin-shell button:text-is("Sign out")')).toBe(true);
    await page.context().close();

    const coach = await openPage(browser!, admin("/", tokens.coach), { viewport: VIEWPORTS.phone });
    await waitVisible(coach, coach.locator(`today-screen tr[data-session="${ids.soon}"] a`), "the coach's class today", 15_000);
    await coach.locator(`today-screen tr[data-session="${ids.soon}"] a`).click();
    await waitVisible(coach, coach.locator(`class-roster tr[data-member="${ids.ana}"]`), "the live roster");
    expect(await insideWidth(coach, `class-roster tr[data-member="${ids.ana}"] button[data-action="checkIn"]`)).toBe(true);
    expect(await insideWidth(coach, `class-roster tr[data-member="${ids.ana}"] button[data-action="noShow"]`)).toBe(true);
    expect(await insideWidth(coach, "class-workout")).toBe(true);
    expect(await coach.getByRole("link", { name: /Open TV board/ }).getAttribute("href")).toBe(`/admin/board/${ids.soon}`);
    expect(await insideWidth(coach, 'class-workout a[href^="/admin/board/"]')).toBe(true);
    await coach.context().close();
  });

  it("item 2: check-in and no-show are disabled before they can work and say when they open", async () => {
    const page = await openPage(browser!, admin(`/class/${ids.later}`, tokens.owner), { viewport: VIEWPORTS.tablet });
    const row = page.locator(`class-roster tr[data-member="${ids.ana}"]`);
    await waitVisible(page, row, "the later class's roster", 15_000);
    expect(await row.locator('button[data-action="checkIn"]').isDisabled()).toBe(true);
    expect(await row.locator('button[data-action="noShow"]').isDisabled()).toBe(true);
    expect(await page.locator('class-roster [data-testid="roster-when"]').innerText()).toMatch(
      /^Check-in opens .*\d\d:\d\d · No-show from .*\d\d:\d\d$/,
    );
    await page.context().close();
  });

  it("item 3: the dashboard's 'Booked today' is the sum of today's class table", async () => {
    const page = await openPage(browser!, admin("/", tokens.owner), { viewport: VIEWPORTS.desktop });
    await waitVisible(page, page.locator("today-screen tr[data-session]"), "today's classes", 15_000);
    const card = page.locator('kpi-card[label="Booked today"] .value');
    await expect.poll(() => card.innerText()).not.toBe("…");
    const meters = await page
      .locator("today-screen tr[data-session]:not(.cancelled) capacity-bar [role=meter]")
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute("aria-valuenow"))));
    expect((await card.innerText()).split(" / ")[0]).toBe(String(meters.reduce((a, b) => a + b, 0)));
    expect(await page.locator('kpi-card[label="Bookings made"]').count()).toBe(1);
    await page.context().close();
  });

  it("item 5 and 9: capacity below bookings says what happens and asks; the change then reads as a sentence in the audit", async () => {
    const page = await openPage(browser!, admin(`/class/${ids.later}`, tokens.owner), { viewport: VIEWPORTS.desktop });
    await waitVisible(page, page.locator(`class-roster tr[data-member="${ids.ana}"]`), "roster", 15_000);
    await page.getByLabel("Capacity").fill("1");
    await page.getByRole("button", { name: "Save capacity" }).click();
    const dialog = page.getByRole("dialog", { name: "Capacity 1 is below the 2 booked" });
    await waitVisible(page, dialog, "the consequence before saving");
    expect(await dialog.innerText()).toContain("Nobody loses their spot and nobody is told");
    await dialog.getByRole("button", { name: "Keep it" }).click();
    // Kept: nothing was sent, the class still holds 4.
    expect(await page.locator('class-screen .head capacity-bar [role="meter"]').getAttribute("aria-valuemax")).toBe("4");
    await page.getByRole("button", { name: "Save capacity" }).click();
    await page.getByRole("dialog", { name: "Capacity 1 is below the 2 booked" }).getByRole("button", { name: "Save anyway" }).click();
    await waitVisible(page, page.locator("error-toast").getByText("Capacity set to 1."), "saved after asking");
    await page.goto(admin("/audit", tokens.owner));
    await waitVisible(
      page,
      page.locator("audit-screen li").filter({ hasText: `${LATER} capacity from 4 to 1` }),
      "the audit sentence",
      15_000,
    );
    expect(await page.locator("audit-screen li .sentence").first().innerText()).not.toMatch(/class:[a-zA-Z]/);
    await page.locator("audit-screen select#action").selectOption({ label: "Capacity changes" });
    await expect
      .poll(() => page.locator("audit-screen li .sentence").allInnerTexts())
      .toEqual(expect.arrayContaining([expect.stringContaining(`${LATER} capacity from 4 to 1`)]));
    await page.context().close();
  });

  it("item 6: at 1280×800 picking a class in the schedule brings its editor into view", async () => {
    const page = await openPage(browser!, admin("/schedule", tokens.owner), { viewport: VIEWPORTS.desktop });
    const slot = page.locator("schedule-screen button.slot").filter({ hasText: LATER });
    await waitVisible(page, slot, "the class in the calendar", 15_000);
    await slot.click();
    await expect
      .poll(
        () =>
          page.locator(`session-editor form[aria-label="Edit session"] > h2`).evaluate((h) => {
            const r = h.getBoundingClientRect();
            return r.top >= 0 && r.bottom <= innerHeight;
          }),
        { timeout: 5_000 },
      )
      .toBe(true);
    await page.context().close();
  });

  it("item 8: the desk reads what to do for a frozen member, the whole line visible on a phone", async () => {
    const page = await openPage(browser!, admin("/desk", tokens.desk), { viewport: VIEWPORTS.phone });
    await waitVisible(page, page.locator("desk-screen member-search input"), "desk search", 15_000);
    await page.locator("desk-screen member-search input").fill("Nia Frozenfield");
    await page.locator(`desk-screen member-search li[data-member="${ids.frozen}"]`).click();
    const result = page.locator('desk-result [data-outcome="denied"]');
    await waitVisible(page, result, "denied at the desk");
    expect(await result.innerText()).toContain("Membership frozen — offer to unfreeze it on their profile.");
    expect(await result.innerText()).not.toContain("ask the front desk");
    const clipped = await page
      .locator("desk-result .title")
      .evaluate((t) => t.scrollHeight > t.clientHeight + 1 || t.scrollWidth > t.clientWidth + 1);
    expect(clipped).toBe(false);
    await page.context().close();
  });

  it("item 10: the TV board fills a 1080p screen in large type and rotates to the class running alongside, with a timer", async () => {
    const page = await openPage(browser!, admin(`/board/${ids.wall}`, tokens.coach), {
      viewport: { width: 1920, height: 1080 },
      timeout: 30_000,
    });
    await waitVisible(page, page.locator("board-screen h1"), "the board", 15_000);
    const size = await page.locator("board-screen h1").evaluate((h) => parseFloat(getComputedStyle(h).fontSize));
    expect(size).toBeGreaterThanOrEqual(56); // ~1.6 × 36 px at 1080p: readable from 5 m
    await waitVisible(
      page,
      page.locator('board-screen [data-testid="board-next"]').filter({ hasText: "Fixes Twin Class" }),
      "the next class and its timer",
    );
    await expect.poll(() => page.locator("board-screen h1").innerText(), { timeout: 25_000 }).toBe("Fixes Twin Class");
    await page.context().close();
  }, 60_000);

  it("item 12: the member schedule has a date strip and descriptions, the app a favicon, the workout form hint-like placeholders", async () => {
    const page = await openPage(browser!, `${test!.server.url}/#token=${tokens.member}`, { viewport: VIEWPORTS.phone });
    await waitVisible(page, page.locator("member-session-card article"), "the schedule", 15_000);
    expect(await page.locator('member-schedule nav.strip button[aria-current="date"]').innerText()).toContain("Today");
    expect(await page.locator("member-schedule nav.strip button").count()).toBe(7);
    await waitVisible(page, page.locator("member-schedule p.desc").first(), "a class description");
    const icon = await page.locator('link[rel="icon"]').getAttribute("href");
    expect(icon).toBeTruthy();
    if (!icon!.startsWith("data:")) expect((await page.request.get(new URL(icon!, page.url()).href)).status()).toBe(200);
    await page.getByRole("link", { name: "Feed" }).click();
    await page.getByRole("button", { name: "Log a workout" }).click();
    const placeholders = await page
      .locator("workout-log-form input[placeholder]")
      .evaluateAll((els) => els.map((e) => e.getAttribute("placeholder")!));
    expect(placeholders.length).toBeGreaterThan(3);
    for (const p of placeholders) expect(p).toMatch(/^(e\.g\. |mm:ss$)/);
    const staff = await openPage(browser!, admin(`/class/${ids.later}`, tokens.owner), { viewport: VIEWPORTS.phone });
    await waitVisible(staff, staff.locator("class-workout input[name=title]"), "the staff WOD form", 15_000);
    for (const p of await staff.locator("class-workout [placeholder]").evaluateAll((els) => els.map((e) => e.getAttribute("placeholder")!)))
      expect(p).toMatch(/^e\.g\. /);
    await staff.context().close();
    await page.context().close();
  });
});
