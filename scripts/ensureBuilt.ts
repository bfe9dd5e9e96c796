/**
 * Builds the web apps with Vite when a dist is missing or older than its sources, so `npm start` on a
 * fresh clone serves the apps (the server reads dist once at start-up) and tests never run a stale bundle.
 *   node --import tsx scripts/ensureBuilt.ts   (run by `npm start` before the server)
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir).reduce((max, name) => {
    const path = join(dir, name);
    const st = statSync(path);
    return Math.max(max, st.isDirectory() ? newestMtime(path) : st.mtimeMs);
  }, 0);
}

/** Builds one app if its dist is older than its own sources, the shared web kit (web/shared) or domain/. */
export async function ensureBuilt(app: "web-admin" | "member-web"): Promise<void> {
  const index = join(app, "dist", "index.html");
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  const publicDir = join(app, "public"); // copied as is (web-admin/public/sw.js)
  const sources = Math.max(
    newestMtime(join(app, "src")),
    newestMtime(join("web", "shared")),
    newestMtime("domain"),
    statSync(join(app, "index.html")).mtimeMs,
    existsSync(publicDir) ? newestMtime(publicDir) : 0,
  );
  if (built >= sources) return;
  const { build } = await import("vite");
  await build({ configFile: join(app, "vite.config.ts"), logLevel: "warn" });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await ensureBuilt("web-admin");
  await ensureBuilt("member-web");
}
