/**
 * An owner signs a coach out of every device from the coach's profile, in Chromium: the coach's open staff app turns
 * to "Your session ended" (the screen stays underneath), the action is in the audit trail, and the front desk, who
 * may open profiles, gets no such button.
 */
import { describe, expect, it } from "vitest";
import { demoId } from "../../server/demo/seedDemo.js";
import { openPage, waitVisible } from "../support/browser.js";
import { demoStaffApp } from "./demoStaffApp.js";

const app = demoStaffApp();
const url = app.url;

describe("ending a staff member's sessions from the staff app", () => {
  it("signs the coach out of every device: their open app asks them to sign in again", async () => {
    const coachId = demoId("user:coach1");
    const coach = await openPage(app.browser, await url("/", coachId));
    await waitVisible(coach, coach.getByRole("button", { name: /sign out/i }), "the coach's staff app", 15_000);

    const desk = await openPage(app.browser, await url(`/members/${coachId}`, demoId("user:desk")));
    await waitVisible(desk, desk.locator("member-profile").getByText("Coach", { exact: true }), "the coach's profile for the desk", 15_000);
    expect(await desk.getByRole("button", { name: /out of every device/ }).count()).toBe(0);

    const owner = await openPage(app.browser, await url(`/members/${coachId}`, demoId("user:owner")));
    const end = owner.getByRole("button", { name: /out of every device/ });
    await waitVisible(owner, end, "the sign-out button on the coach's profile", 15_000);
    await end.click();
    await owner.getByRole("button", { name: "Sign out everywhere" }).click();
    await waitVisible(owner, owner.getByText(/is signed out of every device/), "the confirmation");
    await waitVisible(coach, coach.getByRole("heading", { name: "Your session ended" }), "the coach's session-expired dialog");
    const rows = await app.server.db.orm.em
      .fork()
      .getConnection()
      .execute(`select actor_id from audit_log where action = 'gym:endStaffSessions' and entity_id = ?`, [coachId]);
    expect(rows).toEqual([{ actor_id: demoId("user:owner") }]);
  });
});
