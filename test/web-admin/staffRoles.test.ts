/**
 * Issue 18 "People" for staff in real Chromium: an owner changes a coach's role on the Staff screen, then deactivates
 * them — asked first. The coach's open staff app follows each at once (no reload on their side): the new role, then
 * signed out. Both audited.
 */
import { describe, expect, it } from "vitest";
import { GymMembershipEntity } from "../../server/db/entities/index.js";
import { DEMO_GYM_ID, demoId } from "../../server/demo/seedDemo.js";
import { openPage, screenshot, waitVisible } from "../support/browser.js";
import { demoStaffApp } from "./demoStaffApp.js";

const app = demoStaffApp();
const url = app.url;

const membership = (userId: string) => app.server.db.orm.em.fork().findOneOrFail(GymMembershipEntity, { gymId: DEMO_GYM_ID, userId });

describe("the Staff screen", () => {
  it("changes a coach's role (their open app follows), then deactivates them: their open app is signed out at once", async () => {
    const coachId = demoId("user:coach2");
    const coach = await openPage(app.browser, await url("/", coachId));
    await waitVisible(coach, coach.getByRole("button", { name: /sign out/i }), "the coach's staff app", 15_000);

    const owner = await openPage(app.browser, await url("/staff", demoId("user:owner")));
    const role = owner.locator("staff-list").getByLabel("Role of Chris Kettle");
    await waitVisible(owner, role, "Chris Kettle on the Staff screen", 15_000);
    // A coach has no Leads screen; the front desk has.
    const leads = coach.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Leads" });
    expect(await leads.count()).toBe(0);
    await role.selectOption("front_desk");
    await waitVisible(owner, owner.getByText(/Chris Kettle is now front desk/), "the role change in words");
    expect(await membership(coachId)).toMatchObject({ role: "front_desk", status: "active" });
    // The coach's open app follows: the role beside their name, no reload on their side.
    await waitVisible(coach, leads, "the front desk's Leads link in the coach's app");
    expect(await coach.locator("admin-shell .who").innerText()).toContain("· Front desk");

    await owner.locator("staff-list").getByRole("button", { name: "Deactivate Chris Kettle" }).click();
    const dialog = owner.locator("staff-list confirm-dialog");
    await waitVisible(owner, dialog.getByText("Deactivate Chris Kettle?"), "the deactivation question");
    await screenshot(owner, "admin-staff-deactivate", { docs: true, dismissToasts: false });
    // Kept: nothing happens.
    await owner.keyboard.press("Escape");
    expect(await membership(coachId)).toMatchObject({ status: "active" });
    await owner.locator("staff-list").getByRole("button", { name: "Deactivate Chris Kettle" }).click();
    await dialog.getByRole("button", { name: "Deactivate" }).click();
    await waitVisible(owner, owner.getByText("Chris Kettle is deactivated and signed out everywhere."), "the deactivation in words");
    await waitVisible(coach, coach.getByRole("heading", { name: "Your session ended" }), "the coach's session-expired dialog");
    expect(await membership(coachId)).toMatchObject({ status: "cancelled" });

    const rows = await app.server.db.orm.em
      .fork()
      .getConnection()
      .execute<{ action: string }[]>(
        `select action from audit_log where entity_id = ? and action in ('gym:setMembership', 'gym:deactivateStaff') order by seq`,
        [coachId],
      );
    expect(rows.map((r: { action: string }) => r.action)).toEqual(["gym:setMembership", "gym:deactivateStaff"]);
  });
});
