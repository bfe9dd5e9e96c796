/**
 * Issue 22 in real Chromium with the server's clock under the test's control: the owner previews the segment "no
 * visit in 14 days" (of two tagged test members, the one who never came), the clock moves five days on and the
 * preview finds the second one too; the owner tags both in bulk (previewed count, confirmed), messages them (the
 * message reaches the member app's inbox) and saves the segment.
 */
import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/core";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../server/auth.js";
import { AttendanceEventEntity, GymMembershipEntity } from "../../server/db/entities/index.js";
import { DEMO_GYM_ID, demoId } from "../../server/demo/seedDemo.js";
import { ensureBuilt, launchBrowser, openPage, screenshot, waitVisible } from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/services.js";
import { aMember } from "./adminFixtures.js";

const DAY = 86_400_000;
const TAG = "e2e-segment";

let test: TestServer | undefined;
let browser: Browser | undefined;
let clock = Date.now();
let token = "";
const ids = { never: "", tenDaysAgo: "" };

beforeAll(async () => {
  await Promise.all([ensureBuilt("web-admin"), ensureBuilt("member-web")]);
  // Tokens good for a week: the server's clock moves five days on under the open page.
  test = await startTestServer({ SEED_DEMO: "true", MAX_TOKEN_LIFETIME: "7d" }, { now: () => clock });
  const em = test.server.db.orm.em.fork() as unknown as EntityManager;
  ids.never = await aMember(em, "Nina Nevercame", clock);
  ids.tenDaysAgo = await aMember(em, "Tariq Tendays", clock);
  await em.nativeUpdate(GymMembershipEntity, { gymId: DEMO_GYM_ID, userId: { $in: [ids.never, ids.tenDaysAgo] } }, { tags: [TAG] });
  await em.insert(AttendanceEventEntity, {
    id: randomUUID(),
    gymId: DEMO_GYM_ID,
    memberId: ids.tenDaysAgo,
    sessionId: null,
    at: clock - 10 * DAY,
  });
  token = await signToken(test.server.jwtSecret!, demoId("user:owner"), 6 * 86_400);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await test?.cleanup();
});

describe("segments", () => {
  it("finds the members with no visit in 14 days as time moves on, and tags them all after a confirmed preview", async () => {
    const page = await openPage(browser!, `${test!.server.url}/admin/segments#token=${token}`);
    const screen = page.locator("segments-screen");
    await waitVisible(page, screen.getByRole("heading", { name: "Who" }), "the segments screen", 15_000);
    await screen.getByLabel("No visit in the last").fill("14");
    await screen.getByLabel("Tagged (any of, comma-separated)").fill(TAG);
    await screen.getByRole("button", { name: "Preview" }).click();
    const count = screen.getByTestId("segment-count");
    await waitVisible(page, screen.locator(`tr[data-member="${ids.never}"]`), "the member who never came");
    expect(await count.innerText()).toBe("1");

    clock += 5 * DAY;
    await screen.getByRole("button", { name: "Preview" }).click();
    await waitVisible(page, screen.locator(`tr[data-member="${ids.tenDaysAgo}"]`), "the member whose last visit is now 15 days ago");
    expect(await count.innerText()).toBe("2");
    await screenshot(page, "admin-segments-preview", { docs: true });

    page.once("dialog", (d) => void d.accept());
    await screen.getByLabel("Tag", { exact: true }).fill("win-back");
    await screen.getByRole("button", { name: "Tag 2 members", exact: true }).click();
    await waitVisible(page, page.getByText("2 members tagged “win-back”."), "the bulk tag's outcome");

    page.once("dialog", (d) => void d.accept());
    await screen.getByRole("textbox", { name: "Message" }).fill("We miss you — open gym on Saturday");
    await screen.getByRole("button", { name: "Message 2 members", exact: true }).click();
    await waitVisible(page, page.getByText("Message sent to 2 members."), "the bulk message's outcome");
    const inbox = await openPage(
      browser!,
      `${test!.server.url}/#token=${await signToken(test!.server.jwtSecret!, ids.tenDaysAgo, 6 * 86_400)}`,
      { viewport: { width: 360, height: 740 } },
    );
    await waitVisible(inbox, inbox.getByTestId("unread").getByText("1"), "the member's inbox badge counting the message");
    await inbox.getByRole("link", { name: /Inbox/ }).click();
    await waitVisible(
      inbox,
      inbox.getByTestId("inbox-item").getByText("We miss you — open gym on Saturday"),
      "the message in the member's inbox",
    );
    await inbox.close();

    await screen.getByLabel("Name").fill("E2E at risk");
    await screen.getByRole("button", { name: "Save segment" }).click();
    await waitVisible(page, screen.getByRole("button", { name: "E2E at risk" }), "the saved segment in the list");
    const em = test!.server.db.orm.em.fork();
    const tagged = await em.find(GymMembershipEntity, { gymId: DEMO_GYM_ID, userId: { $in: [ids.never, ids.tenDaysAgo] } });
    expect(tagged.map((m) => m.tags)).toEqual([expect.arrayContaining(["win-back"]), expect.arrayContaining(["win-back"])]);
  });
});
