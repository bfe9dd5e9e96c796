/**
 * 12. Gym deltas: runs `scripts/bench/gymDelta.ts` on the server core — per-booking CPU in one gym room
 * as its schedule window grows from 50 to 500 sessions, watched and unwatched. Baseline, same process
 * and run: the old path (copy the schedule, project both whole views, diff them). Target: flat.
 */
import { fileURLToPath } from "node:url";
import { runToExit, serverEnv } from "../../lib/serverProcess.js";
import type { BenchContext } from "../lib/context.js";
import { pinned } from "../lib/procs.js";
import type { Figure, Outcome } from "../lib/report.js";

const helper = fileURLToPath(new URL("../gymDelta.ts", import.meta.url));

export async function gymDelta(ctx: BenchContext): Promise<Outcome> {
  const sizes = [50, 500];
  const args = ["--sessions", sizes.join(","), "--notes", ctx.quick ? "1000" : "3000", "--runs", ctx.quick ? "3" : "5"];
  const exit = await runToExit(pinned(ctx.serverCpus, [process.execPath, "--import", "tsx", helper, ...args]), serverEnv({}), 300_000);
  const read = (n: number, what: string) => {
    const m = new RegExp(`sessions ${n} ${what}: ([\\d.]+) µs`).exec(exit.stdout);
    return m ? Number(m[1]) : null;
  };
  const scenario = "12 gym deltas";
  const against = "the old path in the same process: copy the schedule record, project both whole views, diff them";
  const figures: Figure[] = [];
  for (const n of sizes) {
    const watched = read(n, "watched");
    const unwatched = read(n, "unwatched");
    const baseline = read(n, "baseline whole-view diff");
    if (watched !== null)
      figures.push({ scenario, metric: `CPU per booking, ${n} sessions, watched`, value: watched, unit: "µs", baseline, against });
    if (unwatched !== null)
      figures.push({ scenario, metric: `CPU per booking, ${n} sessions, nobody watching`, value: unwatched, unit: "µs", baseline });
  }
  const small = read(sizes[0]!, "watched");
  const large = read(sizes[1]!, "watched");
  if (small !== null && large !== null)
    figures.push({
      scenario,
      metric: `growth ${sizes[0]} → ${sizes[1]} sessions (watched, ×)`,
      value: large / small,
      unit: "×",
      baseline: null,
      target: { op: "<=", value: 1.5, on: "value" },
    });
  return {
    figures,
    checks: [
      {
        scenario,
        name: "a watcher applying every delta holds what a fresh join shows",
        ok: exit.code === 0 && /deltas agree with a fresh join/.test(exit.stdout),
        detail: exit.code === 0 ? "helper agreed" : `helper exited ${exit.code}: ${(exit.stdout + exit.stderr).slice(-300)}`,
      },
    ],
  };
}
