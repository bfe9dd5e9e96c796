/**
 * The front desk keeps checking people in when the server or the network is down (issue 21), in real Chromium:
 * by code and by name, provisional ✔ on the device, the queue kept across a reload while offline, and on the way
 * back every check-in stored exactly once as `offline_desk`; a member frozen meanwhile lands in "needs attention".
 * Once with the server stopped mid-session, once with the network cut by CDP offline emulation.
 */
import { rmSync } from "node:fs";
import type { EntityManager } from "@mikro-orm/core";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeskSnapshot } from "../../domain/checkin/deskSnapshot.js";
import { CheckInEntity } from "../../server/db/entities/index.js";
import { DEMO_GYM_ID, demoId } from "../../server/demo/seedDemo.js";
import { ensureBuilt, launchBrowser, screenshot, signedInPage, waitVisible } from "../support/browser.js";
import { makeTempDir, startTestServer, type TestServer } from "../support/services.js";
import { connectAs } from "../support/sockets.js";
import { freePort } from "../support/cluster.js";
import { aBooking, aMember, aSession } from "./adminFixtures.js";

let server: TestServer | undefined;
let browser: Browser | undefined;
const dataDir = makeTempDir("spotter-offline-desk-");
let port = 0;
const people: Record<string, string> = {};
let sessionId = "";
const SHELL_CACHE = "spotter-admin-shell-v1";

const start = () => startTestServer({ SEED_DEMO: "true", PORT: String(port), DATA_DIR: dataDir });
const em = () => server!.server.db.orm.em.fork() as unknown as EntityManager;

beforeAll(async () => {
  await ensureBuilt("web-admin");
  port = await freePort();
  server = await start();
  const now = Date.now();
  sessionId = await aSession(em(), { className: "E2E Offline Class", startsInMinutes: 10, capacity: 12, now });
  for (const name of ["Ann Offcode", "Ben Offname", "Cleo Offreload", "Dan Cdpcode", "Eve Cdpname", "Fay Cdpfrozen"]) {
    people[name] = await aMember(em(), name, now);
    await aBooking(em(), sessionId, people[name]!, now);
  }
  for (const name of ["Gus Livefreeze", "Hal Livebook"]) people[name] = await aMember(em(), name, now);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The desk, signed in as the owner with a real refresh cookie (a reload offline must find the desk again, and sign in when back). */
async function openDesk(userId = demoId("user:owner")): Promise<Page> {
  const page = await signedInPage(browser!, server!.server, userId);
  await page.goto(`${server!.server.url}/admin/desk`);
  await waitVisible(page, page.locator("p[data-saved]:not([data-saved='0'])"), "the desk's saved snapshot", 20_000);
  // The app shell is in the service worker's cache before the line drops.
  const shellReady = () =>
    page.evaluate(
      async (name) => (await (await caches.open(name)).keys()).length > 1 && navigator.serviceWorker.controller !== null,
      SHELL_CACHE,
    );
  await expect.poll(shellReady, { timeout: 15_000 }).toBe(true);
  return page;
}

async function codeOf(memberId: string): Promise<string> {
  const s = await connectAs(server!.server, memberId);
  const ack = (await s.command(`user:${memberId}`, "user:checkInCode", {})) as { ok: true; result: { code: string } };
  s.close();
  return ack.result.code;
}

const banner = (page: Page, text: string | RegExp) => page.locator("desk-screen p[data-banner]").getByText(text);
const provisionalYes = (page: Page) => page.locator("desk-result .box.accepted[data-provisional='yes']");

async function scan(page: Page, code: string): Promise<void> {
  await page.locator("desk-screen #scan").fill(code);
  await page.locator("desk-screen #scan").press("Enter");
  await waitVisible(page, provisionalYes(page), "a provisional ✔ for the scanned code");
}

async function byName(page: Page, name: string): Promise<void> {
  await page.getByRole("combobox", { name: "Find member" }).fill(name.split(" ")[1]!);
  await page.locator(`member-search li[data-member="${people[name]}"]`).click();
  await waitVisible(page, page.locator("desk-result .box.accepted[data-provisional='yes']").getByText(name), `a provisional ✔ for ${name}`);
}

async function storedFor(memberId: string) {
  return server!.server.db.orm.em.fork().find(CheckInEntity, { gymId: DEMO_GYM_ID, memberId });
}

describe("the front desk offline", () => {
  it("keeps checking in with the server stopped, across a reload, and stores each check-in once when it is back", async () => {
    const page = await openDesk();
    const annCode = await codeOf(people["Ann Offcode"]!);

    await server!.cleanup();
    await waitVisible(page, banner(page, "Offline — 0 check-ins saved on this device, will send when back"), "the offline banner", 20_000);
    await scan(page, annCode);
    await byName(page, "Ben Offname");
    await waitVisible(page, banner(page, "Offline — 2 check-ins saved on this device, will send when back"), "two saved");
    await screenshot(page, "admin-desk-offline", { docs: true });

    // From the reload on (routes apply to pages loaded after them), the desk's check-ins are held on their way to the
    // server until the "Sending" banner has been seen.
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      const upstream = ws.connectToServer();
      ws.onMessage(
        (m) => void (typeof m === "string" && m.includes('"gym:checkIn"') ? held : Promise.resolve()).then(() => upstream.send(m)),
      );
      upstream.onMessage((m) => ws.send(m));
    });
    await page.reload();
    await waitVisible(
      page,
      banner(page, "Offline — 2 check-ins saved on this device, will send when back"),
      "the queue after a reload offline",
      20_000,
    );
    await byName(page, "Cleo Offreload");
    await waitVisible(page, banner(page, "Offline — 3 check-ins saved on this device, will send when back"), "three saved");

    server = await start();
    await waitVisible(page, banner(page, "Sending 3…"), "sending", 30_000);
    await screenshot(page, "admin-desk-sending", { docs: true });
    release();
    await waitVisible(page, banner(page, "All sent; 0 needs attention"), "all sent", 30_000);
    for (const name of ["Ann Offcode", "Ben Offname", "Cleo Offreload"]) {
      const rows = await storedFor(people[name]!);
      expect(rows, name).toHaveLength(1);
      expect(rows[0], name).toMatchObject({ source: "offline_desk", result: "accepted", sessionId });
      expect(rows[0]!.deviceAt, name).toBeLessThanOrEqual(rows[0]!.receivedAt!);
    }
    await page.context().close();
  }, 150_000);

  it("keeps checking in with the network cut (CDP), and lists a member frozen meanwhile under needs attention", async () => {
    const page = await openDesk();
    const danCode = await codeOf(people["Dan Cdpcode"]!);
    const cdp = await page.context().newCDPSession(page);
    const network = (offline: boolean) =>
      cdp.send("Network.emulateNetworkConditions", { offline, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

    await network(true);
    await waitVisible(page, banner(page, /^Offline — 0 check-ins saved/), "the offline banner", 20_000);
    // Staff elsewhere freeze Fay while this desk is cut off.
    const owner = await connectAs(server!.server, demoId("user:owner"));
    const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    expect(
      await owner.command(`gym:${DEMO_GYM_ID}`, "gym:freezeMember", { memberId: people["Fay Cdpfrozen"], until, reason: "Travelling" }),
    ).toMatchObject({ ok: true });
    owner.close();

    await scan(page, danCode);
    await byName(page, "Eve Cdpname");
    await byName(page, "Fay Cdpfrozen"); // the desk still has her as active: provisional ✔
    await page.reload();
    await waitVisible(
      page,
      banner(page, "Offline — 3 check-ins saved on this device, will send when back"),
      "the queue after a reload offline",
      20_000,
    );

    await network(false);
    await waitVisible(page, banner(page, "All sent; 1 needs attention"), "all sent, one to look at", 30_000);
    await waitVisible(
      page,
      page.locator(`desk-screen li[data-attention]`).getByText(/Fay Cdpfrozen.*Membership frozen/),
      "Fay under needs attention",
    );
    await screenshot(page, "admin-desk-needs-attention", { docs: true });
    for (const name of ["Dan Cdpcode", "Eve Cdpname"]) {
      const rows = await storedFor(people[name]!);
      expect(rows, name).toHaveLength(1);
      expect(rows[0], name).toMatchObject({ source: "offline_desk", result: "accepted" });
    }
    expect(await storedFor(people["Fay Cdpfrozen"]!)).toEqual([
      expect.objectContaining({ source: "offline_desk", result: "denied", reason: "MEMBERSHIP_FROZEN" }),
    ]);
    await page.context().close();
  }, 150_000);
});

/** The snapshot the desk keeps on this device (IndexedDB `spotter-desk`). */
function savedSnapshot(page: Page): Promise<DeskSnapshot | undefined> {
  return page.evaluate(
    (gymId) =>
      new Promise<DeskSnapshot | undefined>((resolve, reject) => {
        const open = indexedDB.open("spotter-desk");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const get = db.transaction("snapshot", "readonly").objectStore("snapshot").get(gymId);
          get.onsuccess = () => (db.close(), resolve(get.result as DeskSnapshot | undefined));
          get.onerror = () => reject(get.error);
        };
      }),
    DEMO_GYM_ID,
  );
}

describe("the desk's saved snapshot while online", () => {
  it("is patched by the live deltas: a freeze and a booking made elsewhere reach the device without a re-fetch", async () => {
    const page = await openDesk();
    const gus = people["Gus Livefreeze"]!;
    const hal = people["Hal Livebook"]!;
    const before = (await savedSnapshot(page))!;
    expect(before.members.find((m) => m.memberId === gus)).toMatchObject({ status: "active" });
    const owner = await connectAs(server!.server, demoId("user:owner"));
    const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    expect(await owner.command(`gym:${DEMO_GYM_ID}`, "gym:freezeMember", { memberId: gus, until, reason: "Injury" })).toMatchObject({
      ok: true,
    });
    owner.close();
    const member = await connectAs(server!.server, hal);
    expect(await member.command(`class:${sessionId}`, "class:book", { sessionId })).toMatchObject({ ok: true });
    member.close();
    const patched = async () => {
      const s = await savedSnapshot(page);
      const frozen = s?.members.find((m) => m.memberId === gus)?.status === "frozen";
      const booked =
        s?.sessions.find((x) => x.sessionId === sessionId)?.roster.some((r) => r.memberId === hal && r.status === "booked") === true;
      return { frozen, booked, takenAt: s?.takenAt };
    };
    // Same takenAt: patched in place from the deltas, not fetched again.
    await expect.poll(patched, { timeout: 15_000 }).toEqual({ frozen: true, booked: true, takenAt: before.takenAt });
    await page.context().close();
  }, 60_000);
});

/** How many records the desk keeps on this device (IndexedDB `spotter-desk`), all stores together. */
function keptOnDevice(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open("spotter-desk");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const names = [...db.objectStoreNames];
          if (names.length === 0) return resolve(0);
          const tx = db.transaction(names, "readonly");
          let total = 0;
          for (const n of names) tx.objectStore(n).count().onsuccess = (e) => (total += (e.target as IDBRequest<number>).result);
          tx.oncomplete = () => (db.close(), resolve(total));
        };
      }),
  );
}

describe("the members' data on the desk device", () => {
  it("is wiped when the desk signs out", async () => {
    const page = await openDesk();
    expect(await keptOnDevice(page)).toBeGreaterThan(0);
    await page.locator("desk-screen button[data-action='signOut']").click();
    await waitVisible(page, page.getByRole("heading", { name: "Spotter staff sign-in" }), "the sign-in screen");
    await expect.poll(() => keptOnDevice(page)).toBe(0);
    await page.context().close();
  }, 60_000);

  it("is wiped when the desk's staff access is revoked", async () => {
    const deskUser = demoId("user:desk");
    const page = await openDesk(deskUser);
    expect(await keptOnDevice(page)).toBeGreaterThan(0);
    const owner = await connectAs(server!.server, demoId("user:owner"));
    expect(await owner.command(`gym:${DEMO_GYM_ID}`, "gym:setMembership", { memberId: deskUser, status: "cancelled" })).toMatchObject({
      ok: true,
    });
    owner.close();
    await expect.poll(() => keptOnDevice(page), { timeout: 15_000 }).toBe(0);
    await page.context().close();
  }, 60_000);
});
