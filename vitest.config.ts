import { readdirSync } from "node:fs";
import { join } from "node:path";
import { defineConfig } from "vitest/config";
import { lanesOf } from "./test/support/lanes.js";
import { LaneSequencer } from "./test/support/laneSequencer.js";

/**
 * Test files that start Chromium or use Redis run in lanes (test/support/lanes.ts): one file at a time per lane,
 * the Chromium lane beside the Redis lane — Redis channels and leases are shared by every process on the machine,
 * and a browser needs a core of its own. The rest (each on its own database, its own ports and temp folders) run
 * two at a time, first.
 */
const testFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith(".test.ts") ? [join(dir, e.name)] : [],
  );
const laned = testFiles("test").filter((f) => lanesOf(f).length > 0);

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
    sequence: { sequencer: LaneSequencer },
    projects: [
      {
        extends: true,
        test: { name: "two at a time", include: ["test/**/*.test.ts"], exclude: laned, maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        // Two workers, one per lane; laneLock.ts makes a file wait for its lane.
        test: {
          name: "one per lane",
          include: laned,
          setupFiles: ["test/support/laneLock.ts"],
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
