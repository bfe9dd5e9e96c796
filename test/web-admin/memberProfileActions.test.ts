/**
 * Issue 18 "People" on a member's profile in real Chromium: an owner edits a member's details, tags them, marks them
 * past due and settled, invites them to the app and cancels the membership — each seen at once by the front desk's
 * open copy of the same profile in another tab (no reload), each audited.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { UserEntity } from "../../server/db/entities/index.js";
import { demoId } from "../../server/demo/seedDemo.js";
import { openPage, screenshot, waitVisible } from "../support/browser.js";
import { demoStaffApp } from "./demoStaffApp.js";

const app = demoStaffApp();
const url = app.url;

const profile = (page: Page) => page.locator("member-profile");

async function auditActions(memberId: string): Promise<string[]> {
  const rows = await app.server.db.orm.em
    .fork()
    .getConnection()
    .execute<{ action: string }[]>(`select action from audit_log where entity_id = ? and action like 'gym:%' order by seq`, [memberId]);
  return rows.map((r: { action: string }) => r.action);
}

describe("a member's profile in the staff app", () => {
  it("edits, tags, marks past due and settled, invites, cancels and reactivates — the desk's open tab follows live", async () => {
    const memberId = demoId("user:member2");
    const member = await app.server.db.orm.em.fork().findOneOrFail(UserEntity, { id: memberId });
    const owner = await openPage(app.browser, await url(`/members/${memberId}`, demoId("user:owner")));
    const desk = await openPage(app.browser, await url(`/members/${memberId}`, demoId("user:desk")));
    await waitVisible(owner, profile(owner).getByRole("heading", { name: member.name }), "the owner's profile", 15_000);
    await waitVisible(desk, profile(desk).getByRole("heading", { name: member.name }), "the desk's profile", 15_000);
    // The front desk edits details and tags but not the standing: no such buttons there.
    await waitVisible(desk, profile(desk).getByRole("button", { name: "Edit details" }), "the desk's edit button");
    expect(await profile(desk).getByRole("button", { name: "Mark past due" }).count()).toBe(0);

    // Details: a new phone number and emergency contact, seen in the other tab without a reload.
    await profile(owner).getByRole("button", { name: "Edit details" }).click();
    const form = owner.locator("member-details-form");
    await form.getByLabel("Phone").fill("+49 170 5550123");
    await form.getByLabel("Emergency contact").fill("Sam, +49 170 5550999");
    await screenshot(owner, "admin-member-edit", { docs: true, fullPage: true });
    await form.getByRole("button", { name: "Save details" }).click();
    await waitVisible(owner, owner.getByText(`${member.name}'s details saved.`), "the saved toast");
    await waitVisible(desk, profile(desk).getByTestId("member-phone").getByText("+49 170 5550123"), "the new phone in the desk's tab");
    await waitVisible(desk, profile(desk).getByText("Sam, +49 170 5550999"), "the emergency contact in the desk's tab");

    // A refusal stays on the form in words.
    await profile(owner).getByRole("button", { name: "Edit details" }).click();
    await form.getByRole("button", { name: "Save details" }).click();
    await waitVisible(owner, form.getByRole("alert").getByText("Nothing changed."), "nothing changed, in words");
    await form.getByRole("button", { name: "Cancel" }).click();

    // A tag added here, removed from the desk's tab: both tabs follow.
    const tags = owner.locator("member-tags");
    await tags.getByLabel("New tag").fill("competition team");
    await tags.getByRole("button", { name: "Add tag" }).click();
    await waitVisible(desk, desk.locator('member-tags li[data-tag="competition team"]'), "the new tag in the desk's tab");
    await desk.locator("member-tags").getByRole("button", { name: "Remove tag competition team" }).click();
    await waitVisible(desk, desk.getByText(/Tag “competition team” removed/), "the removal toast");
    await owner.locator('member-tags li[data-tag="competition team"]').waitFor({ state: "detached", timeout: 10_000 });

    // Past due, asked first; then settled.
    await profile(owner).getByRole("button", { name: "Mark past due" }).click();
    await owner.locator("member-standing confirm-dialog").getByRole("button", { name: "Mark past due" }).click();
    await waitVisible(desk, profile(desk).getByTestId("member-status").getByText("past due"), "past due in the desk's tab");
    await screenshot(owner, "admin-member-standing", { docs: true, fullPage: true });
    await profile(owner).getByRole("button", { name: "Mark settled" }).click();
    await waitVisible(desk, profile(desk).getByTestId("member-status").getByText("active"), "settled in the desk's tab");

    // Never signed in: invited to the app through the invitation mail path.
    await profile(owner).getByRole("button", { name: "Invite to the app" }).click();
    await waitVisible(owner, owner.getByText(`Invitation sent to ${member.email}`), "the invitation toast");
    await waitVisible(owner, profile(owner).getByTestId("invited"), "the invited line");
    const mails = await app.server.db.orm.em
      .fork()
      .getConnection()
      .execute<{ n: string }[]>(`select count(*) as n from mail_outbox where to_address = ?`, [member.email]);
    expect(Number(mails[0]!.n)).toBe(1);

    // Cancelling is asked first; kept, nothing happens.
    await profile(owner).getByRole("button", { name: "Cancel membership" }).click();
    await owner.keyboard.press("Escape");
    await profile(owner).getByRole("button", { name: "Cancel membership" }).click();
    await owner.locator("member-standing confirm-dialog").getByRole("button", { name: "Cancel membership" }).click();
    await waitVisible(desk, profile(desk).getByTestId("member-status").getByText("cancelled"), "cancelled in the desk's tab");

    // Reactivated from the same profile, asked first: active again in the desk's tab without a reload.
    await profile(owner).getByRole("button", { name: "Reactivate membership" }).click();
    await waitVisible(
      owner,
      owner.locator("member-standing confirm-dialog").getByText(/with the plan and plan dates they had/),
      "the rule, before confirming",
    );
    await owner.locator("member-standing confirm-dialog").getByRole("button", { name: "Reactivate" }).click();
    await waitVisible(owner, owner.getByText(`${member.name}'s membership is active again.`), "the reactivated toast");
    await waitVisible(desk, profile(desk).getByTestId("member-status").getByText("active"), "active again in the desk's tab");
    expect(await profile(desk).getByRole("button", { name: "Reactivate membership" }).count()).toBe(0);

    const actions = await auditActions(memberId);
    expect(actions.filter((a) => a === "gym:updateMember")).toHaveLength(1);
    expect(actions.filter((a) => a === "gym:tagMember")).toHaveLength(2);
    expect(actions.filter((a) => a === "gym:setMembership")).toHaveLength(3);
    expect(actions.filter((a) => a === "gym:reactivateMember")).toHaveLength(1);
  }, 90_000);
});
