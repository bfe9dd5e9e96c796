/**
 * The set-up several staff-app browser tests share: the demo gym on a test server, one Chromium, and the staff app's
 * address signed in as someone (`#token=`). Call once at the top of a test file; it registers its own hooks.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { signToken } from "../../server/auth.js";
import { ensureBuilt, launchBrowser } from "../support/browser.js";
import { startTestServer, type TestServer } from "../support/services.js";

export interface DemoStaffApp {
  readonly server: TestServer["server"];
  readonly browser: Browser;
  /** The staff app at `path`, signed in as `userId` for 15 minutes. */
  url(path: string, userId: string): Promise<string>;
}

export function demoStaffApp(): DemoStaffApp {
  let t: TestServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    await ensureBuilt("web-admin");
    t = await startTestServer({ SEED_DEMO: "true" });
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.cleanup();
  });
  return {
    get server() {
      return t!.server;
    },
    get browser() {
      return browser!;
    },
    url: async (path, userId) => `${t!.server.url}/admin${path}#token=${await signToken(t!.server.jwtSecret!, userId, 900)}`,
  };
}
