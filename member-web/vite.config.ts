import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { firstLoadBudget } from "./scripts/firstLoadBudget.js";

const root = fileURLToPath(new URL(".", import.meta.url));

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
  },
  server: {
    // `npm start` serves the API on :3000; the dev server proxies the socket there.
    proxy: { "/socket.io": { target: "http://127.0.0.1:3000", ws: true } },
  },
  plugins: [firstLoadBudget({ maxGzipBytes: 150 * 1024 })],
});
