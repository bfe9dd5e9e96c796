import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/globalSetup.ts"],
    // The default output, plus one line saying how many tests skipped for a missing service, and why.
    reporters: ["default", "./test/support/skipSummary.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "silent" },
  },
});
