import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

/**
 * Test files that start Chromium or use Redis run one at a time: Redis channels and leases are shared by every
 * process on the machine, and a browser needs a core of its own. The rest (each on its own database, its own
 * ports and temp folders) run two at a time.
 */
const ONE_AT_A_TIME = /support\/browser|support\/cluster|requireRedis|TEST_REDIS_URL/;
const testFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith(".test.ts") ? [join(dir, e.name)] : [],
  );
const serial = testFiles("test").filter((f) => ONE_AT_A_TIME.test(readFileSync(f, "utf8")));
/**
 * Files that read process-wide state the others change (Node's promise hooks: any file's AsyncLocalStorage keeps them
 * on) run in a worker of their own: the shared workers below would make them pass or fail by the order of files.
 */
const ISOLATED = ["test/server/asyncContextGate.test.ts"];

export default defineConfig({
  test: {
    globalSetup: ["test/support/globalSetup.ts"],
    // The default output, plus one line saying how many tests skipped for a missing service, and why.
    reporters: ["default", "./test/support/skipSummary.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "silent" },
    projects: [
      {
        extends: true,
        // Not isolated: a worker imports the server's modules once for all its files, not once per file (measured
        // 2026-12-07: these files in 322 s, imports 24 s, against imports of ~700 s summed when each file had its own).
        // A file must leave no global behind (fake timers restored, env untouched); the Chromium/Redis files below stay isolated.
        test: {
          name: "two at a time",
          include: ["test/**/*.test.ts"],
          exclude: [...serial, ...ISOLATED],
          maxWorkers: 2,
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      { extends: true, test: { name: "isolated", include: ISOLATED, maxWorkers: 1, sequence: { groupOrder: 1 } } },
      { extends: true, test: { name: "one at a time", include: serial, maxWorkers: 1, sequence: { groupOrder: 2 } } },
    ],
  },
});
