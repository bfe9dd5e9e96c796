/**
 * The protocol version in real Chromium, at the front desk: the server (its `server:hello` rewritten on the way) states
 * another version than the app was built for. One it still serves: the large "Spotter was updated" banner shows and
 * the desk works on. One it cannot serve: the banner shows, the app closes its socket instead of misreading frames and
 * the desk decides check-ins on the device; the banner's Reload keeps the queue, which is sent once the app matches.
 */
import { rmSync } from "node:fs";
import type { EntityManager } from "@mikro-orm/core";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CheckInEntity } from "../../server/db/entities/index.js";
import { DEMO_GYM_ID, demoId } from "../../server/demo/seedDemo.js";
import { PROTOCOL_VERSION } from "../../domain/protocol/version.js";
import { ensureBuilt, launchBrowser, screenshot, signedInPage, waitVisible } from "../support/browser.js";
import { makeTempDir, startTestServer, type TestServer } from "../support/services.js";
import { freePort } from "../support/cluster.js";
import { aBooking, aMember, aSession } from "./adminFixtures.js";

let server: TestServer | undefined;
let browser: Browser | undefined;
const dataDir = makeTempDir("spotter-protocol-update-");
let memberId = "";
let sessionId = "";

const em = () => server!.server.db.orm.em.fork() as unknown as EntityManager;

beforeAll(async () => {
  await ensureBuilt("web-admin");
  server = await startTestServer({ SEED_DEMO: "true", PORT: String(await freePort()), DATA_DIR: dataDir });
  const now = Date.now();
  sessionId = await aSession(em(), { className: "E2E Update Class", startsInMinutes: 10, capacity: 6, now });
  memberId = await aMember(em(), "Una Updated", now);
  await aBooking(em(), sessionId, memberId, now);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

/** What the "server" states from now on: the real hello, or one rewritten to another version. */
let states: { protocol: number; oldest: number } | null = null;
let hellos = 0;

async function openDesk(): Promise<Page> {
  const page = await signedInPage(browser!, server!.server, demoId("user:owner"));
  const hello = `"server:hello",{"protocol":${PROTOCOL_VERSION},"oldest":`;
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    const upstream = ws.connectToServer();
    ws.onMessage((m) => upstream.send(m));
    upstream.onMessage((m) => {
      if (typeof m === "string" && m.includes(hello)) {
        hellos++;
        if (states)
          m = m.replace(
            /"server:hello",\{"protocol":\d+,"oldest":\d+/,
            `"server:hello",{"protocol":${states.protocol},"oldest":${states.oldest}`,
          );
      }
      ws.send(m);
    });
  });
  await page.goto(`${server!.server.url}/admin/desk`);
  return page;
}

const updated = (page: Page) =>
  page.locator("offline-banner .bar[data-status='stale']").getByText("Spotter was updated — reload to continue");
const deskBanner = (page: Page, text: string | RegExp) => page.locator("desk-screen p[data-banner]").getByText(text);

describe("the staff app when the server speaks another protocol version", () => {
  it("says so in a large banner, keeps the desk working, and keeps its offline queue across the reload", async () => {
    // A newer server that still serves this app: the banner, and the desk fetches its snapshot as ever.
    states = { protocol: PROTOCOL_VERSION + 1, oldest: PROTOCOL_VERSION };
    const page = await openDesk();
    await waitVisible(page, updated(page), "the update banner (served)", 20_000);
    await waitVisible(page, page.locator("p[data-saved]:not([data-saved='0'])"), "the desk's saved snapshot", 20_000);
    const size = await updated(page).evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(size).toBeGreaterThanOrEqual(20); // readable across the desk
    expect(await page.locator("offline-banner .bar").count()).toBe(1); // not also "Offline"
    await waitVisible(page, page.getByRole("button", { name: "Reload" }), "the Reload button");

    // The server moves past this app: on the next connection the app closes its socket and the desk works offline.
    states = { protocol: PROTOCOL_VERSION + 1, oldest: PROTOCOL_VERSION + 1 };
    const before = hellos;
    await page.evaluate(() => window.dispatchEvent(new Event("offline"))); // the desk drops its socket; Socket.IO reconnects
    await expect.poll(() => hellos, { timeout: 20_000 }).toBeGreaterThan(before);
    await waitVisible(
      page,
      deskBanner(page, "Offline — 0 check-ins saved on this device, will send when back"),
      "the desk offline",
      20_000,
    );
    await page.getByRole("combobox", { name: "Find member" }).fill("Updated");
    await page.locator(`member-search li[data-member="${memberId}"]`).click();
    await waitVisible(page, page.locator("desk-result .box.accepted[data-provisional='yes']").getByText("Una Updated"), "a provisional ✔");
    await waitVisible(page, deskBanner(page, "Offline — 1 check-in saved on this device, will send when back"), "one saved");
    expect(await updated(page).isVisible()).toBe(true);
    const after = hellos;
    expect(await storedFor(memberId)).toEqual([]); // nothing was sent to a server the app cannot read
    await screenshot(page, "admin-protocol-update");

    // The reload loads the app the server now serves: the queue is still on the device and goes out once.
    states = null;
    await page.getByRole("button", { name: "Reload" }).click();
    await waitVisible(page, deskBanner(page, "All sent; 0 needs attention"), "the queue sent after the reload", 30_000);
    expect(hellos).toBeGreaterThan(after);
    expect(await page.locator("offline-banner .bar").count()).toBe(0);
    const rows = await storedFor(memberId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ source: "offline_desk", result: "accepted", sessionId });
    await page.context().close();
  }, 150_000);
});

async function storedFor(member: string) {
  return server!.server.db.orm.em.fork().find(CheckInEntity, { gymId: DEMO_GYM_ID, memberId: member });
}
