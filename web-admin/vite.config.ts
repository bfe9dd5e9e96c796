import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

/** The staff app: served by Spotter at `/admin/` (front desk at `/admin/desk`), built to `web-admin/dist`. */
export default defineConfig({
  root,
  base: "/admin/",
  // public/sw.js: the service worker that keeps the app shell (the desk opens offline), copied as is to dist/sw.js.
  publicDir: "public",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
  },
  server: {
    // `npm start` serves the API on :3000; the dev server proxies the socket and CSV routes there.
    proxy: {
      "/socket.io": { target: "http://127.0.0.1:3000", ws: true },
      "/api": { target: "http://127.0.0.1:3000" },
    },
  },
});
