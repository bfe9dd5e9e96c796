/**
 * Issue 18 "Policies": a waiver version published to take effect tomorrow switches in at the gym's midnight, with no
 * command to say so (rooms/policyTimer.ts), in real Chromium (360×740). The member signed the version in force; Me
 * says "Signed" while the new one is only announced; the server's clock is then put a few seconds before midnight
 * in Berlin and, when the gym room's timer fires, the open app — never reloaded — says the new version is in force and
 * Me asks for a signature again; booking waits for it.
 */
import type { EntityManager } from "@mikro-orm/core";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../server/auth.js";
import { DEMO_GYM_ID, demoId } from "../../server/demo/seedDemo.js";
import { ensureBuilt, launchBrowser, waitVisible } from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/services.js";
import { connectAs, type TestSocket } from "../support/sockets.js";
import { aMember, aSession } from "./memberFixtures.js";
import { openApp } from "./memberPages.js";

const room = `gym:${DEMO_GYM_ID}`;
/** Token lifetime (s): the server's clock moves up to a day on under open sockets and the app. */
const DAYS = 3 * 86_400;
const berlinDay = (at: number) => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin" }).format(at);

/** The next Berlin midnight after `at` (DST-safe: steps minutes back from 26 hours later, past a 25-hour day, to the first minute of tomorrow). */
function nextBerlinMidnight(at: number): number {
  const today = berlinDay(at);
  let t = Math.floor(at / 60_000) * 60_000 + 26 * 3_600_000;
  while (berlinDay(t - 60_000) !== today) t -= 60_000;
  return t;
}

let test: TestServer | undefined;
let browser: Browser | undefined;
let owner: TestSocket | undefined;
/** The server's clock runs `offset` ms ahead of the machine's; the test moves it once, just before midnight. */
let offset = 0;
let memberId = "";
let token = "";

beforeAll(async () => {
  await ensureBuilt("member-web");
  // Tokens good for days: the server's clock moves up to a day on under the open app.
  test = await startTestServer({ SEED_DEMO: "true", MAX_TOKEN_LIFETIME: "7d" }, { now: () => Date.now() + offset });
  memberId = await aMember(test.server.db.orm.em.fork() as unknown as EntityManager, "Sol Switch", Date.now());
  token = await signToken(test.server.jwtSecret!, memberId, DAYS);
  owner = await connectAs(test.server, demoId("user:owner"), DAYS);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  owner?.close();
  await browser?.close();
  await test?.cleanup();
});

describe("member app: a policy version that takes effect later", () => {
  it("keeps the signed version in force until the gym's midnight, then switches to the new one live", async () => {
    const publish = (version: string, effectiveOn?: string) =>
      owner!.command(room, "gym:publishWaiver", {
        title: "Liability waiver",
        version,
        text: `Version ${version}: I train at my own risk.`,
        required: "booking",
        ...(effectiveOn ? { effectiveOn } : {}),
      });
    expect(await publish("switch-1")).toMatchObject({ ok: true });
    const me = await connectAs(test!.server, memberId, DAYS);
    expect(await me.command(room, "gym:signWaiver", { version: "switch-1", typedName: "Sol Switch", agree: true })).toMatchObject({
      ok: true,
    });

    // A few seconds before midnight in Berlin, tomorrow's version is announced.
    const midnight = nextBerlinMidnight(Date.now() + offset);
    offset = midnight - 12_000 - Date.now();
    const tomorrow = berlinDay(midnight);
    expect(await publish("switch-2", tomorrow)).toMatchObject({ ok: true });
    const session = await aSession(test!.server.db.orm.em.fork() as unknown as EntityManager, {
      className: "Switch Strength",
      startsInMinutes: 12 * 60,
      capacity: 10,
      now: Date.now() + offset,
    });

    const page = await openApp(browser!, test!.server.url, token);
    await page.getByRole("link", { name: "Me", exact: true }).click();
    const link = page.getByTestId("waiver-link");
    await waitVisible(page, link, "the waiver line on Me", 15_000);
    await link.click();
    const next = page.locator("member-waiver article[data-version=switch-2]");
    await waitVisible(page, next.getByText(`applies from ${tomorrow}`), "tomorrow's version announced", 10_000);
    expect(await page.locator("member-waiver article[data-version=switch-1]").getByTestId("signed").count()).toBe(1);
    await page.getByRole("link", { name: "Me", exact: true }).click();
    await waitVisible(page, link.filter({ hasText: "Signed ✔" }), "Me: the version in force is signed");

    // Midnight passes: the room's timer republishes its policies, and Me asks again without a reload.
    await waitVisible(page, link.filter({ hasText: "Not signed yet" }), "Me after the switch", 45_000);
    expect(Date.now() + offset).toBeGreaterThanOrEqual(midnight);
    await link.click();
    await waitVisible(page, next.getByText(`in force since ${tomorrow}`), "the new version in force", 10_000);
    await waitVisible(page, page.getByRole("form", { name: "Sign version switch-2" }), "its signing form");
    expect(await me.command(`class:${session.sessionId}`, "class:book", { sessionId: session.sessionId })).toMatchObject({
      ok: false,
      error: { code: "WAIVER_REQUIRED" },
    });
    me.close();
    await page.context().close();
  }, 120_000);
});
