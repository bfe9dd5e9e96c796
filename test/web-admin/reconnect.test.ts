/**
 * The staff app across a server restart: the banner says offline and actions are disabled while
 * the server is gone; when it is back (same port, same data) the app reconnects by itself,
 * re-syncs the roster, and shows a booking made meanwhile — no reload.
 */
import { rmSync } from "node:fs";
import { createServer as createNetServer } from "node:net";
import type { EntityManager } from "@mikro-orm/core";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../server/auth.js";
import { demoId } from "../../server/demo/seedDemo.js";
import { ensureBuilt, launchBrowser, openPage, screenshot, waitVisible } from "../support/browser.js";
import { makeTempDir, startTestServer, type TestServer } from "../support/services.js";
import { connectAs } from "../support/sockets.js";
import { aBooking, aMember, aSession } from "./adminFixtures.js";

let server: TestServer | undefined;
let browser: Browser | undefined;
const dataDir = makeTempDir("spotter-admin-reconnect-");
let port = 0;
const ids = { session: "", ivy: "", jon: "" };
let ownerToken = "";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

const start = () => startTestServer({ SEED_DEMO: "true", PORT: String(port), DATA_DIR: dataDir });

beforeAll(async () => {
  await ensureBuilt("web-admin");
  port = await freePort();
  server = await start();
  const em = () => server!.server.db.orm.em.fork() as unknown as EntityManager;
  const now = Date.now();
  ids.session = await aSession(em(), { className: "E2E Restart Class", startsInMinutes: 10, capacity: 6, now });
  ids.ivy = await aMember(em(), "Ivy Before", now);
  ids.jon = await aMember(em(), "Jon During", now);
  await aBooking(em(), ids.session, ids.ivy, now);
  ownerToken = await signToken(server.server.jwtSecret!, demoId("user:owner"));
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("staff app across a server restart", () => {
  it("goes offline with actions disabled, then reconnects by itself and shows what changed", async () => {
    const page = await openPage(browser!, `${server!.server.url}/admin/class/${ids.session}#token=${ownerToken}`);
    const ivyCheckIn = page.locator(`class-roster tr[data-member="${ids.ivy}"] button[data-action="checkIn"]`);
    await waitVisible(page, ivyCheckIn, "Ivy on the roster", 15_000);
    expect(await ivyCheckIn.isEnabled()).toBe(true);

    await server!.cleanup();
    await waitVisible(page, page.locator("offline-banner .bar").getByText("Offline — reconnecting…"), "offline banner");
    expect(await ivyCheckIn.isDisabled()).toBe(true);

    server = await start();
    const jon = await connectAs(server.server, ids.jon);
    const ack = await jon.command(`class:${ids.session}`, "class:book", { sessionId: ids.session });
    jon.close();
    expect(ack).toMatchObject({ ok: true });

    await waitVisible(page, page.locator(`class-roster tr[data-member="${ids.jon}"]`), "Jon's booking after the reconnect", 20_000);
    await expect.poll(() => page.locator("offline-banner .bar").count()).toBe(0);
    expect(await ivyCheckIn.isEnabled()).toBe(true);
    await screenshot(page, "admin-reconnected");
    await page.context().close();
  });
});
