/**
 * 6. Leaderboard: runs the domain helper `scripts/bench/leaderboard.ts` (when this checkout has it)
 * on the server core and reads its medians. Baseline, same process and run: a plain array sorted once
 * (rebuild) and re-sorted after every score change (update) — the ordinary way to keep a board.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runToExit, serverEnv } from "../../lib/serverProcess.js";
import type { BenchContext } from "../lib/context.js";
import { pinned } from "../lib/procs.js";
import type { Outcome } from "../lib/report.js";

const helper = fileURLToPath(new URL("../leaderboard.ts", import.meta.url));

export async function leaderboard(ctx: BenchContext): Promise<Outcome> {
  if (!existsSync(helper)) return { figures: [], checks: [] };
  const members = 50_000;
  const command = pinned(ctx.serverCpus, [
    process.execPath,
    "--import",
    "tsx",
    helper,
    "--members",
    String(members),
    "--updates",
    "10000",
    "--runs",
    ctx.quick ? "3" : "7",
  ]);
  const exit = await runToExit(command, serverEnv({}), 300_000);
  const rebuild = /full rebuild:\s+([\d.]+) ms/.exec(exit.stdout);
  const update = /incremental update:\s+([\d.]+) µs/.exec(exit.stdout);
  const sorted = /baseline sort:\s+([\d.]+) ms/.exec(exit.stdout);
  const resort = /baseline re-sort update:\s+([\d.]+) µs/.exec(exit.stdout);
  const scenario = "6 leaderboard";
  const against = "a plain array: Array.sort once for a rebuild, re-sorted after every score change (same process, same run)";
  return {
    figures: [
      ...(rebuild
        ? [
            {
              scenario,
              metric: `full rebuild of ${members.toLocaleString("en-US")} members`,
              value: Number(rebuild[1]),
              unit: "ms",
              baseline: sorted ? Number(sorted[1]) : null,
              against,
              target: { op: "<" as const, value: 1_000, on: "value" as const },
            },
          ]
        : []),
      ...(update
        ? [
            {
              scenario,
              metric: "incremental update",
              value: Number(update[1]),
              unit: "µs",
              baseline: resort ? Number(resort[1]) : null,
              against,
              target: { op: "<" as const, value: 50, on: "value" as const },
            },
          ]
        : []),
    ],
    checks: [
      {
        scenario,
        name: "incremental order equals a rebuild; rebuilds agree",
        ok: exit.code === 0 && rebuild !== null && update !== null,
        detail: exit.code === 0 ? "helper agreed" : `helper exited ${exit.code}: ${(exit.stdout + exit.stderr).slice(-300)}`,
      },
    ],
  };
}
