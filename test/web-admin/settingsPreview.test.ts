/**
 * Issue 18 "Settings" in the staff app, real Chromium: as the owner edits a setting, the screen says before saving which
 * classes the change reaches and how many (`gym:previewPolicy`) — fees every class not yet closed, the booking window
 * only classes scheduled from now on — and nothing is saved until they press Save.
 */
import { describe, expect, it } from "vitest";
import { GymEntity } from "../../server/db/entities/index.js";
import { DEMO_GYM_ID, demoId } from "../../server/demo/seedDemo.js";
import { openPage, screenshot, waitVisible } from "../support/browser.js";
import { demoStaffApp } from "./demoStaffApp.js";

const app = demoStaffApp();

describe("staff app: settings preview", () => {
  it("shows the scope and reach of each changed setting as the owner types, and saves only on Save", async () => {
    const page = await openPage(app.browser, await app.url("/settings", demoId("user:owner")), { viewport: { width: 1366, height: 1000 } });
    const form = page.getByRole("form", { name: "Gym settings" });
    await waitVisible(page, form, "the settings form", 15_000);
    const preview = form.getByRole("status", { name: "What this change does" });
    await waitVisible(
      page,
      preview.filter({ hasText: "Change a setting to see which classes it reaches" }),
      "the preview before any change",
    );
    const feeBefore = (await app.server.db.orm.em.fork().findOneOrFail(GymEntity, { id: DEMO_GYM_ID })).policy.lateCancelFeeCents;

    await form.getByLabel("Late-cancel fee (cents)").fill("777");
    const fee = preview.locator("li[data-setting=lateCancelFeeCents]");
    await waitVisible(page, fee, "the fee's preview");
    const [open] = await app.server.db.orm.em
      .fork()
      .getConnection()
      .execute<{ classes: string; bookings: string }[]>(
        `select count(distinct s.id) as classes, count(b.id) as bookings from class_session s
           left join booking b on b.session_id = s.id and b.status = 'booked'
          where s.gym_id = ? and s.status = 'scheduled'`,
        [DEMO_GYM_ID],
      );
    const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
    const reach = `${plural(Number(open!.classes), "class", "classes")}, ${plural(Number(open!.bookings), "booking", "bookings")}`;
    expect(await fee.innerText()).toMatch(/^Late-cancel fee: .+ → €7\.77\. Applies at once to every class not yet closed — /);
    expect(await fee.innerText()).toContain(`not yet closed — ${reach}; fees already charged keep their amount.`);

    await form.getByLabel("Booking opens (minutes before start)").fill("2880");
    const window = preview.locator("li[data-setting=bookingOpensMinutes]");
    await waitVisible(page, window, "the booking window's preview");
    expect(await window.innerText()).toMatch(
      /→ 2 days before start\. Applies to classes scheduled from now on\. The \d+ upcoming class(es)? already on the timetable \(\d+ bookings?\) keeps? .+ — edit a class to change it\./,
    );
    expect(await fee.isVisible(), "the fee's line stays while another setting changes").toBe(true);
    await screenshot(page, "admin-settings-preview", { docs: true });
    const policy = async () => (await app.server.db.orm.em.fork().findOneOrFail(GymEntity, { id: DEMO_GYM_ID })).policy;
    expect((await policy()).lateCancelFeeCents, "a preview saves nothing").toBe(feeBefore);

    await form.getByRole("button", { name: "Save settings" }).click();
    await waitVisible(page, page.locator("error-toast .toast").filter({ hasText: "Settings saved" }), "saved");
    expect(await policy()).toMatchObject({ lateCancelFeeCents: 777, bookingOpensMinutes: 2880 });
    await waitVisible(
      page,
      preview.filter({ hasText: "Change a setting to see which classes it reaches" }),
      "the preview cleared once saved",
    );
    await page.context().close();
  }, 90_000);
});
