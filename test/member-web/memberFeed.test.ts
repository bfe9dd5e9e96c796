/**
 * The member feed in real Chromium (360×740): another member's logged workout and PR arrive live on
 * top; reacting, commenting and reporting answer in place; the owner sees the report in the staff app
 * and closes it. Logging a workout from the app names the PR and puts it in the feed.
 */
import type { EntityManager } from "@mikro-orm/core";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../server/auth.js";
import { DEMO_GYM_ID, demoId } from "../../server/demo/seedDemo.js";
import { ensureBuilt, launchBrowser, openPage, screenshot as adminScreenshot, waitVisible } from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/services.js";
import { connectAs } from "../support/sockets.js";
import { aMember } from "./memberFixtures.js";
import { openApp, screenshot } from "./memberPages.js";

let test: TestServer | undefined;
let browser: Browser | undefined;
const ids = { fay: "", gil: "" };
let gilToken = "";

beforeAll(async () => {
  await ensureBuilt("member-web");
  await ensureBuilt("web-admin");
  test = await startTestServer({ SEED_DEMO: "true" });
  const em = () => test!.server.db.orm.em.fork() as unknown as EntityManager;
  const now = Date.now();
  ids.fay = await aMember(em(), "Fay Feeder", now);
  ids.gil = await aMember(em(), "Gil Watcher", now);
  gilToken = await signToken(test.server.jwtSecret!, ids.gil);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await test?.cleanup();
});

describe("member feed", () => {
  it("shows another member's workout and PR live, and lets me react, comment and report", async () => {
    const page = await openApp(browser!, test!.server.url, gilToken);
    await page.getByRole("link", { name: "Feed" }).click();
    await waitVisible(page, page.getByRole("heading", { name: "Activity" }), "the feed", 15_000);
    await page.locator("member-feed ol, member-feed p.note").first().waitFor();

    const fay = await connectAs(test!.server, ids.fay);
    const logged = (await fay.command(`user:${ids.fay}`, "user:logWorkout", {
      gymId: DEMO_GYM_ID,
      title: "Leg day",
      exercises: [{ movement: "Back squat", sets: [{ reps: 5, grams: 100_000 }] }],
    })) as { ok: boolean };
    fay.close();
    expect(logged.ok).toBe(true);

    const workout = page.locator('feed-card article[data-kind="workout_logged"]').filter({ hasText: "Fay logged “Leg day”" });
    const pr = page.locator('feed-card article[data-kind="pr"]').filter({ hasText: "Fay set a new PR" });
    await waitVisible(page, workout, "Fay's workout arriving live");
    await waitVisible(page, pr.getByText("Back squat"), "Fay's PR arriving live");

    await workout.getByRole("button", { name: "Kudos 0" }).click();
    await waitVisible(
      page,
      workout.locator('button[data-reaction="kudos"][aria-pressed="true"]').filter({ hasText: "Kudos 1" }),
      "my kudos counted",
    );

    await workout.getByRole("button", { name: "Comments (0)" }).click();
    await workout.getByLabel("Add a comment").fill("Strong work, Fay!");
    await workout.getByRole("button", { name: "Post" }).click();
    await waitVisible(page, workout.getByText("Strong work, Fay!"), "my comment");
    await waitVisible(page, workout.getByRole("button", { name: "Comments (1)" }), "the comment count");
    await screenshot(page, "feed-live");

    await pr.getByRole("button", { name: "Report" }).click();
    await pr.getByLabel(/Why report this post/).fill("Not a real PR");
    await pr.getByRole("button", { name: "Send report" }).click();
    await waitVisible(
      page,
      page.locator("error-toast .toast").filter({ hasText: "the gym's staff will take a look" }),
      "the report confirmed",
    );

    // Blocking Fay takes her cards off my feed at once.
    await pr.getByRole("button", { name: "Block Fay" }).click();
    await pr.getByRole("button", { name: "Yes, block Fay" }).click();
    await expect.poll(() => page.locator("feed-card article").filter({ hasText: "Fay" }).count()).toBe(0);
    await page.context().close();

    // The owner finds it among the reports and closes it.
    const owner = await openPage(
      browser!,
      `${test!.server.url}/admin/reports#token=${await signToken(test!.server.jwtSecret!, demoId("user:owner"))}`,
    );
    const report = owner.locator("reports-screen tr").filter({ hasText: "Not a real PR" });
    await waitVisible(owner, report, "the report in the staff app", 15_000);
    expect(await report.innerText()).toContain("by Gil Watcher");
    await adminScreenshot(owner, "admin-reports", { docs: true });
    await report.getByRole("button", { name: "Mark handled: the report by Gil Watcher" }).click();
    await expect.poll(() => report.count()).toBe(0);
    await owner.context().close();
  });
});

describe("logging a workout", () => {
  it("logs a workout from the Feed screen, names the PR at once, and puts it in my feed", async () => {
    const page = await openApp(browser!, test!.server.url, gilToken);
    await page.getByRole("link", { name: "Feed" }).click();
    await page.getByRole("button", { name: "Log a workout" }).click();
    const form = page.getByRole("form", { name: "Log a workout" });
    await form.getByLabel("Title (optional)").fill("Pull day");
    await form.getByLabel("Movement").fill("Deadlift");
    const set1 = form.getByRole("group", { name: "Exercise 1, set 1" });
    await set1.getByLabel("Reps").fill("5");
    await set1.getByLabel("kg").fill("140,5");
    await form.getByRole("button", { name: "Add set" }).click();
    await form.getByRole("group", { name: "Exercise 1, set 2" }).getByLabel("kg").fill("abc");
    await form.getByRole("button", { name: "Save workout" }).click();
    await waitVisible(
      page,
      form.getByRole("alert").filter({ hasText: "Exercise 1, set 2: Load: kilograms, e.g. 102.5" }),
      "the wrong set named",
    );
    await form.getByRole("group", { name: "Exercise 1, set 2" }).getByLabel("kg").fill("120");
    await screenshot(page, "log-workout");
    await form.getByRole("button", { name: "Save workout" }).click();
    await waitVisible(page, page.getByRole("status").filter({ hasText: "New PR: Deadlift 140.5 kg" }), "the PR named at once");
    await waitVisible(page, page.locator('feed-card article[data-kind="pr"]').filter({ hasText: "You set a new PR" }), "my PR in the feed");
    await waitVisible(
      page,
      page.locator('feed-card article[data-kind="workout_logged"]').filter({ hasText: "You logged “Pull day”" }),
      "my workout in the feed",
    );
    await page.getByRole("link", { name: "Me" }).click();
    await waitVisible(page, page.locator('[data-testid="xp"]'), "my XP on the Me screen");
    expect(Number((await page.locator('[data-testid="xp"]').innerText()).replace(/\D/g, ""))).toBeGreaterThan(0);
    await waitVisible(page, page.locator("member-me").getByText(/1 logged workout/), "my workout count");
    await page.context().close();
  });
});
