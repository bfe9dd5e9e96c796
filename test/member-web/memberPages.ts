/** Page helpers for the member-app browser tests, on top of test/support/browser.ts. */
import type { Browser, Locator, Page } from "playwright-core";
import { openPage, screenshot as saveScreenshot } from "../support/browser.js";

export const VIEWPORT = { width: 360, height: 740 };

/** Opens the member app at 360×740 in a fresh context, signed in with `token` through the `#token=` link the server prints. */
export function openApp(browser: Browser, baseUrl: string, token: string | null): Promise<Page> {
  return openPage(browser, token ? `${baseUrl}/#token=${token}` : `${baseUrl}/`, { viewport: VIEWPORT });
}

/** The schedule card of a class (its type name is unique per test run). */
export function card(page: Page, className: string): Locator {
  return page.locator(`member-session-card article[aria-label^="${className} at"]`);
}

/** Saves `test-results/member-<name>.png` (and `docs/screenshots/member-<name>.png` under `npm run screenshots`); toasts dismissed first unless told. */
export async function screenshot(page: Page, name: string, { dismissToasts = true } = {}): Promise<void> {
  // Best effort: a toast may fade on its own meanwhile, and a modal dialog makes the page behind it inert.
  const dismiss = page.locator("error-toast").getByRole("button", { name: "Dismiss message" });
  const skip = !dismissToasts || (await page.locator("dialog[open]").count()) > 0;
  for (let i = 0; !skip && i < 6 && (await dismiss.count()) > 0; i++)
    await dismiss
      .first()
      .click({ timeout: 500 })
      .catch(() => undefined);
  await saveScreenshot(page, `member-${name}`, { docs: true, dismissToasts: false });
}

/**
 * In-page latency probes: the page's own clock when something happens, so a measured delay is the
 * app's (socket → render), not Playwright's polling. Pages of one browser share the machine clock.
 */
export type Probe = "capacity" | "mine" | "notice";

/** Resolves with Date.now() in `page` once the probe's element (deep in shadow roots) contains `text`. */
export function timeWhenShown(page: Page, probe: Probe, className: string, text: string, timeoutMs = 5_000): Promise<number> {
  return page.evaluate(
    ({ probe, className, text, timeoutMs }) =>
      new Promise<number>((resolve, reject) => {
        const all = (root: Document | ShadowRoot, selector: string): Element[] => {
          const found = [...root.querySelectorAll(selector)];
          for (const el of root.querySelectorAll("*")) if (el.shadowRoot) found.push(...all(el.shadowRoot, selector));
          return found;
        };
        const shown = () => {
          if (probe === "notice") return all(document, '[data-testid="notice"]').some((n) => n.textContent?.includes(text));
          return all(document, `article[aria-label^="${className} at"] [data-testid="${probe}"]`).some((n) =>
            n.textContent?.includes(text),
          );
        };
        const started = Date.now();
        const poll = setInterval(() => {
          if (shown()) {
            clearInterval(poll);
            resolve(Date.now());
          } else if (Date.now() - started > timeoutMs) {
            clearInterval(poll);
            reject(new Error(`"${text}" (${probe}) not shown within ${timeoutMs} ms`));
          }
        }, 5);
      }),
    { probe, className, text, timeoutMs },
  );
}

/** Arms a clock that records Date.now() in `page` at the next click; read it with {@link tappedAt}. */
export async function armTapClock(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __tappedAt?: number };
    w.__tappedAt = 0;
    addEventListener("click", () => (w.__tappedAt = Date.now()), { capture: true, once: true });
  });
}

export function tappedAt(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __tappedAt?: number }).__tappedAt ?? 0);
}
