/**
 * Real Chromium for browser tests: Debian's /usr/bin/chromium driven by playwright-core (never
 * `npx playwright install`). Every `launchBrowser()` gets a fresh temporary profile (Playwright's
 * own --user-data-dir, removed on close); every `openPage()` a fresh context (no shared storage).
 *
 * @example
 * const browser = await launchBrowser();
 * const page = await openPage(browser, `${server.url}/admin/#token=${token}`);
 * await waitVisible(page, page.getByRole("heading", { name: "Today" }), "Today screen");
 * await screenshot(page, "admin-today", { docs: true });
 *
 * Screenshots land in `test-results/` (ignored by git). `docs/screenshots/` is refreshed only on
 * purpose, by `npm run screenshots` (it sets SPOTTER_SCREENSHOTS=docs); `npm test` never rewrites it.
 */
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import type { SpotterServer } from "../../server/createServer.js";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Flags that keep a headless Chromium quiet, offline-safe and sandbox-free in containers. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const ARTIFACTS_DIR = "test-results";
export const DOCS_SCREENSHOTS_DIR = "docs/screenshots";

/** True when this run refreshes `docs/screenshots/` (`npm run screenshots`), false in `npm test`. */
export const WRITE_DOCS_SCREENSHOTS = process.env.SPOTTER_SCREENSHOTS === "docs";

/** Launches Chromium; fails at once, with the install command, when it is missing. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`chromium not found at ${CHROMIUM_PATH}: run \`apt-get install -y chromium\` (or set CHROMIUM_PATH)`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 30_000 });
}

export interface PageOptions {
  viewport?: { width: number; height: number };
  /** Default timeout of page actions and waits (ms). */
  timeout?: number;
  /** Lets a test inject a script (axe-core) past the app's Content-Security-Policy; the app's own CSP tests leave it off. */
  bypassCSP?: boolean;
}

/** A page in a new browser context (fresh cookies and localStorage), optionally opened at `url`. */
export async function openPage(browser: Browser, url?: string, options: PageOptions = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 860 },
    locale: "en-GB",
    timezoneId: "Europe/Berlin",
    deviceScaleFactor: 1,
    bypassCSP: options.bypassCSP ?? false,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(options.timeout ?? 10_000);
  if (url) await page.goto(url);
  return page;
}

/**
 * A page signed in as `userId` the way a browser stays signed in: a fresh session's refresh token in the HttpOnly
 * `spotter_refresh` cookie (the apps sign in from it on load, also after a reload offline and back).
 */
export async function signedInPage(browser: Browser, server: SpotterServer, userId: string, options: PageOptions = {}): Promise<Page> {
  const signedIn = await server.sessions!.completeSignIn({ userId, method: "email_code", request: { ip: "127.0.0.1", userAgent: "e2e" } });
  const page = await openPage(browser, undefined, options);
  await page.context().addCookies([
    {
      name: "spotter_refresh",
      value: signedIn.refreshToken,
      url: `${server.url}/api/auth`,
      httpOnly: true,
      secure: true,
      sameSite: "Strict",
    },
  ]);
  return page;
}

/** What the page says in its banners and toasts, to explain a failed wait. */
export async function pageMessages(page: Page): Promise<string> {
  const texts = await page
    .locator('[role="alert"], offline-banner .bar, error-toast .toast, [data-testid="problem"]')
    .allInnerTexts()
    .catch(() => []);
  const clean = texts.map((t) => t.trim()).filter(Boolean);
  return clean.length ? clean.join(" | ") : "(no banner or alert)";
}

/** The id of the focused element, looking through shadow roots (keyboard tests). */
export function focusedId(page: Page): Promise<string> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el?.id ?? "";
  });
}

/** Waits for `locator` to be visible; on timeout fails naming `what` and quoting the page's messages. */
export async function waitVisible(page: Page, locator: Locator, what: string, timeout = 10_000): Promise<void> {
  try {
    await locator.first().waitFor({ state: "visible", timeout });
  } catch {
    throw new Error(`${what}: not visible within ${timeout} ms — the page says: ${await pageMessages(page)}`);
  }
}

export interface ScreenshotOptions {
  /** Also refresh `docs/screenshots/<name>.png` with this shot, when the run asks for it (`npm run screenshots`). */
  docs?: boolean;
  /** Dismiss toasts first so the screen itself shows (default true). */
  dismissToasts?: boolean;
  fullPage?: boolean;
}

/** Saves `test-results/<name>.png` (and the docs copy under `npm run screenshots`); returns the result path. */
export async function screenshot(page: Page, name: string, options: ScreenshotOptions = {}): Promise<string> {
  if (options.dismissToasts !== false) {
    const dismiss = page.locator("error-toast").getByRole("button", { name: "Dismiss message" });
    // Behind a modal dialog toasts are inert: leave them rather than wait.
    for (let n = await dismiss.count(); n > 0; n--)
      if (
        !(await dismiss
          .first()
          .click({ timeout: 1_000 })
          .then(
            () => true,
            () => false,
          ))
      )
        break;
  }
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, animations: "disabled", fullPage: options.fullPage ?? false });
  if (options.docs && WRITE_DOCS_SCREENSHOTS) {
    mkdirSync(DOCS_SCREENSHOTS_DIR, { recursive: true });
    copyFileSync(path, join(DOCS_SCREENSHOTS_DIR, `${name}.png`));
  }
  return path;
}

export { ensureBuilt } from "../../scripts/ensureBuilt.js";
