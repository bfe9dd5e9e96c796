/**
 * Issue 18 item 1 in real Chromium on a phone-sized screen: an owner defines a class pack, the front desk sells it
 * to a member (paid by card), an owner takes a credit away with a reason, and the desk records a payment — each
 * shown at once in the member's account with its ledger line; an owner assigns a plan (named with its price) at an
 * overridden price.
 */
import type { EntityManager } from "@mikro-orm/core";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../server/auth.js";
import { CreditLedgerEntity, GymEntity, GymMembershipEntity } from "../../server/db/entities/index.js";
import { DEMO_GYM_ID, demoId } from "../../server/demo/seedDemo.js";
import { ensureBuilt, launchBrowser, openPage, screenshot, waitVisible } from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/services.js";
import { aMember } from "./adminFixtures.js";

let test: TestServer | undefined;
let browser: Browser | undefined;
let memberId = "";
const tokens = { owner: "", desk: "" };
const url = (path: string, token: string) => `${test!.server.url}/admin${path}#token=${token}`;
const phone = { viewport: { width: 390, height: 844 } };

beforeAll(async () => {
  await ensureBuilt("web-admin");
  test = await startTestServer({ SEED_DEMO: "true" });
  memberId = await aMember(test.server.db.orm.em.fork() as unknown as EntityManager, "Pia Pack", Date.now());
  tokens.owner = await signToken(test.server.jwtSecret!, demoId("user:owner"));
  tokens.desk = await signToken(test.server.jwtSecret!, demoId("user:desk"));
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await test?.cleanup();
});

describe("plans and a member's account in the staff app", () => {
  it("creates a pack, sells it at the desk, adjusts credits and records a payment, each shown at once", async () => {
    const owner = await openPage(browser!, url("/plans", tokens.owner), phone);
    await waitVisible(owner, owner.getByRole("form", { name: "New plan" }), "the new-plan form", 15_000);
    await owner.getByLabel("Name").fill("E2E 5-class pack");
    await owner.getByLabel("Kind").selectOption("pack");
    await owner.getByLabel(/^Price/).fill("50");
    await owner.getByLabel(/^Credits/).fill("5");
    await owner.getByLabel(/^Valid for/).fill("60");
    await owner.getByRole("button", { name: "Create plan" }).click();
    await waitVisible(
      owner,
      owner.locator("plans-screen li").filter({ hasText: "E2E 5-class pack" }).filter({ hasText: "5 classes, valid 60 days" }),
      "the pack in the list",
    );
    await screenshot(owner, "admin-plans", { docs: true, fullPage: true });

    const desk = await openPage(browser!, url(`/members/${memberId}`, tokens.desk), phone);
    const sell = desk.getByRole("form", { name: "Sell a pack" });
    await waitVisible(desk, sell, "the sell form", 15_000);
    // The desk sells but does not assign plans or adjust credits.
    expect(await desk.getByRole("form", { name: "Adjust credits" }).count()).toBe(0);
    await sell.getByLabel("Sell").selectOption({ label: "E2E 5-class pack · €50.00" });
    await sell.getByLabel("Paid by").selectOption("card_terminal");
    await sell.getByRole("button", { name: "Sell" }).click();
    await waitVisible(desk, desk.getByTestId("credits").filter({ hasText: "5 credits" }), "5 credits after the sale");
    await waitVisible(desk, desk.getByRole("table", { name: "Credit history" }).getByText("Sold"), "the sale in the ledger");

    const ownerOnMember = await openPage(browser!, url(`/members/${memberId}`, tokens.owner), phone);
    const adjust = ownerOnMember.getByRole("form", { name: "Adjust credits" });
    await waitVisible(ownerOnMember, adjust, "the adjust form", 15_000);
    await adjust.getByLabel(/Credits/).fill("-7");
    await adjust.getByLabel("Reason").fill("Typo");
    await adjust.getByRole("button", { name: "Adjust" }).click();
    await waitVisible(
      ownerOnMember,
      ownerOnMember.locator("error-toast .toast").filter({ hasText: "below 0 credits — they have 5" }),
      "the refusal in words",
    );
    await adjust.getByLabel(/Credits/).fill("-1");
    await adjust.getByLabel("Reason").fill("Refunded one class in cash");
    await adjust.getByRole("button", { name: "Adjust" }).click();
    await waitVisible(
      ownerOnMember,
      ownerOnMember.getByTestId("credits").filter({ hasText: "4 credits" }),
      "4 credits after the adjustment",
    );
    await waitVisible(ownerOnMember, ownerOnMember.getByText("— Refunded one class in cash"), "the reason in the ledger");

    // An unpaid sale, then paid at the desk.
    await ownerOnMember.getByRole("form", { name: "Sell a pack" }).getByLabel("Sell").selectOption({ label: "E2E 5-class pack · €50.00" });
    await ownerOnMember.getByRole("form", { name: "Sell a pack" }).getByRole("button", { name: "Sell" }).click();
    await waitVisible(ownerOnMember, ownerOnMember.getByTestId("owed").filter({ hasText: "€50.00 owed" }), "the open sale owed");
    await ownerOnMember.getByRole("button", { name: "Paid cash" }).first().click();
    await waitVisible(
      ownerOnMember,
      ownerOnMember.getByTestId("owed").filter({ hasText: "nothing owed" }),
      "nothing owed after the payment",
    );
    // Assigning names each plan with its price; an override is what the first dues charge.
    const assign = ownerOnMember.getByRole("form", { name: "Assign a plan" });
    await assign.getByLabel("Plan").selectOption({ label: "Unlimited · €129.00" });
    await assign.getByLabel("Price override").fill("99");
    await assign.getByRole("button", { name: "Assign" }).click();
    await waitVisible(ownerOnMember, ownerOnMember.getByText("Plan: Unlimited — Unlimited classes"), "the plan assigned");
    await waitVisible(ownerOnMember, ownerOnMember.getByTestId("owed").filter({ hasText: "€99.00 owed" }), "the overridden dues owed");
    await screenshot(ownerOnMember, "admin-member-account", { docs: true, fullPage: true });

    const em = test!.server.db.orm.em.fork();
    const m = await em.findOneOrFail(GymMembershipEntity, { gymId: DEMO_GYM_ID, userId: memberId });
    const sum = (await em.find(CreditLedgerEntity, { gymId: DEMO_GYM_ID, memberId })).reduce((s, e) => s + e.amount, 0);
    expect([m.credits, sum]).toEqual([9, 9]);
  }, 120_000);
});

describe("members at the desk in the staff app", () => {
  it("adds a member, refuses a duplicate with a link to the first, and freezes then unfreezes them", async () => {
    const desk = await openPage(browser!, url("/members", tokens.desk), phone);
    const add = desk.getByRole("form", { name: "Add a member" });
    await waitVisible(desk, add, "the add-member form", 15_000);
    await add.getByLabel("Name").fill("Quinn Newcomer");
    await add.getByLabel("Email").fill("quinn@e2e.spotter.gym");
    await add.getByLabel("Phone").fill("+49 170 999 0001");
    await add.getByLabel("Tags").fill("trial, morning");
    await add.getByRole("button", { name: "Add member" }).click();
    await waitVisible(desk, desk.getByRole("form", { name: "Freeze membership" }), "the new member's account");

    await desk.goto(url("/members", tokens.desk));
    const again = desk.getByRole("form", { name: "Add a member" });
    await waitVisible(desk, again, "the add-member form again", 15_000);
    await again.getByLabel("Name").fill("Quinn Again");
    await again.getByLabel("Email").fill("QUINN@e2e.spotter.gym");
    await again.getByRole("button", { name: "Add member" }).click();
    await waitVisible(desk, again.getByRole("alert").filter({ hasText: "Quinn Newcomer already has this email" }), "the duplicate named");
    await again.getByRole("link", { name: "Open their profile" }).click();

    const freeze = desk.getByRole("form", { name: "Freeze membership" });
    await waitVisible(desk, freeze, "the freeze form", 15_000);
    await freeze.getByLabel("Freeze until").fill(`${new Date().getFullYear() + 1}-01-12`);
    await freeze.getByLabel("Reason").fill("Travelling");
    await freeze.getByRole("button", { name: "Freeze" }).click();
    await waitVisible(
      desk,
      desk.getByTestId("frozen").filter({ hasText: `Frozen until ${new Date().getFullYear() + 1}-01-12` }),
      "frozen until the date",
    );
    await screenshot(desk, "admin-member-frozen", { docs: true, fullPage: true });
    await desk.getByRole("button", { name: "Unfreeze" }).click();
    await waitVisible(desk, desk.getByRole("form", { name: "Freeze membership" }), "active again");
  }, 120_000);
});

describe("gym settings in the staff app", () => {
  it("says which classes a change applies to before saving, refuses a contradiction naming the setting, and saves", async () => {
    const owner = await openPage(browser!, url("/settings", tokens.owner), phone);
    const form = owner.getByRole("form", { name: "Gym settings" });
    await waitVisible(owner, form, "the settings form", 15_000);
    await waitVisible(
      owner,
      form.getByRole("status", { name: "What this change does" }).filter({ hasText: "apply to classes scheduled from now on" }),
      "the rule shown before saving",
    );
    await form.getByLabel("Booking closes (minutes before start)").fill("20000");
    await form.getByRole("button", { name: "Save settings" }).click();
    await waitVisible(owner, form.getByRole("alert").filter({ hasText: "Booking must close after it opens" }), "the contradiction named");
    await form.getByLabel("Booking closes (minutes before start)").fill("0");
    await form.getByLabel("Waitlist limit (0 = no waitlist)").fill("12");
    await form.getByRole("button", { name: "Save settings" }).click();
    await waitVisible(owner, owner.locator("error-toast .toast").filter({ hasText: "Settings saved" }), "saved");
    await screenshot(owner, "admin-settings", { docs: true, fullPage: true });
    const gym = await test!.server.db.orm.em.fork().findOneOrFail(GymEntity, { id: DEMO_GYM_ID });
    expect(gym.policy.waitlistLimit).toBe(12);
  }, 60_000);
});
