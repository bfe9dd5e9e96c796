/**
 * Preloaded into a server under measurement only (`--import <this file>`, with `--expose-gc`): on SIGPWR it
 * appends one JSON line to MEM_PROBE_FILE with process.memoryUsage() and V8's heap spaces, then the same after
 * a full GC. Never part of a production start; bench scripts add it to the command line themselves.
 */
import { appendFileSync } from "node:fs";
import { getHeapSpaceStatistics } from "node:v8";

const file = process.env.MEM_PROBE_FILE;
const stats = () => ({
  ...process.memoryUsage(),
  spaces: Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, { size: s.space_size, used: s.space_used_size }])),
});

if (file) {
  process.on("SIGPWR", () => {
    const before = stats();
    (globalThis as { gc?: () => void }).gc?.();
    appendFileSync(file, `${JSON.stringify({ at: Date.now(), before, afterGc: stats() })}\n`);
  });
}
