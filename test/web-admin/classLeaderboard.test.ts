/**
 * The class whiteboard end to end in real Chromium: a coach sets the WOD in the staff app, members
 * submit scores in the member app, and the staff leaderboard, the TV board (opened from the front
 * desk) and the member's own rank update live; the front desk is not offered to set the WOD.
 */
import type { EntityManager } from "@mikro-orm/core";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../server/auth.js";
import { ClassWorkoutEntity, UserEntity } from "../../server/db/entities/index.js";
import { localDate, startOfLocalDay } from "../../domain/schedule/timeZone.js";
import { demoId } from "../../server/demo/seedDemo.js";
import { ensureBuilt, launchBrowser, openPage, screenshot, waitVisible } from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/services.js";
import { connectAs } from "../support/sockets.js";
import { card, openApp, screenshot as memberScreenshot } from "../member-web/memberPages.js";
import { aBooking, aMember, aSession } from "./adminFixtures.js";

const CLASS = "E2E WOD Class";
/** The demo gym's time zone (server/demo/demoPeople.ts). */
const DEMO_TIME_ZONE = "Europe/Berlin";
let test: TestServer | undefined;
let browser: Browser | undefined;
const ids = { session: "", wanda: "", otto: "", tia: "", sam: "" };
const tokens = { coach: "", desk: "", wanda: "" };
const admin = (path: string, token: string) => `${test!.server.url}/admin${path}#token=${token}`;

beforeAll(async () => {
  await ensureBuilt("web-admin");
  await ensureBuilt("member-web");
  test = await startTestServer({ SEED_DEMO: "true" });
  const em = () => test!.server.db.orm.em.fork() as unknown as EntityManager;
  const now = Date.now();
  // Regression: a class started "10 minutes ago" lies on yesterday from 00:00 to 00:10 in the gym's zone, where
  // neither the gym room's schedule (from the local day's start) nor the desk's TV list (today's classes) shows it.
  // That most likely failed this file near 00:13 Berlin on 2026-12-07, and was put down to the shared copy of the
  // seeded demo (this file set NO_DEMO_TEMPLATE=1 since; a copy and a fresh seed both list a class added after start).
  // It starts at most 10 minutes ago, never before the gym's midnight.
  const midnight = startOfLocalDay(localDate(now, DEMO_TIME_ZONE), DEMO_TIME_ZONE);
  const startsInMinutes = -Math.min(10, (now - midnight) / 60_000);
  ids.session = await aSession(em(), { className: CLASS, startsInMinutes, capacity: 12, now });
  for (const [key, name] of [
    ["wanda", "Wanda Wod"],
    ["otto", "Otto Other"],
    ["tia", "Tia Tie"],
    ["sam", "Sam Scaled"],
  ] as const) {
    ids[key] = await aMember(em(), name, now);
    await aBooking(em(), ids.session, ids[key], now);
  }
  // Sam keeps their name private: the TV board must not show it.
  await em().nativeUpdate(UserEntity, { id: ids.sam }, { visible: false });
  const secret = test.server.jwtSecret!;
  tokens.coach = await signToken(secret, demoId("user:coach1"));
  tokens.desk = await signToken(secret, demoId("user:desk"));
  tokens.wanda = await signToken(secret, ids.wanda);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await test?.cleanup();
});

const board = (page: Page): Locator => page.locator("leaderboard-table");
const line = (page: Page, rank: number): Locator => board(page).locator(`tr[data-rank="${rank}"]`);
const toast = (page: Page, text: string | RegExp) => page.locator("error-toast .toast").filter({ hasText: text });

async function expectLine(page: Page, rank: number, ...parts: string[]): Promise<void> {
  await expect
    .poll(
      () =>
        line(page, rank)
          .innerText()
          .catch(() => ""),
      { timeout: 10_000 },
    )
    .toMatch(new RegExp(parts.map((p) => p.replace(/[.+]/g, "\\$&")).join("[\\s\\S]*")));
}

async function logFor(coach: Page, name: string, time: string, division: "Rx" | "Scaled" = "Rx"): Promise<void> {
  const wod = coach.locator("class-workout");
  await wod.getByRole("combobox", { name: /^Member/ }).selectOption({ label: name });
  await wod.getByRole("radio", { name: division }).check();
  await wod.getByLabel("Time (mm:ss)").fill(time);
  await wod.getByRole("button", { name: "Log result" }).click();
  await waitVisible(coach, toast(coach, `Result logged for ${name}`), `${name}'s result logged`);
}

describe("class leaderboard", () => {
  it("goes live from the coach's WOD to members' scores on the staff app, the TV board and the member's phone", async () => {
    const coach = await openPage(browser!, admin(`/class/${ids.session}`, tokens.coach));
    const wod = coach.locator("class-workout");
    await waitVisible(coach, wod.getByRole("button", { name: "Set workout" }), "the coach's WOD form", 15_000);
    await wod.getByLabel("Title").fill("Fran: 21-15-9 thrusters, pull-ups");
    await wod.getByLabel("Description").fill("21-15-9 reps for time\nThrusters 43/30 kg, pull-ups");
    await wod.getByLabel("Score type").selectOption({ label: "For time" });
    await wod.getByRole("button", { name: "Set workout" }).click();
    await waitVisible(coach, toast(coach, "Workout set: Fran"), "WOD set");
    await waitVisible(
      coach,
      board(coach).getByText("Fran: 21-15-9 thrusters, pull-ups · For time"),
      "the leaderboard captioned with the WOD",
    );

    // The front desk sees the workout and the TV links, but is not offered to set it.
    const desk = await openPage(browser!, admin(`/class/${ids.session}`, tokens.desk));
    await waitVisible(
      desk,
      desk.locator("class-workout").getByText("Fran: 21-15-9 thrusters, pull-ups").first(),
      "the WOD on the desk's class screen",
      15_000,
    );
    expect(
      await desk
        .locator("class-workout")
        .getByRole("button", { name: /Set workout|Update workout/ })
        .count(),
    ).toBe(0);
    expect(await desk.locator("class-workout").getByLabel("Title").count()).toBe(0);
    await desk.goto(admin("/desk", tokens.desk));
    const tvLink = desk.getByRole("link", { name: new RegExp(CLASS) });
    await waitVisible(desk, tvLink, "the TV board link on the desk", 15_000);
    const tvPath = new URL((await tvLink.getAttribute("href"))!, test!.server.url).pathname;
    expect(tvPath).toBe(`/admin/board/${ids.session}`);
    const tv = await openPage(browser!, admin(`/board/${ids.session}`, tokens.desk), { viewport: { width: 1280, height: 720 } });
    await waitVisible(tv, tv.getByRole("heading", { name: "Fran: 21-15-9 thrusters, pull-ups" }), "the WOD on the TV", 15_000);
    expect(await tv.getByRole("button").count()).toBe(0);
    await waitVisible(tv, tv.getByText("Thrusters 43/30 kg, pull-ups"), "the WOD's description on the TV");
    const stored = await test!.server.db.orm.em.fork().findOneOrFail(ClassWorkoutEntity, { sessionId: ids.session });
    expect(stored.description).toBe("21-15-9 reps for time\nThrusters 43/30 kg, pull-ups");

    // A member submits from today's class card: a wrong time is refused in words, a right one ranks at once.
    const member = await openApp(browser!, test!.server.url, tokens.wanda);
    const mine = member.locator("member-wod");
    await waitVisible(member, card(member, CLASS), "the class card", 15_000);
    await waitVisible(member, mine.getByText("Workout: Fran: 21-15-9 thrusters, pull-ups"), "the WOD on the member's card");
    await waitVisible(member, mine.getByText("Thrusters 43/30 kg, pull-ups"), "the WOD's description on the member's card");
    await mine.getByLabel("Time (mm:ss)").fill("4 min");
    await mine.getByRole("button", { name: "Submit score" }).click();
    await waitVisible(member, mine.getByRole("alert").filter({ hasText: "Time: use mm:ss, e.g. 12:34" }), "the time format error");
    await mine.getByLabel("Time (mm:ss)").fill("4:05");
    await mine.getByRole("radio", { name: "Rx" }).check();
    await mine.getByRole("button", { name: "Submit score" }).click();
    await waitVisible(member, mine.getByText("You're #1 of 1"), "the member's rank");

    await expectLine(coach, 1, "Wanda Wod", "Rx", "4:05");
    await expectLine(tv, 1, "Wanda", "Rx", "4:05");

    // The coach logs others: a faster Rx time, an equal Rx time (a tie: the earlier submission first), a scaled time ranked after every Rx.
    await logFor(coach, "Otto Other", "3:59");
    await logFor(coach, "Tia Tie", "4:05");
    await logFor(coach, "Sam Scaled", "3:00", "Scaled");
    await expectLine(coach, 1, "Otto Other", "3:59");
    await expectLine(coach, 2, "Wanda Wod", "4:05", "tie");
    await expectLine(coach, 3, "Tia Tie", "4:05", "tie");
    await expectLine(coach, 4, "Sam Scaled", "Scaled", "3:00");
    await expectLine(tv, 2, "Wanda", "4:05");
    await expectLine(tv, 4, "Anonymous", "Scaled", "3:00");
    expect(await board(tv).innerText()).not.toContain("Sam");
    expect(await board(tv).innerText()).not.toContain("Wod");
    await waitVisible(member, mine.getByText("You're #2 of 4"), "the member's rank moved live");
    expect(await mine.locator('tr[aria-current="true"]').getAttribute("data-rank")).toBe("2");

    await card(member, CLASS).evaluate((el) => el.scrollIntoView({ block: "start" }));
    await memberScreenshot(member, "score-entry");
    await screenshot(coach, "admin-class-leaderboard", { docs: true, fullPage: true });
    await screenshot(tv, "admin-board-tv", { docs: true });
    for (const p of [coach, desk, tv, member]) await p.context().close();
  });
});

describe("gym leaderboards", () => {
  it("ranks the week's best results of a benchmark WOD for staff (after the class above), live, and a coach posts a challenge", async () => {
    const page = await openPage(browser!, admin("/leaderboards", tokens.coach));
    await waitVisible(page, page.getByRole("heading", { name: "Leaderboards" }), "the leaderboards screen", 15_000);
    await page.getByLabel("Board").selectOption({ label: "Benchmark workout" });
    await page.getByLabel("Workout title").fill("fran: 21-15-9 thrusters, pull-ups");
    await page.getByRole("button", { name: "Show" }).click();
    const first = page.locator('leaderboards-screen tr[data-rank="1"]');
    await expect.poll(() => first.innerText().catch(() => ""), { timeout: 10_000 }).toMatch(/Otto Other\s+3:59/);
    expect(await page.locator('leaderboards-screen tr[data-rank="4"]').innerText()).toMatch(/Sam Scaled\s+3:00 \(scaled\)/);

    // Live: a better result logged elsewhere moves the board without asking again.
    const coach = await connectAs(test!.server, demoId("user:coach1"));
    const logged = (await coach.command(`class:${ids.session}`, "class:logResult", {
      sessionId: ids.session,
      memberId: ids.tia,
      score: { type: "for_time", ms: 230_000 },
      division: "rx",
    })) as { ok: boolean };
    coach.close();
    expect(logged.ok).toBe(true);
    await expect.poll(() => first.innerText().catch(() => ""), { timeout: 10_000 }).toMatch(/Tia Tie\s+3:50/);

    const form = page.getByRole("form", { name: "New challenge" });
    await form.getByLabel("Title").fill("E2E 100 km rowed");
    await form.getByLabel("Kind").selectOption({ label: "Distance" });
    await form.getByLabel("Target (km)").fill("100");
    await form.getByLabel("Movement (optional)").fill("Row");
    await form.getByRole("button", { name: "Post challenge" }).click();
    await waitVisible(page, toast(page, "Challenge posted: E2E 100 km rowed."), "the challenge posted");
    await waitVisible(
      page,
      page.locator("challenges-panel tr").filter({ hasText: "E2E 100 km rowed" }).filter({ hasText: "100 km" }),
      "the challenge listed with its target",
    );
    await screenshot(page, "admin-leaderboards", { docs: true, fullPage: true });
    await page.context().close();
  });
});
