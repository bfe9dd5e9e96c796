/**
 * The member app in real chromium (360×740) against a real Spotter node with the demo gym:
 * live capacity across members, waitlist promotion notices, the late-cancel confirmation, every screen.
 */
import type { EntityManager } from "@mikro-orm/core";
import type { Browser, Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../server/auth.js";
import { startTestServer, type TestServer } from "../support/services.js";
import { launchChromium } from "./chromium.js";
import { aMember, aSession, storedBookings } from "./memberFixtures.js";
import { card, openApp, screenshot, waitVisible } from "./memberPages.js";

const LAST_SPOT = "E2E Last Spot";
const LATE = "E2E Late Cancel";

let test: TestServer | undefined;
let browser: Browser | undefined;
let em: () => EntityManager;
let a: Page;
let b: Page;
const ids = { alex: "", bea: "", lastSpot: "", late: "" };
const tokens = { alex: "", bea: "" };

beforeAll(async () => {
  await build({ configFile: "member-web/vite.config.ts", logLevel: "warn" });
  test = await startTestServer({ SEED_DEMO: "true" });
  em = () => test!.server.db.orm.em.fork() as unknown as EntityManager;
  const now = Date.now();
  ids.alex = await aMember(em(), "Alex Able", now);
  ids.bea = await aMember(em(), "Bea Berg", now);
  ids.lastSpot = (await aSession(em(), { className: LAST_SPOT, startsInMinutes: 5 * 60, capacity: 1, now })).sessionId;
  ids.late = (await aSession(em(), { className: LATE, startsInMinutes: 60, capacity: 4, now })).sessionId;
  const secret = test.server.jwtSecret;
  if (!secret) throw new Error("the test server verifies tokens with no local secret");
  tokens.alex = await signToken(secret, ids.alex);
  tokens.bea = await signToken(secret, ids.bea);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await test?.cleanup();
});

describe("member app", () => {
  it("shows the sign-in screen without a token", async () => {
    const page = await openApp(browser!, test!.server.url, null);
    await waitVisible(page, page.getByRole("heading", { name: "Sign in to Spotter" }), "sign-in screen");
    await screenshot(page, "sign-in");
    await page.context().close();
  });

  it("shows member B 'Full' within 1 s of member A booking the last spot", async () => {
    [a, b] = await Promise.all([openApp(browser!, test!.server.url, tokens.alex), openApp(browser!, test!.server.url, tokens.bea)]);
    for (const page of [a, b]) await waitVisible(page, card(page, LAST_SPOT).getByText("1 spot left"), `${LAST_SPOT} with 1 spot left`, 15_000);
    expect(a.url()).not.toContain("token=");
    await screenshot(b, "schedule");

    const started = performance.now();
    await card(a, LAST_SPOT).getByRole("button", { name: /^Book / }).click();
    await waitVisible(b, card(b, LAST_SPOT).getByText(/^Full/), "B sees Full", 1_000);
    const ms = performance.now() - started;
    console.info(`[member-web] B saw "Full" ${ms.toFixed(0)} ms after A tapped Book`);
    expect(ms).toBeLessThan(1_000);
    await waitVisible(a, card(a, LAST_SPOT).getByText("Booked"), "A's card says Booked");
  });

  it("moves B from the waitlist into the class when A cancels, and tells B within 1 s", async () => {
    await card(b, LAST_SPOT).getByRole("button", { name: /^Join the waitlist/ }).click();
    await waitVisible(b, card(b, LAST_SPOT).getByText("Waitlist #1"), "B's waitlist position");
    await screenshot(b, "waitlist");

    const started = performance.now();
    await card(a, LAST_SPOT).getByRole("button", { name: /^Cancel booking/ }).click();
    await waitVisible(b, b.locator('[data-testid="notice"]'), "B's promotion notice", 1_000);
    const ms = performance.now() - started;
    console.info(`[member-web] B saw the promotion notice ${ms.toFixed(0)} ms after A tapped Cancel`);
    expect(ms).toBeLessThan(1_000);
    await waitVisible(b, card(b, LAST_SPOT).getByText("Booked"), "B's card says Booked");
    await screenshot(b, "promotion-notice");

    const stored = await storedBookings(em(), ids.lastSpot, ids.bea);
    expect(stored.map((x) => ({ status: x.status, promoted: x.promotedFromWaitlist }))).toEqual([{ status: "booked", promoted: true }]);
  });

  it("shows the fee and the cut-off before a late cancel and cancels only when confirmed", async () => {
    await card(a, LATE).getByRole("button", { name: /^Book / }).click();
    const cancel = card(a, LATE).getByRole("button", { name: /^Cancel booking/ });
    await waitVisible(a, cancel, "Cancel on the late session");

    await cancel.click();
    const dialog = a.getByRole("dialog", { name: "Late cancel" });
    await waitVisible(a, dialog, "the late-cancel dialog");
    expect(await dialog.innerText()).toMatch(/€5\.00 late-cancel fee applies[\s\S]*Free cancelling ended/);
    await screenshot(a, "late-cancel");
    await dialog.getByRole("button", { name: "Keep my spot" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect((await storedBookings(em(), ids.late, ids.alex)).map((x) => x.status)).toEqual(["booked"]);

    await cancel.click();
    await dialog.getByRole("button", { name: "Cancel and pay €5.00" }).click();
    await waitVisible(a, a.locator("error-toast .toast", { hasText: /Cancelled: E2E Late Cancel/ }), "the cancel confirmation");
    expect((await storedBookings(em(), ids.late, ids.alex)).map((x) => x.status)).toEqual(["late_cancelled"]);
  });

  it("shows my bookings, my rotating code, me and the live gym numbers", async () => {
    const go = async (label: string) => {
      await b.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: label }).click();
    };
    await go("Bookings");
    await waitVisible(b, b.getByRole("heading", { name: "Upcoming" }), "bookings screen");
    await waitVisible(b, b.locator("member-bookings li", { hasText: LAST_SPOT }), "B's promoted booking listed");
    await screenshot(b, "bookings");

    await go("My code");
    await waitVisible(b, b.getByRole("img", { name: /Check-in QR code/ }), "the QR code");
    await screenshot(b, "code");

    await go("Me");
    await waitVisible(b, b.locator('[data-testid="streak"]'), "the streak");
    expect(await b.getByRole("heading", { name: "Bea Berg" }).count()).toBe(1);
    await screenshot(b, "me");

    await go("Feed");
    await waitVisible(b, b.locator('[data-testid="occupancy"]'), "the live check-in count");
    await screenshot(b, "feed");
  });

  it("says it is offline and disables booking while reconnecting", async () => {
    await a.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Schedule" }).click();
    await waitVisible(a, card(a, LATE), "the schedule again");
    await test!.server.close();
    await waitVisible(a, a.locator("offline-banner .bar", { hasText: "Offline" }), "the offline banner");
    expect(await card(a, LATE).getByRole("button").first().isDisabled()).toBe(true);
    await screenshot(a, "offline");
  });
});
