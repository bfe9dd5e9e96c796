import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";
import { firstLoadBudget } from "./scripts/firstLoadBudget.js";

const root = fileURLToPath(new URL(".", import.meta.url));

/** The installable app (PWA): its manifest and icon at fixed paths beside the service worker. */
function webManifest(): Plugin {
  const manifest = {
    name: "Spotter",
    short_name: "Spotter",
    description: "Book classes, join waitlists and check in at your gym — live.",
    start_url: "/",
    scope: "/",
    display: "standalone",
    background_color: "#f3f5f7",
    theme_color: "#127a52",
    icons: [{ src: "/icon.svg", sizes: "any", type: "image/svg+xml", purpose: "any" }],
  };
  return {
    name: "spotter-web-manifest",
    generateBundle() {
      this.emitFile({ type: "asset", fileName: "manifest.webmanifest", source: JSON.stringify(manifest, null, 2) });
      this.emitFile({ type: "asset", fileName: "icon.svg", source: readFileSync(new URL("./src/favicon.svg", import.meta.url)) });
    },
  };
}

/** The member app: served by Spotter at `/`, built to `member-web/dist`. */
export default defineConfig({
  root,
  base: "/",
  publicDir: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    rollupOptions: {
      // The service worker is its own entry at a fixed path (its scope is the whole app).
      input: { main: fileURLToPath(new URL("./index.html", import.meta.url)), sw: fileURLToPath(new URL("./src/sw.ts", import.meta.url)) },
      output: { entryFileNames: (chunk) => (chunk.name === "sw" ? "sw.js" : "assets/[name]-[hash].js") },
    },
  },
  server: {
    // `npm start` serves the API on :3000; the dev server proxies the socket there.
    proxy: { "/socket.io": { target: "http://127.0.0.1:3000", ws: true } },
  },
  plugins: [firstLoadBudget({ maxGzipBytes: 150 * 1024 }), webManifest()],
});
