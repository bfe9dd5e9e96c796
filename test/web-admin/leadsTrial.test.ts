/**
 * Issue 22 in real Chromium: the owner switches on the gym's free-trial form on the live pipeline; a visitor books a
 * trial class on the public page; the lead appears on the owner's board without a reload, the coach's roster shows
 * the booking marked "Trial", checking it in moves the lead to "Trial", and the owner converts the lead to a member.
 * Then tours: the owner opens a tour slot, a visitor books it on the same page, and the owner edits the new lead's
 * details (owner: me, follow-up today) and finds it on their "Follow up today" list.
 */
import type { EntityManager } from "@mikro-orm/core";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, localDate } from "../../domain/schedule/timeZone.js";
import { GymEntity, LeadEntity } from "../../server/db/entities/index.js";
import { signToken } from "../../server/auth.js";
import { DEMO_GYM_ID, demoId } from "../../server/demo/seedDemo.js";
import { ensureBuilt, launchBrowser, openPage, screenshot, waitVisible } from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/services.js";
import { demoMinutesOfDay } from "../support/demoFixtures.js";
import { aSession } from "./adminFixtures.js";

const CLASS = "E2E Trial Class";

let test: TestServer | undefined;
let browser: Browser | undefined;
let em: () => EntityManager;
const ids = { session: "" };
const tokens = { owner: "", coach: "", desk: "" };
const url = (path: string, token: string) => `${test!.server.url}/admin${path}#token=${token}`;

beforeAll(async () => {
  await ensureBuilt("web-admin");
  test = await startTestServer({ SEED_DEMO: "true" });
  em = () => test!.server.db.orm.em.fork() as unknown as EntityManager;
  const now = Date.now();
  // Check-in is open (from 30 min before the start) and booking too (until the start).
  const startsIn = demoMinutesOfDay(now) > 23 * 60 + 40 ? 5 : 10;
  ids.session = await aSession(em(), { className: CLASS, startsInMinutes: startsIn, capacity: 6, now });
  const secret = test.server.jwtSecret!;
  tokens.owner = await signToken(secret, demoId("user:owner"));
  tokens.coach = await signToken(secret, demoId("user:coach1"));
  tokens.desk = await signToken(secret, demoId("user:desk"));
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await test?.cleanup();
});

const column = (page: Page, label: RegExp) =>
  page.locator("leads-screen section.column").filter({ has: page.getByRole("heading", { name: label }) });

describe("leads and trials", () => {
  it("turns a public trial request into a live lead, a 'Trial' on the coach's roster, a trial visit and a member", async () => {
    const owner = await openPage(browser!, url("/leads", tokens.owner));
    await waitVisible(owner, owner.locator("leads-screen section.column").first(), "the pipeline board", 15_000);
    const settings = owner.locator("trial-form-settings");
    await settings.getByLabel("People can book a free trial class on the gym's page").check();
    await settings.getByLabel("Sites that may embed it (one per line)").fill("https://demo-gym.example");
    await settings.getByRole("button", { name: "Save trial form" }).click();
    await waitVisible(owner, owner.getByText("Trial form saved."), "the trial form saved");

    const visitor = await openPage(browser!, `${test!.server.url}/trial/${DEMO_GYM_ID}`);
    await waitVisible(visitor, visitor.getByRole("heading", { name: /Try .* for free/ }), "the public trial page");
    await visitor.getByLabel("Your name").fill("Vera Visitor");
    await visitor.getByLabel("Email").fill("vera.visitor@example.com");
    await visitor.getByLabel("What are you interested in? (optional)").fill("Strength");
    await visitor.getByLabel("Class").selectOption(ids.session);
    const consent = visitor.getByRole("checkbox");
    if (await consent.count()) await consent.check();
    await screenshot(visitor, "public-trial-form", { docs: true });
    await visitor.getByRole("button", { name: "Book my free trial" }).click();
    await waitVisible(visitor, visitor.getByRole("heading", { name: "You're booked!" }), "the trial confirmation");

    // Live on the owner's board: no reload.
    const booked = column(owner, /Tour \/ trial booked/).locator("article.lead", { hasText: "Vera Visitor" });
    await waitVisible(owner, booked, "the new lead in 'Tour / trial booked'", 10_000);

    const coach = await openPage(browser!, url(`/class/${ids.session}`, tokens.coach));
    const row = coach.locator("class-roster tr[data-trial]", { hasText: "Vera Visitor" });
    await waitVisible(coach, row, "the trial on the coach's roster", 15_000);
    await waitVisible(coach, row.getByText("Trial", { exact: true }), "the 'Trial' badge on the roster line");
    await screenshot(coach, "admin-class-trial", { docs: true });
    await row.getByRole("button", { name: "Check in Vera Visitor" }).click();

    const trial = column(owner, /^Trial/).locator("article.lead", { hasText: "Vera Visitor" });
    await waitVisible(owner, trial, "the lead moved to 'Trial' by the check-in", 15_000);
    await screenshot(owner, "admin-leads", { docs: true });

    await trial.getByRole("button", { name: "Vera Visitor" }).click();
    const detail = owner.locator("lead-detail");
    await waitVisible(owner, detail.getByText("Came to their trial class (checked in)"), "the trial visit on the timeline");
    await detail.getByRole("button", { name: "Convert to member" }).click();
    await waitVisible(owner, column(owner, /^Member/).locator("article.lead", { hasText: "Vera Visitor" }), "the lead in 'Member'", 10_000);
    await waitVisible(owner, detail.getByRole("link", { name: "Open member profile" }), "a link to the new member's profile");
  });

  it("books a tour the owner opened, and lets the owner edit the lead and follow up today", async () => {
    const timeZone = (await em().findOneOrFail(GymEntity, { id: DEMO_GYM_ID })).timeZone;
    const today = localDate(Date.now(), timeZone);
    const owner = await openPage(browser!, url("/leads", tokens.owner));
    const tours = owner.locator("tour-slots");
    await waitVisible(owner, tours.getByRole("heading", { name: "Tours" }), "the tour slots card", 15_000);
    await tours.getByLabel("Day").fill(addDays(today, 2));
    await tours.getByLabel("Time").fill("10:00");
    await tours.getByLabel("People").fill("2");
    await tours.getByRole("button", { name: "Open tour" }).click();
    await waitVisible(owner, tours.getByText("0 of 2"), "the open tour slot");

    const visitor = await openPage(browser!, `${test!.server.url}/trial/${DEMO_GYM_ID}`);
    await visitor.getByLabel("Your name").fill("Tom Tourist");
    await visitor.getByLabel("Email").fill("tom.tourist@example.com");
    await visitor.getByLabel("…or a tour of the gym").selectOption({ index: 1 });
    const consent = visitor.getByRole("checkbox");
    if (await consent.count()) await consent.check();
    await visitor.getByRole("button", { name: "Book my free trial" }).click();
    await waitVisible(visitor, visitor.getByText(/Your tour: /), "the tour confirmation");

    const lead = column(owner, /Tour \/ trial booked/).locator("article.lead", { hasText: "Tom Tourist" });
    await waitVisible(owner, lead, "the tour lead on the board", 10_000);
    await lead.getByRole("button", { name: "Tom Tourist" }).click();
    const detail = owner.locator("lead-detail");
    await waitVisible(owner, detail.getByText(/Tour booked: /), "the tour on the lead's timeline");
    await detail.getByText("Edit details").click();
    const edit = detail.locator("lead-edit-form");
    await edit.getByLabel("Interested in").fill("Open gym and yoga");
    await edit.getByLabel("Owner").selectOption("me");
    await edit.getByLabel("Next follow-up").fill(today);
    await edit.getByRole("button", { name: "Save details" }).click();
    await waitVisible(
      owner,
      owner.locator("leads-screen section.followups").getByRole("button", { name: "Tom Tourist" }),
      "the lead on the owner's follow-up list",
    );
    const saved = await em().findOneOrFail(LeadEntity, { gymId: DEMO_GYM_ID, email: "tom.tourist@example.com" });
    expect(saved).toMatchObject({ interest: "Open gym and yoga", ownerId: demoId("user:owner"), followUpOn: today, stage: "tour_booked" });
    await screenshot(owner, "admin-lead-edit", { docs: true });
  });

  it("drags a lead card to another column: the card and both counts move, live on the front desk's board too", async () => {
    const [owner, desk] = await Promise.all([
      openPage(browser!, url("/leads", tokens.owner)),
      openPage(browser!, url("/leads", tokens.desk)),
    ]);
    const stage = (page: Page, s: string) => page.locator(`leads-screen section.column[data-stage="${s}"]`);
    const count = async (page: Page, s: string) => Number(await stage(page, s).locator(".count").textContent());
    const card = stage(owner, "tour_booked").locator("article.lead", { hasText: "Tom Tourist" });
    await waitVisible(owner, card, "Tom Tourist in 'Tour / trial booked'", 15_000);
    await waitVisible(
      desk,
      stage(desk, "tour_booked").locator("article.lead", { hasText: "Tom Tourist" }),
      "the same card on the desk's board",
      15_000,
    );
    const before = { booked: await count(owner, "tour_booked"), contacted: await count(owner, "contacted") };
    await card.dragTo(stage(owner, "contacted"));
    for (const page of [owner, desk]) {
      await waitVisible(
        page,
        stage(page, "contacted").locator("article.lead", { hasText: "Tom Tourist" }),
        "the card in 'Contacted'",
        10_000,
      );
      await expect.poll(() => count(page, "contacted")).toBe(before.contacted + 1);
      await expect.poll(() => count(page, "tour_booked")).toBe(before.booked - 1);
      expect(await stage(page, "tour_booked").locator("article.lead", { hasText: "Tom Tourist" }).count()).toBe(0);
    }
    const saved = await em().findOneOrFail(LeadEntity, { gymId: DEMO_GYM_ID, email: "tom.tourist@example.com" });
    expect(saved.stage).toBe("contacted");
    await Promise.all([owner.context().close(), desk.context().close()]);
  });
});
