/**
 * Issue 18 "Import", visit history, in real Chromium: an owner picks "Visit history", chooses another system's export
 * of who came to which class, reads the dry run's per-row error in words, chooses the corrected file, imports, and
 * choosing the same file again imports nothing (the visit is already recorded).
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wallClock } from "../../domain/schedule/timeZone.js";
import { signToken } from "../../server/auth.js";
import { BookingEntity, CheckInEntity } from "../../server/db/entities/index.js";
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

describe("importing visit history in the staff app", () => {
  it("shows the row error in words, imports the visit, and the same file again adds nothing", async () => {
    const em = test!.server.db.orm.em.fork();
    // A demo class that is over, and a demo member who wasn't in it: the file says they came.
    const [pick] = await em
      .getConnection()
      .execute<{ session_id: string; starts_at: Date; name: string; member_id: string; email: string }[]>(
        `select s.id as session_id, s.starts_at, t.name, u.id as member_id, u.email
         from class_session s join class_type t on t.id = s.class_type_id
         join gym_membership m on m.gym_id = s.gym_id and m.role = 'member' and m.status = 'active'
         join app_user u on u.id = m.user_id
        where s.gym_id = ? and s.status <> 'cancelled' and s.ends_at < now() - interval '1 hour'
          and not exists (select 1 from booking b where b.session_id = s.id and b.member_id = u.id)
        order by s.starts_at desc, u.email limit 1`,
        [DEMO_GYM_ID],
      );
    expect(pick).toBeDefined();
    const w = wallClock(new Date(pick!.starts_at).getTime(), "Europe/Berlin");
    const pad = (n: number) => String(n).padStart(2, "0");
    const date = `${w.year}-${pad(w.month)}-${pad(w.day)}`;
    const time = `${pad(w.hour)}:${pad(w.minute)}`;
    const file = (email: string) =>
      ["Client Email,Class Name,Class Date,Class Time,Status", `${email},${pick!.name},${date},${time},Attended`].join("\n");

    const page = await openPage(browser!, `${test!.server.url}/admin/members#token=${owner}`, { viewport: { width: 1280, height: 800 } });
    await page.getByRole("link", { name: /Import members/ }).click();
    await waitVisible(page, page.getByRole("heading", { name: "Import members" }), "the import screen", 15_000);
    await page.locator('import-screen [data-testid="import-kind"]').selectOption("visits");
    await waitVisible(page, page.getByRole("heading", { name: "Import visit history" }), "the visit history import");
    const choose = (csv: string) =>
      page
        .locator('import-screen [data-testid="import-file"]')
        .setInputFiles({ name: "visits.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });

    await choose(file("nobody@example.com"));
    await waitVisible(
      page,
      page
        .locator('import-screen [data-testid="import-errors"]')
        .getByText("Line 2 · Member email: No member with the email nobody@example.com — import your members first."),
      "the unknown member in words",
    );
    const commit = page.locator('import-screen [data-testid="import-commit"]');
    expect(await commit.isDisabled()).toBe(true);

    await choose(file(pick!.email));
    await waitVisible(
      page,
      page.locator('import-screen [data-testid="import-summary"]').getByText(/1 row: 1 visit and 0 no-shows to add, 0 already recorded/),
      "the clean dry run",
    );
    await screenshot(page, "admin-import-visits", { docs: true, fullPage: true });
    await commit.click();
    await waitVisible(
      page,
      page
        .locator('import-screen [data-testid="import-done"]')
        .getByText("1 visit and 0 no-shows added, 0 already recorded left as they were."),
      "the import's report",
    );
    expect(await em.fork().find(BookingEntity, { sessionId: pick!.session_id, memberId: pick!.member_id })).toMatchObject([
      { status: "checked_in" },
    ]);
    expect(await em.fork().count(CheckInEntity, { sessionId: pick!.session_id, memberId: pick!.member_id })).toBe(1);

    // The same file again: the visit is already recorded, nothing to import.
    await choose(file(pick!.email));
    await waitVisible(page, page.getByText("Every visit in this file is already recorded — nothing to import."), "the same file again");
    expect(await commit.isDisabled()).toBe(true);
    await page.context().close();
  });
});
