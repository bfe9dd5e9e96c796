/**
 * Notifications in the member app, in real Chromium against a real node (issue 20): the PWA's service worker
 * registers, a push delivered through the DevTools protocol (`ServiceWorker.deliverPushMessage`) shows a
 * notification that opens the class, and the inbox badge follows notices and reads live.
 */
import type { EntityManager } from "@mikro-orm/core";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../server/auth.js";
import { ensureBuilt, launchBrowser, openPage, waitVisible } from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/services.js";
import { connectAs } from "../support/sockets.js";
import { aMember, aSession } from "./memberFixtures.js";
import { openApp, screenshot, VIEWPORT } from "./memberPages.js";

let test: TestServer | undefined;
let browser: Browser | undefined;
let page: Page;
let memberId = "";
let sessionId = "";

beforeAll(async () => {
  await ensureBuilt("member-web");
  test = await startTestServer({ SEED_DEMO: "true" });
  const em = () => test!.server.db.orm.em.fork() as unknown as EntityManager;
  const now = Date.now();
  memberId = await aMember(em(), "Pia Push", now);
  sessionId = (await aSession(em(), { className: "E2E Push Class", startsInMinutes: 5 * 60, capacity: 4, now })).sessionId;
  browser = await launchBrowser();
  page = await openApp(browser, test.server.url, await signToken(test.server.jwtSecret!, memberId));
  await page.context().grantPermissions(["notifications"], { origin: test.server.url });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await test?.cleanup();
});

/** The app's service worker registration id, as the DevTools protocol names it. */
async function registrationId(p: Page): Promise<{ cdp: Awaited<ReturnType<ReturnType<Page["context"]>["newCDPSession"]>>; id: string }> {
  const cdp = await p.context().newCDPSession(p);
  const found = new Promise<string>((resolve) => {
    cdp.on(
      "ServiceWorker.workerRegistrationUpdated",
      (e: { registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] }) => {
        const mine = e.registrations.find((r) => !r.isDeleted && r.scopeURL === `${test!.server.url}/`);
        if (mine) resolve(mine.registrationId);
      },
    );
  });
  await cdp.send("ServiceWorker.enable");
  return { cdp, id: await found };
}

describe("notifications in the member app", () => {
  it("registers the service worker and serves the manifest (an installable app)", async () => {
    const script = await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL);
    expect(script).toBe(`${test!.server.url}/sw.js`);
    const manifest = await page.evaluate(async () =>
      (await fetch(document.querySelector<HTMLLinkElement>('link[rel="manifest"]')!.href)).json(),
    );
    expect(manifest).toMatchObject({ name: "Spotter", start_url: "/", display: "standalone" });
  });

  it("shows a pushed notice as a notification that opens the class", async () => {
    const { cdp, id } = await registrationId(page);
    const data = JSON.stringify({
      id: "n-1",
      kind: "promoted",
      title: "Spotter",
      body: "You're in: E2E Push Class",
      url: `/bookings?session=${sessionId}`,
      sessionId,
    });
    await cdp.send("ServiceWorker.deliverPushMessage", { origin: test!.server.url, registrationId: id, data });
    await expect
      .poll(
        () =>
          page.evaluate(async () =>
            (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({
              title: n.title,
              body: n.body,
              tag: n.tag,
              data: n.data as unknown,
            })),
          ),
        { timeout: 25_000 },
      )
      .toEqual([{ title: "Spotter", body: "You're in: E2E Push Class", tag: "n-1", data: { url: `/bookings?session=${sessionId}` } }]);
    // The same notice pushed again (at-least-once delivery) replaces its notification, never doubles it: once the
    // next notice shows (pushes are handled in order), there are two.
    await cdp.send("ServiceWorker.deliverPushMessage", { origin: test!.server.url, registrationId: id, data });
    await cdp.send("ServiceWorker.deliverPushMessage", {
      origin: test!.server.url,
      registrationId: id,
      data: JSON.stringify({ id: "n-2", title: "Spotter", body: "Next", url: "/" }),
    });
    await expect
      .poll(() => page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => n.tag).sort()), {
        timeout: 25_000,
      })
      .toEqual(["n-1", "n-2"]);
  });

  it("opens the class a notice is about: the URL a notification click navigates to marks its line", async () => {
    const member = await connectAs(test!.server, memberId);
    expect(await member.command(`class:${sessionId}`, "class:book", { sessionId })).toMatchObject({ ok: true });
    member.close();
    // A click with no window of the app open opens this URL (the test signs the new window in with a token link).
    const opened = await openPage(
      browser!,
      `${test!.server.url}/bookings?session=${sessionId}#token=${await signToken(test!.server.jwtSecret!, memberId)}`,
      { viewport: VIEWPORT },
    );
    await waitVisible(
      opened,
      opened.locator(`member-bookings li[data-session="${sessionId}"][aria-current="true"]`).getByText("E2E Push Class"),
      "the class line, marked",
    );
    await opened.context().close();
  });

  it("counts a new notice on the inbox badge at once, and clears it when read", async () => {
    await waitVisible(page, page.getByRole("link", { name: /Inbox/ }), "the Inbox section");
    await test!.server.notices.notify([memberId], { kind: "message", text: "Open gym is closed on Monday", gymId: null });
    await waitVisible(page, page.getByTestId("unread").getByText("1"), "the badge counting 1");
    await page.getByRole("link", { name: /Inbox/ }).click();
    await waitVisible(page, page.getByTestId("inbox-item").getByText("Open gym is closed on Monday"), "the notice in the inbox");
    await screenshot(page, "inbox");
    await page.getByTestId("read-all").click();
    await expect.poll(() => page.getByTestId("unread").count()).toBe(0);
  });

  it("sets quiet hours in the member's own time zone, and turns them off", async () => {
    const form = page.getByTestId("quiet-hours");
    await waitVisible(page, form, "the quiet hours form");
    await form.getByLabel("From").fill("21:30");
    await form.getByLabel("Until").fill("06:45");
    await form.getByRole("button", { name: "Turn on" }).click();
    await waitVisible(page, page.getByText("Quiet from 21:30 until 06:45."), "the saved quiet hours");
    const sql = async () =>
      (await test!.server.db.orm.em
        .fork()
        .getConnection()
        .execute(`select start_minute, end_minute, time_zone from notice_quiet_hours where user_id = ?`, [memberId])) as unknown[];
    const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(await sql()).toEqual([{ start_minute: 21 * 60 + 30, end_minute: 6 * 60 + 45, time_zone: zone }]);
    await form.getByRole("button", { name: "Turn off" }).click();
    await waitVisible(page, page.getByText("Quiet hours are off."), "quiet hours off");
    expect(await sql()).toEqual([]);
  });
});
