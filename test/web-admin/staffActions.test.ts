/**
 * Staff actions in real Chromium: every roster action answers in words (including refusals), the
 * cancel-class dialog, scanning a member's code at the desk, keyboard-only desk search, the
 * schedule forms, and what each role is (not) shown.
 */
import type { EntityManager } from "@mikro-orm/core";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../server/auth.js";
import { randomUUID } from "node:crypto";
import { addDays, localDate } from "../../domain/schedule/timeZone.js";
import { DEMO_GYM_ID, demoId } from "../../server/demo/seedDemo.js";
import { ensureBuilt, focusedId, launchBrowser, openPage, screenshot, waitVisible } from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/services.js";
import { connectAs } from "../support/sockets.js";
import { aBooking, aMember, aSession, aWaitlistPlace } from "./adminFixtures.js";

let test: TestServer | undefined;
let browser: Browser | undefined;
const ids = { actions: "", soon: "", started: "", kim: "", cara: "", dan: "", eve: "", finn: "", gus: "", hal: "" };
const tokens = { owner: "", desk: "", coach: "" };
const url = (path: string, token: string) => `${test!.server.url}/admin${path}#token=${token}`;

beforeAll(async () => {
  await ensureBuilt("web-admin");
  test = await startTestServer({ SEED_DEMO: "true" });
  const em = () => test!.server.db.orm.em.fork() as unknown as EntityManager;
  const now = Date.now();
  // 60 min ahead: inside the 120-min late-cancel window, before the 30-min auto-promotion cutoff.
  ids.actions = await aSession(em(), { className: "E2E Actions Class", startsInMinutes: 60, capacity: 2, now });
  ids.soon = await aSession(em(), { className: "E2E Scan Class", startsInMinutes: 10, capacity: 8, now });
  ids.started = await aSession(em(), { className: "E2E Started Class", startsInMinutes: -5, capacity: 8, now });
  for (const [key, name] of [
    ["cara", "Cara Cancel"],
    ["dan", "Dan Stays"],
    ["eve", "Eve Waiting"],
    ["finn", "Finn Waiting"],
    ["gus", "Gus Scanner"],
    ["hal", "Hal Keyboard"],
    ["kim", "Kim Absent"],
  ] as const)
    ids[key] = await aMember(em(), name, now);
  await aBooking(em(), ids.actions, ids.cara, now);
  await aBooking(em(), ids.actions, ids.dan, now);
  await aWaitlistPlace(em(), ids.actions, ids.eve, 1, now);
  await aWaitlistPlace(em(), ids.actions, ids.finn, 2, now);
  await aBooking(em(), ids.soon, ids.gus, now);
  // Gus trained the four days up to yesterday: the desk's answer says day five (issue 19 item 4).
  await em()
    .getConnection()
    .execute(
      `insert into member_progress (id, gym_id, member_id, xp, workouts, streak, best_streak, last_active_day, updated_at) values (?, ?, ?, 0, 0, 4, 4, ?, ?)`,
      [randomUUID(), DEMO_GYM_ID, ids.gus, addDays(localDate(now, "Europe/Berlin"), -1), new Date(now)],
    );
  await aBooking(em(), ids.soon, ids.hal, now);
  await aBooking(em(), ids.started, ids.kim, now);
  const secret = test.server.jwtSecret!;
  tokens.owner = await signToken(secret, demoId("user:owner"));
  tokens.desk = await signToken(secret, demoId("user:desk"));
  tokens.coach = await signToken(secret, demoId("user:coach1"));
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await test?.cleanup();
});

const row = (page: Page, memberId: string) => page.locator(`class-roster tr[data-member="${memberId}"]`);
const toast = (page: Page, text: string | RegExp) => page.locator("error-toast .toast").filter({ hasText: text });

describe("staff actions", () => {
  it("answers every class action in words: a refused promotion, a fee cancel with auto-promotion, capacity, cancel class", async () => {
    const page = await openPage(browser!, url(`/class/${ids.actions}`, tokens.owner));
    await waitVisible(page, row(page, ids.cara), "Cara on the roster", 15_000);
    // Waitlist lines travel without status "waiting" (issue 15): the app reads the absent status as waiting.
    await expect.poll(() => page.locator(`class-waitlist tr[data-member="${ids.eve}"] .status`).innerText()).toBe("Waiting");

    await page
      .locator(`class-waitlist tr[data-member="${ids.eve}"]`)
      .getByRole("button", { name: "Promote Eve Waiting into the class" })
      .click();
    await waitVisible(page, toast(page, "No free spot — raise the capacity first."), "the refusal in words");

    await row(page, ids.cara)
      .getByRole("button", { name: /late-cancel fee/ })
      .click();
    await waitVisible(page, toast(page, "Booking cancelled for Cara Cancel; late-cancel fee charged."), "fee cancel result");
    await waitVisible(
      page,
      page.locator(`class-roster tr[data-member="${ids.eve}"][data-status="booked"]`),
      "Eve promoted from the waitlist",
    );
    await waitVisible(page, page.locator(`class-waitlist tr[data-member="${ids.finn}"][data-position="1"]`), "Finn now first in line");

    const capacity = page.getByLabel("Capacity");
    await capacity.fill("3");
    await page.getByRole("button", { name: "Save capacity" }).click();
    await waitVisible(page, toast(page, "Capacity set to 3."), "capacity result");
    await expect.poll(() => page.locator('.head capacity-bar [role="meter"]').getAttribute("aria-valuemax")).toBe("3");
    await screenshot(page, "admin-class-actions", { docs: true, dismissToasts: false });

    await page.getByRole("button", { name: "Cancel class…" }).click();
    const dialog = page.getByRole("dialog", { name: "Cancel this class?" });
    await waitVisible(page, dialog, "the cancel dialog");
    expect(await dialog.getByRole("button", { name: "Cancel class" }).isDisabled()).toBe(true);
    await dialog.getByLabel("Reason shown to members").fill("Coach is ill — sorry!");
    await screenshot(page, "admin-cancel-class-dialog", { docs: true });
    await dialog.getByRole("button", { name: "Cancel class" }).click();
    await waitVisible(page, page.getByText("Cancelled: Coach is ill — sorry!"), "the class marked cancelled");
    expect(await page.locator('class-roster button[data-action="checkIn"]:not([disabled])').count()).toBe(0);
    expect(await page.getByRole("button", { name: "Cancel class…" }).count()).toBe(0);
    await page.context().close();
  });

  it("marks a no-show once the class has started, and says so", async () => {
    const page = await openPage(browser!, url(`/class/${ids.started}`, tokens.owner));
    await waitVisible(page, row(page, ids.kim), "Kim on the roster", 15_000);
    await row(page, ids.kim).getByRole("button", { name: "Mark Kim Absent as no-show" }).click();
    await waitVisible(page, toast(page, "Kim Absent marked as no-show."), "no-show result");
    await waitVisible(page, page.locator(`class-roster tr[data-member="${ids.kim}"][data-status="no_show"]`), "Kim shown as no-show");
    await page.context().close();
  });

  it("checks in a scanned member code at the desk (keyboard-wedge: type then Enter)", async () => {
    const gus = await connectAs(test!.server, ids.gus);
    const code = (await gus.command(`user:${ids.gus}`, "user:checkInCode", {})) as { ok: true; result: { code: string } };
    gus.close();
    expect(code.ok).toBe(true);
    const desk = await openPage(browser!, url("/desk", tokens.desk), { viewport: { width: 1366, height: 900 } });
    await waitVisible(desk, desk.getByRole("heading", { name: /Front desk/ }), "desk screen", 15_000);
    await expect.poll(() => focusedId(desk)).toBe("scan");
    await desk.keyboard.type(code.result.code, { delay: 2 });
    await desk.keyboard.press("Enter");
    await waitVisible(desk, desk.locator('desk-result [data-outcome="accepted"]'), "scan accepted");
    expect(await desk.locator("desk-result [data-outcome]").innerText()).toContain("Gus Scanner");
    // The streak comes in the check-in's answer (the room's resident copy), not from another read.
    expect(await desk.locator("desk-result [data-outcome]").innerText()).toContain("🔥 5-day streak");

    await desk.keyboard.type("garbage-code");
    await desk.keyboard.press("Enter");
    await waitVisible(desk, desk.locator('desk-result [data-outcome="denied"]'), "unknown code denied");
    expect(await desk.locator("desk-result [data-outcome]").innerText()).toContain(
      "No member with this name or code — check it, or add them as a member.",
    );
    await desk.context().close();
  });

  it("lets the desk search and check in with the keyboard only", async () => {
    const desk = await openPage(browser!, url("/desk", tokens.desk), { viewport: { width: 1366, height: 900 } });
    await waitVisible(desk, desk.getByRole("heading", { name: /Front desk/ }), "desk screen", 15_000);
    await desk.keyboard.press("Tab");
    await desk.keyboard.type("Hal Keyb");
    await waitVisible(desk, desk.locator(`member-search li[data-member="${ids.hal}"][aria-selected="true"]`), "Hal highlighted");
    await desk.keyboard.press("Enter");
    await waitVisible(desk, desk.locator('desk-result [data-outcome="accepted"]'), "keyboard check-in accepted");
    await desk.context().close();
  });

  it("creates a class type and schedules a session with it from the Schedule screen", async () => {
    const page = await openPage(browser!, url("/schedule", tokens.owner), { viewport: { width: 1280, height: 1400 } });
    await waitVisible(page, page.getByRole("heading", { name: "Schedule", exact: true }), "schedule screen", 15_000);
    const typeForm = page.locator("class-type-form");
    await typeForm.getByLabel("Name").fill("E2E Kettlebells");
    await typeForm.getByRole("button", { name: "Create class type" }).click();
    await waitVisible(page, toast(page, 'Class type "E2E Kettlebells" created.'), "class type created");

    const form = page.locator("session-form");
    await form.getByLabel("Class type").selectOption({ label: "E2E Kettlebells" });
    const tomorrow = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin" }).format(Date.now() + 86_400_000);
    await form.getByLabel("Date").fill(tomorrow);
    await form.getByLabel("Start time").fill("09:15");
    await form.getByLabel("Coach").selectOption({ label: "Carla Coach" });
    await form.getByRole("button", { name: "Create session" }).click();
    await waitVisible(page, toast(page, "Session scheduled."), "session scheduled");
    const slot = page.locator("schedule-screen .slot").filter({ hasText: "09:15 E2E Kettlebells" });
    await waitVisible(page, slot, "the new session in the calendar");
    await form.getByLabel("Weekly series").check();
    await form.locator('input[name="weekday"][value="1"]').check();
    await form.locator('input[name="weekday"][value="3"]').check();
    const inDays = (n: number) => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin" }).format(Date.now() + n * 86_400_000);
    await form.getByLabel("From").fill(inDays(1));
    await form.getByLabel("Until").fill(inDays(28));
    await form.getByLabel(/Skip these dates/).fill(inDays(8));
    await form.getByLabel("Start time").fill("06:15");
    await form.getByRole("button", { name: "Create series" }).click();
    await waitVisible(page, toast(page, /Series created: \d+ sessions?\./), "series created");
    const series = page.locator("schedule-screen .slot").filter({ hasText: "06:15 E2E Kettlebells" });
    await waitVisible(page, series, "the series' sessions in the calendar");
    expect(await series.count()).toBeGreaterThanOrEqual(1);
    await slot.click();
    await waitVisible(page, page.locator("session-editor").getByRole("heading", { name: "E2E Kettlebells" }), "the session editor");
    await screenshot(page, "admin-schedule-edit", { docs: true });
    await page.context().close();
  });

  it("shows the front desk no schedule, fees or class management", async () => {
    const page = await openPage(browser!, url(`/class/${ids.soon}`, tokens.desk));
    await waitVisible(page, row(page, ids.gus), "roster for the desk", 15_000);
    expect(await page.getByRole("link", { name: "Schedule" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /late-cancel fee/ }).count()).toBe(0);
    expect(await page.getByRole("heading", { name: "Manage class" }).count()).toBe(0);
    await page.context().close();
  });

  it("shows a coach only their own classes today", async () => {
    const page = await openPage(browser!, url("/", tokens.coach));
    await waitVisible(page, page.getByRole("heading", { name: "My classes today" }), "coach's Today", 15_000);
    const coaches = await page.locator("today-screen tbody tr .muted").allInnerTexts();
    expect(coaches.length).toBeGreaterThan(0);
    for (const line of coaches) expect(line).toContain("Carla Coach");
    expect(await page.locator('kpi-card[label="Fees today"]').count()).toBe(0);
    await screenshot(page, "admin-coach-today", { docs: true });
    await page.context().close();
  });
});
