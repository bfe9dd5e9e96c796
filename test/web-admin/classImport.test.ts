/**
 * Issue 18 "Import", classes, in real Chromium: an owner picks "Classes", chooses another system's export of classes,
 * reads the dry run's per-row error in words, chooses the corrected file, sees the class already on the schedule
 * listed as a duplicate, imports, and choosing the same file again imports nothing.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wallClock } from "../../domain/schedule/timeZone.js";
import { signToken } from "../../server/auth.js";
import { ClassSessionEntity, ClassTypeEntity } from "../../server/db/entities/index.js";
import { DEMO_GYM_ID, demoId } from "../../server/demo/seedDemo.js";
import { ensureBuilt, launchBrowser, openPage, screenshot, waitVisible } from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/services.js";

let test: TestServer | undefined;
let browser: Browser | undefined;
let owner = "";

beforeAll(async () => {
  await ensureBuilt("web-admin");
  test = await startTestServer({ SEED_DEMO: "true" });
  owner = await signToken(test.server.jwtSecret!, demoId("user:owner"));
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await test?.cleanup();
});

describe("importing classes in the staff app", () => {
  it("shows the row error, lists the duplicate, imports the rest, and the same file again adds nothing", async () => {
    const em = test!.server.db.orm.em.fork();
    // A demo class on the schedule: the file names it again (a duplicate) next to a new one.
    const [there] = await em.getConnection().execute<{ starts_at: Date; name: string; location: string }[]>(
      `select s.starts_at, t.name, l.name as location from class_session s join class_type t on t.id = s.class_type_id
           join location l on l.id = s.location_id where s.gym_id = ? order by s.starts_at limit 1`,
      [DEMO_GYM_ID],
    );
    expect(there).toBeDefined();
    const w = wallClock(new Date(there!.starts_at).getTime(), "Europe/Berlin");
    const pad = (n: number) => String(n).padStart(2, "0");
    const date = `${w.year}-${pad(w.month)}-${pad(w.day)}`;
    const time = `${pad(w.hour)}:${pad(w.minute)}`;
    const file = (location: string) =>
      [
        "Class Name,Class Date,Start Time,Location,Capacity",
        `${there!.name},${date},${time},${there!.location},12`,
        `Barre Import,2099-03-02,7:00 PM,${location},10`,
      ].join("\n");
    const page = await openPage(browser!, `${test!.server.url}/admin/members#token=${owner}`, { viewport: { width: 1280, height: 800 } });
    await page.getByRole("link", { name: /Import members/ }).click();
    await waitVisible(page, page.getByRole("heading", { name: "Import members" }), "the import screen", 15_000);
    await page.locator('import-screen [data-testid="import-kind"]').selectOption("classes");
    await waitVisible(page, page.getByRole("heading", { name: "Import classes" }), "the classes import");
    const choose = (csv: string) =>
      page
        .locator('import-screen [data-testid="import-file"]')
        .setInputFiles({ name: "classes.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });

    await choose(file("Atlantis"));
    await waitVisible(
      page,
      page
        .locator('import-screen [data-testid="import-errors"]')
        .getByText('Line 3 · Location: No location named "Atlantis" in this gym — add it on Settings first (or fix the name).'),
      "the bad location in words",
    );
    const commit = page.locator('import-screen [data-testid="import-commit"]');
    expect(await commit.isDisabled()).toBe(true);

    await choose(file(there!.location));
    await waitVisible(
      page,
      page.locator('import-screen [data-testid="import-summary"]').getByText(/2 rows: 1 class to add \(1 new class type\), 1 duplicate/),
      "the clean dry run",
    );
    await waitVisible(
      page,
      page
        .locator('import-screen [data-testid="import-duplicates"]')
        .getByText(`Line 2: ${there!.name} on ${date} ${time} is already on the schedule at that location — skipped.`),
      "the duplicate listed",
    );
    await screenshot(page, "admin-import-classes", { docs: true, fullPage: true });
    await commit.click();
    await waitVisible(
      page,
      page.locator('import-screen [data-testid="import-done"]').getByText("1 class added (1 new class type), 1 duplicate skipped."),
      "the import's report",
    );
    const barre = await em.fork().findOneOrFail(ClassTypeEntity, { gymId: DEMO_GYM_ID, name: "Barre Import" });
    expect(await em.fork().find(ClassSessionEntity, { gymId: DEMO_GYM_ID, classTypeId: barre.id })).toMatchObject([
      { capacity: 10, status: "scheduled" },
    ]);

    // The same file again: both rows duplicates, nothing to import.
    await choose(file(there!.location));
    await waitVisible(
      page,
      page.getByText("Every class in this file is already on the schedule — nothing to import."),
      "the same file again",
    );
    expect(await commit.isDisabled()).toBe(true);
    await page.context().close();
  });
});
