/**
 * An owner signs a coach out of every device from the coach's profile, in Chromium: the coach's open staff app turns
 * to "Your session ended" (the screen stays underneath), the action is in the audit trail, and the front desk, who
 * may open profiles, gets no such button.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../server/auth.js";
import { demoId } from "../../server/demo/seedDemo.js";
import { ensureBuilt, launchBrowser, openPage, waitVisible } from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/services.js";

let t: TestServer | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  await ensureBuilt("web-admin");
  t = await startTestServer({ SEED_DEMO: "true" });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.cleanup();
});

const url = async (path: string, userId: string) =>
  `${t!.server.url}/admin${path}#token=${await signToken(t!.server.jwtSecret!, userId, 900)}`;

describe("ending a staff member's sessions from the staff app", () => {
  it("signs the coach out of every device: their open app asks them to sign in again", async () => {
    const coachId = demoId("user:coach1");
    const coach = await openPage(browser!, await url("/", coachId));
    await waitVisible(coach, coach.getByRole("button", { name: /sign out/i }), "the coach's staff app", 15_000);

    const desk = await openPage(browser!, await url(`/members/${coachId}`, demoId("user:desk")));
    await waitVisible(desk, desk.locator("member-profile").getByText("Coach", { exact: true }), "the coach's profile for the desk", 15_000);
    expect(await desk.getByRole("button", { name: /out of every device/ }).count()).toBe(0);

    const owner = await openPage(browser!, await url(`/members/${coachId}`, demoId("user:owner")));
    const end = owner.getByRole("button", { name: /out of every device/ });
    await waitVisible(owner, end, "the sign-out button on the coach's profile", 15_000);
    await end.click();
    await owner.getByRole("button", { name: "Sign out everywhere" }).click();
    await waitVisible(owner, owner.getByText(/is signed out of every device/), "the confirmation");
    await waitVisible(coach, coach.getByRole("heading", { name: "Your session ended" }), "the coach's session-expired dialog");
    const rows = await t!.server.db.orm.em
      .fork()
      .getConnection()
      .execute(`select actor_id from audit_log where action = 'gym:endStaffSessions' and entity_id = ?`, [coachId]);
    expect(rows).toEqual([{ actor_id: demoId("user:owner") }]);
  });
});
