/**
 * Issue 18 "Import" in real Chromium: an owner picks another system's CSV, maps the column Spotter did not
 * recognise, reads the dry run's per-row error, leaves the bad column out, imports, and choosing the same file
 * again imports nobody; then imports the plan one of them holds and her booking of a class tomorrow.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../server/auth.js";
import { wallClock } from "../../domain/schedule/timeZone.js";
import { BookingEntity, GymMembershipEntity, UserEntity } from "../../server/db/entities/index.js";
import { DEMO_GYM_ID, demoId } from "../../server/demo/seedDemo.js";
import { ensureBuilt, launchBrowser, openPage, screenshot, waitVisible } from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/services.js";

let test: TestServer | undefined;
let browser: Browser | undefined;
let owner = "";

const CSV = [
  "Nombre,Correo,Plan,Estado",
  "Lia Importada,lia.importada@example.com,Unlimited,active",
  "Marco Importado,marco.importado@example.com,Oro,active",
].join("\n");

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

describe("importing members in the staff app", () => {
  it("maps an unknown column, shows the row error, imports without it, and the same file again adds nobody", async () => {
    const page = await openPage(browser!, `${test!.server.url}/admin/members#token=${owner}`, { viewport: { width: 1280, height: 800 } });
    await page.getByRole("link", { name: /Import members/ }).click();
    await waitVisible(page, page.getByRole("heading", { name: "Import members" }), "the import screen", 15_000);
    const choose = () =>
      page
        .locator('import-screen [data-testid="import-file"]')
        .setInputFiles({ name: "members.csv", mimeType: "text/csv", buffer: Buffer.from(CSV) });
    await choose();
    const errors = page.locator('import-screen [data-testid="import-errors"]');
    await waitVisible(
      page,
      errors.getByText("Pick the column that holds the email address: members are matched by email."),
      "the mapping asks for the email column",
    );
    await page.locator('import-screen select[data-field="email"]').selectOption("Correo");
    await page.locator('import-screen select[data-field="name"]').selectOption("Nombre");
    await waitVisible(
      page,
      errors.getByText('Line 3 · Plan: No plan named "Oro" in this gym — create it on Plans first, or leave the cell empty.'),
      "the bad plan in words",
    );
    const commit = page.locator('import-screen [data-testid="import-commit"]');
    expect(await commit.isDisabled()).toBe(true);
    await screenshot(page, "admin-import", { docs: true, fullPage: true });

    // Leave the plan column out: no errors, two new members.
    await page.locator('import-screen select[data-field="plan"]').selectOption("");
    await waitVisible(
      page,
      page.locator('import-screen [data-testid="import-summary"]').getByText(/2 rows: 2 new members/),
      "the clean dry run",
    );
    await commit.click();
    await waitVisible(
      page,
      page.locator('import-screen [data-testid="import-done"]').getByText(/2 new members added/),
      "the import's report",
    );
    const em = test!.server.db.orm.em.fork();
    const lia = await em.findOne(UserEntity, { email: "lia.importada@example.com" });
    expect(await em.find(GymMembershipEntity, { gymId: DEMO_GYM_ID, userId: lia!.id })).toMatchObject([{ status: "active", planId: null }]);

    await choose();
    await waitVisible(page, page.getByText("Everyone in this file is already a member — nothing to import."), "the same file again");

    // Then the plans they hold: same steps, another kind of file.
    await page.locator('import-screen [data-testid="import-kind"]').selectOption("plans");
    await waitVisible(page, page.getByRole("heading", { name: "Import plans" }), "the plans import");
    await page.locator('import-screen [data-testid="import-file"]').setInputFiles({
      name: "plans.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("Client Email,Pricing Option\nlia.importada@example.com,unlimited"),
    });
    await waitVisible(
      page,
      page.locator('import-screen [data-testid="import-summary"]').getByText(/1 row: 1 plan to give/),
      "the plans dry run",
    );
    await screenshot(page, "admin-import-plans", { docs: true, fullPage: true });
    await commit.click();
    await waitVisible(
      page,
      page.locator('import-screen [data-testid="import-done"]').getByText(/1 plan given/),
      "the plans import's report",
    );
    expect(await em.fork().find(GymMembershipEntity, { gymId: DEMO_GYM_ID, userId: lia!.id })).toMatchObject([
      { planId: expect.any(String) },
    ]);

    // Then her upcoming booking: a class on the schedule tomorrow or the day after, with a spot free.
    const [next] = await em
      .fork()
      .getConnection()
      .execute<{ id: string; starts_at: Date; name: string }[]>(
        `select s.id, s.starts_at, t.name from class_session s join class_type t on t.id = s.class_type_id
          where s.gym_id = ? and s.status = 'scheduled' and s.starts_at > now() + interval '20 hours' and s.starts_at < now() + interval '44 hours'
            and s.capacity > (select count(*) from booking b where b.session_id = s.id and b.status in ('booked', 'checked_in'))
          order by s.starts_at limit 1`,
        [DEMO_GYM_ID],
      );
    expect(next).toBeDefined();
    const wall = wallClock(new Date(next!.starts_at).getTime(), "Europe/Berlin");
    const pad = (n: number) => String(n).padStart(2, "0");
    await page.locator('import-screen [data-testid="import-kind"]').selectOption("bookings");
    await waitVisible(page, page.getByRole("heading", { name: "Import upcoming bookings" }), "the bookings import");
    await page.locator('import-screen [data-testid="import-file"]').setInputFiles({
      name: "bookings.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(
        `Client Email,Class Name,Class Date,Start Time\nlia.importada@example.com,${next!.name},${wall.year}-${pad(wall.month)}-${pad(wall.day)},${pad(wall.hour)}:${pad(wall.minute)}`,
      ),
    });
    await waitVisible(
      page,
      page.locator('import-screen [data-testid="import-summary"]').getByText(/1 row: 1 booking to make/),
      "the bookings dry run",
    );
    await screenshot(page, "admin-import-bookings", { docs: true, fullPage: true });
    await commit.click();
    await waitVisible(
      page,
      page.locator('import-screen [data-testid="import-done"]').getByText(/1 booking made/),
      "the bookings import's report",
    );
    expect(await em.fork().find(BookingEntity, { sessionId: next!.id, memberId: lia!.id })).toMatchObject([{ status: "booked" }]);
    await page.context().close();
  });
});
