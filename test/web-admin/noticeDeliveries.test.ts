/**
 * The staff screen's notification log in real Chromium (issue 20): an owner sees, per notice, whom it was for and
 * each channel's state — a push retrying with why, an in-app-only notice — and pages to older ones.
 */
import { randomUUID } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../server/auth.js";
import { demoId } from "../../server/demo/demoIds.js";
import { ensureBuilt, launchBrowser, openPage, waitVisible } from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/services.js";
import { eventually } from "../support/sockets.js";

let test: TestServer | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  await ensureBuilt("web-admin");
  test = await startTestServer({ SEED_DEMO: "true" });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await test?.cleanup();
});

describe("notification delivery log", () => {
  it("shows each notice's recipient and per-channel state with the reason, and pages to older ones", async () => {
    const t = test!.server;
    const sql = async <T>(q: string, p: unknown[] = []) => (await t.db.orm.em.fork().getConnection().execute(q, p)) as T[];
    const ownerId = demoId("user:owner");
    const member = demoId("user:member1");
    const [{ gym_id: gymId }] = await sql<{ gym_id: string }>(`select gym_id from gym_membership where user_id = ? limit 1`, [ownerId]);
    for (let i = 0; i < 21; i++) await t.notices.notify([member], { kind: "social", text: `Old kudos ${i}`, gymId });
    await sql(`update notice set at = at - interval '1 hour' where user_id = ? and kind = 'social'`, [member]);
    // A device whose push service refuses connections: the push is retried, and staff see why.
    await sql(
      `insert into push_subscription (id, user_id, session_id, endpoint, p256dh, auth, created_at) values (?, ?, null, 'http://127.0.0.1:9/push', ?, ?, now())`,
      [randomUUID(), member, `B${"A".repeat(86)}`, "A".repeat(22)],
    );
    const [n] = await t.notices.notify([member], { kind: "promoted", text: "You're in", gymId });
    await eventually(
      async () =>
        expect(await sql(`select status from notice_delivery where notice_id = ? and channel = 'push'`, [n!.id])).toEqual([
          { status: "retrying" },
        ]),
      15_000,
    );

    const page = await openPage(browser!, `${t.url}/admin/staff#token=${await signToken(t.jwtSecret!, ownerId)}`);
    const row = page.locator(`notice-deliveries tr[data-notice="${n!.id}"]`);
    await waitVisible(page, row, "the promotion's row");
    await expect.poll(() => row.innerText()).toMatch(/Off the waitlist[\s\S]*Email: Sent[\s\S]*Push: Retrying[\s\S]*Next try/);
    const [{ last_error: why }] = await sql<{ last_error: string }>(
      `select last_error from notice_delivery where notice_id = ? and channel = 'push'`,
      [n!.id],
    );
    expect(why.length).toBeGreaterThan(0);
    expect(await row.innerText()).toContain(why);
    expect(await row.innerText()).not.toContain("You're in");
    const rows = page.locator("notice-deliveries tbody tr");
    expect(await rows.count()).toBe(20);
    await page.getByRole("button", { name: "Older notifications" }).click();
    await expect.poll(() => rows.count()).toBe(22);
    await expect
      .poll(() => page.locator("notice-deliveries tbody tr").last().innerText())
      .toMatch(/Kudos \/ comment[\s\S]*In the app only/);
    await page.context().close();
  });
});
