/**
 * One line for the whole run about what did not run here: suites whose service is missing (`requirePostgres`,
 * `requireRedis` in scripts/lib/services.ts) record why in the run's skip file instead of warning per file, and
 * this reporter prints how many tests that skipped and why, e.g.
 * `[skip] 131 tests in 14 files need services this machine lacks: Redis (TEST_REDIS_URL is not set) 12 files, …`.
 * Suites that can run on the embedded PGlite run there instead (`postgresOrPglite`).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Reporter, TestModule } from "vitest/node";

interface Skip {
  file: string;
  what: string;
  reason: string;
}

export default class SkipSummary implements Reporter {
  private readonly dir = mkdtempSync(join(tmpdir(), "spotter-skips-"));
  private readonly file = join(this.dir, "skips.jsonl");

  onInit(): void {
    writeFileSync(this.file, "");
    // Test workers are started after this and inherit it.
    process.env.SPOTTER_SKIPS = this.file;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const skips = readFileSync(this.file, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Skip);
    rmSync(this.dir, { recursive: true, force: true });
    if (skips.length === 0) return;
    const files = new Set(skips.map((s) => s.file));
    let tests = 0;
    for (const m of modules) if (files.has(m.relativeModuleId)) tests += [...m.children.allTests("skipped")].length;
    // A file that needs two services counts under each.
    const why = new Map<string, Set<string>>();
    for (const s of skips) why.set(`${s.what} (${s.reason})`, (why.get(`${s.what} (${s.reason})`) ?? new Set()).add(s.file));
    const reasons = [...why].map(([reason, { size }]) => `${reason} ${size} file${size === 1 ? "" : "s"}`).join(", ");
    const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
    console.log(`\n[skip] ${count(tests, "test")} in ${count(files.size, "file")} need services this machine lacks: ${reasons}`);
  }
}
