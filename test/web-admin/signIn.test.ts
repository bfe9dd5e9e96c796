/**
 * Sign-in in real Chromium against a real node and a real SMTP server: the member's magic link (read from the mail),
 * the staff one-time code, refresh rotation and reuse detection through the browser's own HttpOnly cookie, and
 * "sign out everywhere" closing a second browser's live socket.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_MEMBER_EMAIL, DEMO_OWNER_EMAIL } from "../../server/demo/seedDemo.js";
import { ensureBuilt, launchBrowser, openPage, waitVisible } from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/services.js";
import { startSmtp, type TestSmtp } from "../support/smtp.js";

let t: TestServer | undefined;
let smtp: TestSmtp | undefined;
let browser: Browser | undefined;
const mine = { member: 0, owner: 0 };

beforeAll(async () => {
  await Promise.all([ensureBuilt("member-web"), ensureBuilt("web-admin")]);
  smtp = await startSmtp();
  t = await startTestServer({ SEED_DEMO: "true", SMTP_URL: smtp.url });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.cleanup();
  await smtp?.close();
});

const url = (path: string) => `${t!.server.url}${path}`;

/** Asks for a sign-in mail on the open sign-in screen and returns the mail that arrived. */
async function askForMail(page: Page, email: string, who: keyof typeof mine) {
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await waitVisible(page, page.getByText("Check your inbox"), "the check-your-inbox note");
  const mail = await smtp!.next(email, mine[who]);
  mine[who] += 1;
  return mail;
}

async function memberSignedIn(page: Page): Promise<void> {
  await waitVisible(page, page.getByRole("navigation", { name: "Sections" }), "the member app's sections", 15_000);
}

describe("sign-in in the browser", () => {
  it("signs a member in with the link from the mail, with no token in the URL or in storage", async () => {
    const page = await openPage(browser!, url("/"), { viewport: { width: 360, height: 740 } });
    await waitVisible(page, page.getByRole("heading", { name: "Sign in to Spotter" }), "sign-in screen");
    const mail = await askForMail(page, DEMO_MEMBER_EMAIL, "member");
    expect(mail.link).toBeTruthy();
    await page.goto(url(`/#signin=${mail.link}`));
    await memberSignedIn(page);
    expect(page.url()).not.toContain("signin=");
    // No token of any kind in storage (a JWT starts "eyJ"; the refresh token never reaches the page).
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
    expect(stored).not.toMatch(/eyJ|spotter_refresh/);
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === "spotter_refresh")).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: "Strict",
      path: "/api/auth",
    });
    expect(await page.evaluate(() => document.cookie)).not.toContain("spotter_refresh");
    await page.context().close();
  });

  it("signs staff in with the 6-digit code, and says so in words when the code is wrong", async () => {
    const page = await openPage(browser!, url("/admin/"));
    await waitVisible(page, page.getByRole("heading", { name: "Spotter staff sign-in" }), "staff sign-in");
    const mail = await askForMail(page, DEMO_OWNER_EMAIL, "owner");
    await page.getByLabel("6-digit code from the mail").fill(mail.code === "123456" ? "654321" : "123456");
    await page.getByRole("button", { name: "Sign in" }).click();
    await waitVisible(page, page.getByRole("alert").getByText(/That code isn't right/), "the wrong-code refusal");
    await page.getByLabel("6-digit code from the mail").fill(mail.code!);
    await page.getByRole("button", { name: "Sign in" }).click();
    await waitVisible(page, page.getByRole("heading", { name: "Today" }), "Today after the code", 15_000);
    await page.context().close();
  });

  it("rotates the refresh cookie on reload, and a replayed old cookie ends the session in the first browser too", async () => {
    const page = await openPage(browser!, url("/"), { viewport: { width: 360, height: 740 } });
    await waitVisible(page, page.getByRole("heading", { name: "Sign in to Spotter" }), "sign-in screen");
    const mail = await askForMail(page, DEMO_MEMBER_EMAIL, "member");
    await page.getByLabel("6-digit code from the mail").fill(mail.code!);
    await page.getByRole("button", { name: "Sign in" }).click();
    await memberSignedIn(page);
    const first = (await page.context().cookies()).find((c) => c.name === "spotter_refresh")!;
    await page.reload();
    await memberSignedIn(page);
    const second = (await page.context().cookies()).find((c) => c.name === "spotter_refresh")!;
    expect(second.value).not.toBe(first.value);

    // Someone replays the stolen first cookie from another browser: refused, and the whole family ends.
    const thief = await openPage(browser!);
    await thief.context().addCookies([{ ...first }]);
    await thief.goto(url("/"));
    await waitVisible(thief, thief.getByRole("heading", { name: "Sign in to Spotter" }), "the thief gets the sign-in screen");
    await waitVisible(page, page.getByRole("alert").getByText(/signed out/), "the first browser told its session ended", 10_000);
    await Promise.all([page.context().close(), thief.context().close()]);
  });

  it("signs out everywhere from one browser and closes the other browser's live socket", async () => {
    const signIn = async () => {
      const page = await openPage(browser!, url("/"), { viewport: { width: 360, height: 740 } });
      await waitVisible(page, page.getByRole("heading", { name: "Sign in to Spotter" }), "sign-in screen");
      const mail = await askForMail(page, DEMO_MEMBER_EMAIL, "member");
      await page.getByLabel("6-digit code from the mail").fill(mail.code!);
      await page.getByRole("button", { name: "Sign in" }).click();
      await memberSignedIn(page);
      return page;
    };
    const phone = await signIn();
    const laptop = await signIn();
    await phone.getByRole("link", { name: "Me" }).click();
    await waitVisible(phone, phone.getByRole("heading", { name: "Where you're signed in" }), "the sessions list");
    await waitVisible(phone, phone.getByRole("button", { name: /^Sign out Chrome/ }).nth(1), "both browsers listed");
    await phone.getByRole("button", { name: "Sign out everywhere" }).click();
    await waitVisible(laptop, laptop.getByRole("heading", { name: "Sign in to Spotter" }), "the laptop back at sign-in", 10_000);
    await waitVisible(laptop, laptop.getByRole("alert").getByText(/signed out/), "why, in words");
    await waitVisible(phone, phone.getByRole("heading", { name: "Sign in to Spotter" }), "the phone too", 10_000);
    await Promise.all([phone.context().close(), laptop.context().close()]);
  });
});
