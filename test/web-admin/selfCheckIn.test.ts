/**
 * Member self check-in in real Chromium, both apps against one Spotter node with the demo gym (issue 14 item 8):
 * the owner turns it on at the front desk, the desk shows the rotating presence code, a member types it on the
 * class card and is checked in (the desk's live list shows it); refusals are shown in words.
 */
import type { EntityManager } from "@mikro-orm/core";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../server/auth.js";
import { demoId } from "../../server/demo/seedDemo.js";
import { ensureBuilt, launchBrowser, openPage, screenshot, waitVisible } from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/services.js";
import { card, openApp, screenshot as memberScreenshot } from "../member-web/memberPages.js";
import { storedBookings } from "../member-web/memberFixtures.js";
import { aBooking, aMember, aSession } from "./adminFixtures.js";
import { demoMinutesOfDay } from "../support/demoFixtures.js";

const CLASS = "E2E Self Check-in";

let test: TestServer | undefined;
let browser: Browser | undefined;
let em: () => EntityManager;
const ids = { session: "", cleo: "" };
const tokens = { owner: "", cleo: "" };

beforeAll(async () => {
  await ensureBuilt("web-admin");
  await ensureBuilt("member-web");
  test = await startTestServer({ SEED_DEMO: "true" });
  em = () => test!.server.db.orm.em.fork() as unknown as EntityManager;
  const now = Date.now();
  // Check-in is open (it opens 30 min before the start) and the class is still today in the gym's zone.
  const startsIn = demoMinutesOfDay(now) > 23 * 60 + 40 ? -10 : 10;
  ids.session = await aSession(em(), { className: CLASS, startsInMinutes: startsIn, capacity: 4, now });
  ids.cleo = await aMember(em(), "Cleo Selfcheck", now);
  await aBooking(em(), ids.session, ids.cleo, now);
  const secret = test.server.jwtSecret;
  if (!secret) throw new Error("the test server verifies tokens with no local secret");
  tokens.owner = await signToken(secret, demoId("user:owner"));
  tokens.cleo = await signToken(secret, ids.cleo);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await test?.cleanup();
});

/** Types a code on the member's class card and sends it. */
async function sendCode(member: Page, code: string): Promise<void> {
  const c = card(member, CLASS);
  if ((await c.getByLabel("Code on the desk screen").count()) === 0) await c.getByRole("button", { name: /^Check in to / }).click();
  await c.getByLabel("Code on the desk screen").fill(code);
  await c.getByRole("button", { name: /^Send the code and check in/ }).click();
}

async function deskCode(desk: Page): Promise<string> {
  const shown = desk.locator('presence-code [data-testid="presence-code"]');
  await waitVisible(desk, shown, "the presence code on the desk");
  return (await shown.innerText()).trim();
}

describe("member self check-in", () => {
  it("is switched on at the desk, and a member checks in with the desk's code; refusals are in words", async () => {
    const member = await openApp(browser!, test!.server.url, tokens.cleo);
    await waitVisible(member, card(member, CLASS).getByText("Booked"), `${CLASS} booked on the member's card`, 15_000);

    // Off by default: the member is told to check in at the desk.
    await sendCode(member, "123456");
    await waitVisible(
      member,
      member.getByText("This gym checks members in at the front desk", { exact: false }),
      "self check-in is off, in words",
    );

    const desk = await openPage(browser!, `${test!.server.url}/admin/desk#token=${tokens.owner}`);
    const panel = desk.locator("presence-code");
    await waitVisible(
      desk,
      panel.getByText("Off — members are checked in here at the desk", { exact: false }),
      "the setting is off at the desk",
      15_000,
    );
    await panel.getByRole("button", { name: "Turn on member self check-in" }).click();
    const code = await deskCode(desk);
    expect(code).toMatch(/^\d{6}$/);
    await waitVisible(desk, panel.getByRole("button", { name: "Turn off member self check-in" }), "the switch now turns it off");
    await screenshot(desk, "admin-desk-presence-code", { docs: true });

    // A wrong code (not the one shown) is refused in words, and nothing is recorded.
    const wrong = String((Number(code) + 500_000) % 1_000_000).padStart(6, "0");
    await sendCode(member, wrong);
    await waitVisible(member, member.getByText("That code isn't the one on the desk screen now", { exact: false }), "wrong code, in words");
    await memberScreenshot(member, "self-check-in", { dismissToasts: false });
    expect((await storedBookings(em(), ids.session, ids.cleo)).map((b) => b.status)).toEqual(["booked"]);

    await sendCode(member, await deskCode(desk));
    await waitVisible(member, card(member, CLASS).getByText("Checked in", { exact: true }), "the member's card says Checked in");
    // The check-in's answer carries the streak (issue 19 item 4): Cleo's first active day.
    await waitVisible(member, member.locator("error-toast .toast", { hasText: "🔥 1-day streak" }), "the streak in the check-in's toast");
    await waitVisible(desk, desk.locator("checkin-feed").getByText("Cleo Selfcheck"), "the check-in on the desk's live list");
    expect((await storedBookings(em(), ids.session, ids.cleo)).map((b) => b.status)).toEqual(["checked_in"]);
    await member.context().close();
    await desk.context().close();
  });
});
