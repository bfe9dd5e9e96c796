/**
 * Issue 18 "Walk-ins" in real Chromium: the coach books a member into their class from the roster and checks them in;
 * the desk, refused "not booked", books the member into the class open for check-in and checks them in with one
 * button; the desk adds a new person as a drop-in (the fee in their account) into that class in one step.
 */
import type { EntityManager } from "@mikro-orm/core";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../server/auth.js";
import { BookingEntity, ClassSessionEntity, UserEntity } from "../../server/db/entities/index.js";
import { DEMO_GYM_ID, demoId } from "../../server/demo/seedDemo.js";
import { formatTime } from "../../web/shared/format.js";
import { ensureBuilt, launchBrowser, openPage, screenshot, waitVisible } from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/services.js";
import { connectAs } from "../support/sockets.js";
import { aSession } from "../support/demoFixtures.js";
import { aMember } from "./adminFixtures.js";

let test: TestServer | undefined;
let browser: Browser | undefined;
let sessionId = "";
let classAt = "";
const who = { roster: "", desk: "" };
const tokens = { coach: "", desk: "" };
const url = (path: string, token: string) => `${test!.server.url}/admin${path}#token=${token}`;
const wide = { viewport: { width: 1366, height: 900 } };
const room = `gym:${DEMO_GYM_ID}`;
const em = () => test!.server.db.orm.em.fork() as unknown as EntityManager;

beforeAll(async () => {
  await ensureBuilt("web-admin");
  test = await startTestServer({ SEED_DEMO: "true" });
  const now = Date.now();
  const s = await aSession(em(), { className: "Walk-in Yoga", startsInMinutes: 5, capacity: 8, now });
  sessionId = s.sessionId;
  classAt = `Walk-in Yoga, ${formatTime(s.startsAt, "Europe/Berlin")}`;
  // The demo's own classes around now are cancelled before any room loads: the desk offers this class, whatever the hour.
  await em().nativeUpdate(
    ClassSessionEntity,
    { gymId: DEMO_GYM_ID, id: { $ne: sessionId }, startsAt: { $gte: now - 4 * 3_600_000, $lte: now + 4 * 3_600_000 } },
    { status: "cancelled" },
  );
  who.roster = await aMember(em(), "Rory Roster", now);
  who.desk = await aMember(em(), "Wendy Walkup", now);
  tokens.coach = await signToken(test.server.jwtSecret!, demoId("user:coach1"));
  tokens.desk = await signToken(test.server.jwtSecret!, demoId("user:desk"));
  const owner = await connectAs(test.server, demoId("user:owner"));
  const plan = {
    name: "Drop-in class",
    kind: "drop_in",
    priceCents: 1500,
    billingPeriod: "once",
    validDays: 1,
    weeklyTarget: 0,
    classTypeIds: [],
  };
  expect(await owner.command(room, "gym:savePlan", plan)).toMatchObject({ ok: true });
  owner.close();
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await test?.cleanup();
});

async function bookingOf(memberId: string) {
  return em().findOne(BookingEntity, { sessionId, memberId });
}

async function openDesk(): Promise<Page> {
  const desk = await openPage(browser!, url("/desk", tokens.desk), wide);
  await waitVisible(desk, desk.getByRole("heading", { name: /Front desk/ }), "desk screen", 15_000);
  return desk;
}

describe("walk-ins on the roster and at the desk", () => {
  it("the coach books a member into their class from the roster and checks them in", async () => {
    const page = await openPage(browser!, url(`/class/${sessionId}`, tokens.coach), wide);
    await page.getByText("Walk-in — book and check in").click();
    // A new person's plan is picked by name and price.
    await expect
      .poll(() => page.getByRole("form", { name: "New walk-in" }).getByLabel("Plan").locator("option").allInnerTexts())
      .toEqual(["No plan", "Drop-in class · €15.00"]);
    await page.locator("roster-walk-in member-search input").fill("Rory Roster");
    const hit = page.locator(`roster-walk-in member-search li[data-member="${who.roster}"]`);
    await waitVisible(page, hit, "Rory in the walk-in search", 15_000);
    await screenshot(page, "admin-roster-walk-in", { docs: true });
    await hit.click();
    await waitVisible(page, page.locator("error-toast").getByText("Rory Roster is booked and checked in."), "the roster's answer");
    expect(await bookingOf(who.roster)).toMatchObject({ status: "checked_in" });
    await page.context().close();
  });

  it("the desk, refused 'not booked', books the member into the class open for check-in and checks them in", async () => {
    const desk = await openDesk();
    await desk.locator("desk-screen member-search input").fill("Wendy Walkup");
    const option = desk.locator(`desk-screen member-search li[data-member="${who.desk}"]`);
    await waitVisible(desk, option, "Wendy in the desk search");
    await option.click();
    await waitVisible(
      desk,
      desk.locator('desk-result [data-outcome="denied"]').filter({ hasText: "Not booked in a class now" }),
      "not booked",
    );
    const book = desk.getByRole("button", { name: `Book into ${classAt} and check in` });
    await waitVisible(desk, book, "the book-and-check-in offer");
    await screenshot(desk, "admin-desk-book-in", { docs: true });
    await book.click();
    await waitVisible(
      desk,
      desk
        .locator('desk-result [data-outcome="accepted"]')
        .filter({ hasText: "Welcome, Wendy Walkup" })
        .filter({ hasText: "Walk-in Yoga" }),
      "booked and checked in",
    );
    expect(await book.count()).toBe(0);
    expect(await bookingOf(who.desk)).toMatchObject({ status: "checked_in" });
    await desk.context().close();
  });

  it("the desk adds a new person as a drop-in into the class and checks them in: the fee is in their account", async () => {
    const desk = await openDesk();
    await desk.getByText("Walk-in — not a member yet").click();
    const form = desk.getByRole("form", { name: "Walk-in" });
    await form.getByLabel("Name").fill("Nia Newcomer");
    await form.getByLabel("Email").fill("nia@e2e.spotter.gym");
    // Options of a closed <select> are never "visible": wait for the plans to arrive.
    await form.locator('select[name="planId"]').locator("option", { hasText: "Drop-in class" }).waitFor({ state: "attached" });
    expect(await form.locator('select[name="planId"]').inputValue()).not.toBe("");
    expect(await form.locator('select[name="sessionId"]').inputValue()).toBe(sessionId);
    await screenshot(desk, "admin-desk-walk-in", { docs: true });
    await form.getByRole("button", { name: "Add and check in" }).click();
    await waitVisible(
      desk,
      desk
        .locator('desk-result [data-outcome="accepted"]')
        .filter({ hasText: "Welcome, Nia Newcomer" })
        .filter({ hasText: "Walk-in Yoga" }),
      "the drop-in booked and checked in",
    );
    const nia = await em().findOneOrFail(UserEntity, { email: "nia@e2e.spotter.gym" });
    expect(await bookingOf(nia.id)).toMatchObject({ status: "checked_in" });
    const owner = await connectAs(test!.server, demoId("user:owner"));
    expect(await owner.command(room, "gym:memberAccount", { memberId: nia.id })).toMatchObject({ ok: true, result: { owedCents: 1500 } });
    owner.close();
    await desk.context().close();
  });
});
