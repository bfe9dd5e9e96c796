/**
 * Issue 18: reactivating a cancelled member onto another plan from the staff app in real Chromium. The dialog lists the
 * gym's current plans with their prices ("Keep the current plan" first); a plan archived meanwhile is refused in words
 * and nothing changes; the chosen plan then shows at once in the owner's other open tab of the profile (no reload).
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { GymMembershipEntity, UserEntity } from "../../server/db/entities/index.js";
import { demoId } from "../../server/demo/seedDemo.js";
import { openPage, screenshot, waitVisible } from "../support/browser.js";
import { demoStaffApp } from "./demoStaffApp.js";

const app = demoStaffApp();

const profile = (page: Page) => page.locator("member-profile");
const dialog = (page: Page) => page.locator("member-standing confirm-dialog");
const setArchived = (planId: string, archived: boolean) =>
  app.server.db.orm.em.fork().getConnection().execute(`update membership_plan set archived = ? where id = ?`, [archived, planId]);

describe("reactivating a membership onto another plan in the staff app", () => {
  it("picks a current plan with its price, refuses an archived one in words, and the other tab shows the new plan live", async () => {
    const memberId = demoId("user:member1"); // on Unlimited
    const member = await app.server.db.orm.em.fork().findOneOrFail(UserEntity, { id: memberId });
    const owner = await openPage(app.browser, await app.url(`/members/${memberId}`, demoId("user:owner")));
    // The plan is money: the front desk doesn't see it, so the live copy is the owner's second tab (another device).
    const other = await openPage(app.browser, await app.url(`/members/${memberId}`, demoId("user:owner")));
    await waitVisible(other, profile(other).getByText("Unlimited · aims for 4/week"), "the plan they had, in the other tab", 15_000);

    await profile(owner).getByRole("button", { name: "Cancel membership" }).click();
    await dialog(owner).getByRole("button", { name: "Cancel membership" }).click();
    await waitVisible(other, profile(other).getByTestId("member-status").getByText("cancelled"), "cancelled in the other tab");

    // The picker: the plan they had by default, then every current plan with its price; an archived one is not offered.
    await setArchived(demoId("plan:pack10"), true);
    await profile(owner).getByRole("button", { name: "Reactivate membership" }).click();
    const pick = dialog(owner).getByLabel("Plan");
    await waitVisible(owner, pick, "the plan picker");
    expect(await pick.locator("option").allTextContents()).toEqual([
      "Keep the current plan (Unlimited)",
      "3 classes a week · €89.00",
      "Unlimited · €129.00",
    ]);
    expect(await pick.inputValue()).toBe("");
    await owner.keyboard.press("Escape");
    await setArchived(demoId("plan:pack10"), false);

    // A plan archived while the dialog is open: refused in words, still cancelled on the old plan.
    await profile(owner).getByRole("button", { name: "Reactivate membership" }).click();
    await pick.selectOption({ label: "10-class pack · €150.00" });
    await setArchived(demoId("plan:pack10"), true);
    await dialog(owner).getByRole("button", { name: "Reactivate" }).click();
    await waitVisible(owner, owner.getByText(/This plan is archived — pick a current one/), "the refusal, in words");
    const refused = await app.server.db.orm.em.fork().findOneOrFail(GymMembershipEntity, { userId: memberId });
    expect(refused).toMatchObject({ status: "cancelled", planId: demoId("plan:unlimited") });

    // Onto "3 classes a week": active again, and the other tab's open profile shows the new plan without a reload.
    await owner.locator("error-toast").getByRole("button", { name: "Dismiss message" }).first().click();
    await profile(owner).getByRole("button", { name: "Reactivate membership" }).click();
    await pick.selectOption({ label: "3 classes a week · €89.00" });
    await screenshot(owner, "admin-reactivate-plan", { docs: true });
    await dialog(owner).getByRole("button", { name: "Reactivate" }).click();
    await waitVisible(owner, owner.getByText(`${member.name}'s membership is active again on 3 classes a week from today`), "the toast");
    await waitVisible(other, profile(other).getByText("3 classes a week · aims for 3/week"), "the new plan in the other tab");
    await waitVisible(other, profile(other).getByTestId("member-status").getByText("active"), "active in the other tab");
    const after = await app.server.db.orm.em.fork().findOneOrFail(GymMembershipEntity, { userId: memberId });
    expect(after).toMatchObject({ status: "active", planId: demoId("plan:3x") });
  }, 90_000);
});
