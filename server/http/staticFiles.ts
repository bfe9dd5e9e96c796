import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { extname, join, relative } from "node:path";
import type { HttpHandler } from "./router.js";
import { APP_CSP } from "./securityHeaders.js";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".map": "application/json",
  ".txt": "text/plain; charset=utf-8",
};

interface StaticFile {
  body: Uint8Array;
  type: string;
  etag: string;
  immutable: boolean;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

export interface StaticOptions {
  /** Serve the `.map` files Vite writes (development only: they publish the original sources). */
  sourceMaps: boolean;
}

/**
 * Serves a built single-page app from memory under `mount`: hashed assets are cached for a year,
 * index.html is revalidated (ETag), and unknown paths fall back to index.html for client routing.
 * Pages carry the app's content security policy.
 */
export function staticApp(distDir: string, mount: string, options: StaticOptions): HttpHandler {
  const files = new Map<string, StaticFile>();
  if (existsSync(distDir)) {
    for (const path of walk(distDir)) {
      if (!options.sourceMaps && extname(path) === ".map") continue;
      const body = readFileSync(path);
      const rel = `/${relative(distDir, path).split("\\").join("/")}`;
      files.set(rel, {
        body,
        type: TYPES[extname(path)] ?? "application/octet-stream",
        etag: `"${createHash("sha1").update(body).digest("base64url").slice(0, 16)}"`,
        immutable: rel.startsWith("/assets/"),
      });
    }
  }
  return (req) => {
    const sub = req.path.slice(mount.length) || "/";
    const file = files.get(sub === "/" ? "/index.html" : sub) ?? (extname(sub) ? undefined : files.get("/index.html"));
    if (!file) {
      return files.size === 0
        ? { status: 503, headers: { "content-type": "text/plain" }, body: "The web apps are not built yet: run `npm run build`." }
        : { status: 404, headers: { "content-type": "text/plain" }, body: "Not found" };
    }
    const headers: Record<string, string> = {
      "content-type": file.type,
      etag: file.etag,
      "cache-control": file.immutable ? "public, max-age=31536000, immutable" : "no-cache",
    };
    // A service worker runs under its script's policy: the data policy ("default-src 'none'") would forbid its fetches.
    if (file.type.startsWith("text/html") || sub === "/sw.js") headers["content-security-policy"] = APP_CSP;
    if (req.headers["if-none-match"] === file.etag) return { status: 304, headers };
    return { status: 200, headers, body: file.body };
  };
}
