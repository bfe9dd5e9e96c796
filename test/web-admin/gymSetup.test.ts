/**
 * Issue 18 "Done when", in real Chromium from an empty database: `npm run gym:create` prints the owner's setup link;
 * the owner accepts it, sets the gym up in the wizard (details, opening hours, first location, two class types, a
 * weekly schedule starting later today), creates a pack, publishes a waiver and invites a member (the mail read from
 * a real SMTP server). The member accepts, signs the waiver and books; the owner sells the pack at the desk first.
 * Then a freeze, made on the member's profile, is what the open front desk says at the very next scan.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GymMembershipEntity, UserEntity } from "../../server/db/entities/index.js";
import { ensureBuilt, launchBrowser, openPage, screenshot, waitVisible } from "../support/browser.js";
import { createTestDatabase, requirePostgres, startTestServer, type TestDatabase, type TestServer } from "../support/services.js";
import { startSmtp, type TestSmtp } from "../support/smtp.js";
import { card } from "../member-web/memberPages.js";

const pg = await requirePostgres();
const run = promisify(execFile);
const SECRET = "w".repeat(40);
const OWNER = "owner@fresh-box.test";
const MEMBER = "mia@fresh-box.test";

/** "HH:MM" in Berlin, 90 minutes from now rounded up to 5 minutes: inside the booking window whatever the hour. */
function soon(): string {
  const at = new Date(Math.ceil((Date.now() + 90 * 60_000) / 300_000) * 300_000);
  return new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
}

describe.skipIf(!pg.ok)("a gym from nothing, in the browser", () => {
  let db: TestDatabase;
  let t: TestServer;
  let smtp: TestSmtp;
  let browser: Browser;

  beforeAll(async () => {
    await Promise.all([ensureBuilt("member-web"), ensureBuilt("web-admin")]);
    db = await createTestDatabase(pg.url!);
    smtp = await startSmtp();
    t = await startTestServer({ DATABASE_URL: db.url, SPOTTER_MODE: "embedded", JWT_SECRET: SECRET, SMTP_URL: smtp.url });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.cleanup();
    await smtp?.close();
    await db?.drop();
  });

  it("creates the gym through the wizard, invites a member who signs the waiver and books, and the desk sees a freeze at once", async () => {
    const created = await run(process.execPath, ["--import", "tsx", "server/cli/gymCreate.ts", "--owner", OWNER, "--name", "Fresh Box"], {
      env: { ...process.env, DATABASE_URL: db.url, JWT_SECRET: SECRET, PUBLIC_URL: t.server.url },
    });
    const link = /(http\S+#invite=\S+)/.exec(created.stdout)?.[1];
    expect(link, created.stdout).toBeTruthy();

    // The owner accepts the setup link and lands in the wizard.
    const owner = await openPage(browser, link!);
    await waitVisible(owner, owner.getByRole("heading", { name: "Join Fresh Box" }), "the invitation", 15_000);
    await owner.getByLabel("Your name").fill("Olga Owner");
    await owner.getByRole("button", { name: "Accept and sign in" }).click();
    await waitVisible(owner, owner.getByRole("heading", { name: "Set up Fresh Box" }), "the set-up wizard", 15_000);
    const gymForm = owner.getByRole("form", { name: "Your gym" });
    await gymForm.getByLabel("Time zone").fill("Europe/Berlin");
    await gymForm.getByLabel("Currency").selectOption("EUR");
    await gymForm.getByLabel("Language and formats").fill("en-GB");
    await gymForm.getByLabel("Location name").fill("Main floor");
    await gymForm.getByLabel("Address").fill("Hafenstraße 1");
    await gymForm.getByLabel("Sat closes").fill("13:00");
    await screenshot(owner, "admin-setup-wizard", { docs: true, fullPage: true });
    await gymForm.getByRole("button", { name: "Save and continue" }).click();

    const typeForm = owner.getByRole("form", { name: "Add a class type" });
    await waitVisible(owner, typeForm, "the class-types step");
    for (const name of ["CrossFit", "Yoga"]) {
      await typeForm.getByLabel("Name").fill(name);
      await typeForm.getByRole("button", { name: "Add class type" }).click();
      await waitVisible(owner, owner.getByLabel("Class types so far").getByText(name), `${name} added`);
    }
    await owner.getByRole("button", { name: "Continue" }).click();

    const series = owner.getByRole("form", { name: "Add a weekly class" });
    await waitVisible(owner, series, "the schedule step");
    await series.getByLabel("Class type").selectOption({ label: "CrossFit" });
    for (const day of ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]) await series.getByLabel(day, { exact: true }).check();
    await series.getByLabel("Start time").fill(soon());
    await series.getByLabel("Places").fill("12");
    await series.getByLabel("For weeks").fill("2");
    await series.getByRole("button", { name: "Add to the schedule" }).click();
    await waitVisible(owner, owner.getByLabel("Series so far").getByText(/CrossFit · Sun Mon Tue Wed Thu Fri Sat/), "the series listed");
    await owner.getByRole("button", { name: "Continue" }).click();
    await owner.getByRole("button", { name: "Open Spotter" }).click();
    await waitVisible(owner, owner.getByRole("navigation", { name: "Main" }), "the staff app after set-up", 15_000);

    // A pack, a waiver required to book, and the member's invitation.
    const base = t.server.url;
    await owner.goto(`${base}/admin/plans`);
    await waitVisible(owner, owner.getByRole("form", { name: "New plan" }), "the new-plan form", 15_000);
    await owner.getByLabel("Name").fill("Starter pack");
    await owner.getByLabel("Kind").selectOption("pack");
    await owner.getByLabel(/^Price/).fill("50");
    await owner.getByLabel(/^Credits/).fill("5");
    await owner.getByLabel(/^Valid for/).fill("60");
    await owner.getByRole("button", { name: "Create plan" }).click();
    await waitVisible(owner, owner.getByText("Starter pack").first(), "the pack listed");
    await owner.goto(`${base}/admin/waivers`);
    const publish = owner.getByRole("form", { name: "Publish a waiver version" });
    await waitVisible(owner, publish, "the waiver form", 15_000);
    await publish.getByLabel("Version").fill("v1");
    await publish.getByLabel("Text").fill("I train at my own risk and tell the coach about injuries.");
    await publish.getByRole("button", { name: "Publish" }).click();
    await waitVisible(owner, owner.getByRole("heading", { name: /version v1/ }), "the waiver in force", 15_000);
    await owner.goto(`${base}/admin/settings`);
    const settings = owner.getByRole("form", { name: "Gym settings" });
    await waitVisible(owner, settings, "the settings form", 15_000);
    await settings.getByLabel("Waiver must be signed").selectOption("booking");
    await settings.getByRole("button", { name: "Save settings" }).click();
    await waitVisible(owner, owner.locator("error-toast .toast").filter({ hasText: "Settings saved" }), "saved");
    // Locations and rooms, class types: add, rename, archive (never delete).
    const addLocation = owner.getByRole("form", { name: "Add a location" });
    await addLocation.getByLabel("New location name").fill("Annex");
    await addLocation.getByRole("button", { name: "Add location" }).click();
    const addRoom = owner.getByRole("form", { name: "Add a room to Annex" });
    await waitVisible(owner, addRoom, "the new location with its room form");
    await addRoom.getByLabel("New room in Annex").fill("Spin studio");
    await addRoom.getByRole("button", { name: "Add room" }).click();
    await waitVisible(owner, owner.getByRole("button", { name: "Archive Spin studio" }), "the room listed");
    await owner.getByRole("button", { name: "Archive Annex" }).click();
    await waitVisible(owner, owner.getByRole("button", { name: "Restore Annex" }), "the location archived, still listed");
    const yoga = owner.getByRole("form", { name: "Class type Yoga" });
    await yoga.getByLabel("Name of Yoga").fill("Yin Yoga");
    await yoga.getByRole("button", { name: "Save" }).click();
    await waitVisible(owner, owner.getByRole("form", { name: "Class type Yin Yoga" }), "the class type renamed");
    await screenshot(owner, "admin-gym-catalog", { docs: true, fullPage: true });
    await owner.goto(`${base}/admin/staff`);
    const invite = owner.getByRole("form", { name: "Invite someone" });
    await waitVisible(owner, invite, "the invite form", 15_000);
    await invite.getByLabel("Email address").fill(MEMBER);
    await invite.getByLabel("Role").selectOption("member");
    await invite.getByRole("button", { name: "Send invitation" }).click();
    const mail = await smtp.next(MEMBER);
    const memberLink = /(http\S+#invite=[A-Za-z0-9_-]+)/.exec(mail.body)?.[1];
    expect(memberLink, mail.body).toBeTruthy();

    // The member accepts; the owner sells the pack at the desk (their profile); the member signs and books.
    const member = await openPage(browser, memberLink!, { viewport: { width: 360, height: 740 } });
    await waitVisible(member, member.getByRole("heading", { name: "Join Fresh Box" }), "the member's invitation", 15_000);
    await member.getByLabel("Your name").fill("Mia Member");
    await member.getByRole("button", { name: "Accept and sign in" }).click();
    await waitVisible(member, member.getByRole("navigation", { name: "Sections" }), "the member app", 15_000);
    const user = await t.server.db.orm.em.fork().findOneOrFail(UserEntity, { email: MEMBER });
    await owner.goto(`${base}/admin/members/${user.id}`);
    const sell = owner.getByRole("form", { name: "Sell a pack" });
    await waitVisible(owner, sell, "the sell form", 15_000);
    await sell.getByLabel("Sell").selectOption({ label: "Starter pack · €50.00" });
    await sell.getByRole("button", { name: "Sell" }).click();
    await waitVisible(owner, owner.getByRole("table", { name: "Credit history" }).getByText("Sold"), "the sale in the ledger");
    await member.getByRole("link", { name: "Me", exact: true }).click();
    await waitVisible(member, member.getByTestId("waiver-link").filter({ hasText: "Not signed yet" }), "the unsigned waiver", 15_000);
    await member.getByTestId("waiver-link").click();
    const sign = member.getByRole("form", { name: "Sign version v1" });
    await waitVisible(member, sign, "the signing form");
    await sign.getByLabel("Type your full name to sign").fill("Mia Member");
    await sign.getByLabel("I have read and agree to this waiver").check();
    await sign.getByRole("button", { name: "Sign" }).click();
    await waitVisible(member, member.getByTestId("signed"), "signed");
    await member.goto(`${base}/`);
    const crossfit = card(member, "CrossFit").first();
    await waitVisible(member, crossfit, "today's CrossFit in the member's schedule", 15_000);
    await crossfit.getByRole("button", { name: /^Book / }).click();
    await waitVisible(member, crossfit.getByText("Booked"), "booked");

    // This and following classes get two more places: the effect on the booking is shown before confirming.
    await owner.goto(`${base}/admin/schedule`);
    await owner.locator("schedule-screen button.slot").filter({ hasText: "CrossFit" }).first().click();
    const change = owner.getByRole("form", { name: "Change the series" });
    await waitVisible(owner, change, "the series editor", 15_000);
    await change.getByLabel("This and following").check();
    await change.getByLabel("Places").fill("14");
    await change.getByRole("button", { name: "Show the effect" }).click();
    const effect = owner.getByRole("region", { name: "Effect on bookings" });
    await waitVisible(owner, effect.getByText(/1 booking and 0 waiting/), "the effect on the booking, before confirming");
    await screenshot(owner, "admin-series-effect", { docs: true, fullPage: true });
    await effect.getByRole("button", { name: "Confirm and tell members" }).click();
    await waitVisible(owner, owner.locator("error-toast .toast").filter({ hasText: /classes changed/ }), "the series changed");
    await waitVisible(member, crossfit.getByText("Booked"), "the booking kept");

    // The front desk is open; a freeze on the profile is what the very next scan says.
    // The same browser (its session cookie): a second tab on the desk.
    const desk = await owner.context().newPage();
    await desk.goto(`${base}/admin/desk`);
    await waitVisible(desk, desk.locator("desk-screen member-search input"), "the desk", 15_000);
    await owner.goto(`${base}/admin/members/${user.id}`);
    const freeze = owner.getByRole("form", { name: "Freeze membership" });
    await waitVisible(owner, freeze, "the freeze form", 15_000);
    const until = `${new Date().getFullYear() + 1}-01-12`;
    await freeze.getByLabel("Freeze until").fill(until);
    await freeze.getByLabel("Reason").fill("Travelling");
    await freeze.getByRole("button", { name: "Freeze" }).click();
    await waitVisible(owner, owner.getByTestId("frozen"), "frozen on the profile");
    await deskScan(desk, "Mia Member", user.id);
    await waitVisible(
      desk,
      desk.locator("desk-result [data-outcome]").filter({ hasText: "Membership frozen until 12 Jan" }),
      "the desk says frozen until 12 Jan",
      10_000,
    );
    const membership = await t.server.db.orm.em.fork().findOneOrFail(GymMembershipEntity, { userId: user.id });
    expect(membership).toMatchObject({ status: "frozen", frozenUntil: until });
  }, 240_000);
});

async function deskScan(desk: Page, name: string, memberId: string): Promise<void> {
  await desk.locator("desk-screen member-search input").fill(name);
  const option = desk.locator(`desk-screen member-search li[data-member="${memberId}"]`);
  await waitVisible(desk, option, `desk search hit for ${name}`);
  await option.click();
}
