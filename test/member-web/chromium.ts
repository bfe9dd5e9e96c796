/**
 * Debian chromium driven by playwright-core, for the member-app tests (until test/support/browser.ts lands).
 * `chromium.launch` gives every browser a fresh temporary --user-data-dir of its own and removes it on close.
 * Fails fast with the install command when chromium is missing.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

const EXECUTABLE = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(EXECUTABLE)) throw new Error(`chromium not found at ${EXECUTABLE}: run \`apt-get install -y chromium\` (or set CHROMIUM_PATH)`);
  return chromium.launch({ executablePath: EXECUTABLE, args: ARGS, timeout: 30_000 });
}
