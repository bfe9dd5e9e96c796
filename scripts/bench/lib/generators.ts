/**
 * Keeps the load generator out of the result: measures each generator process's CPU over the measured
 * window, marks a run generator-bound when one process passed 70 % of a core or all of them together passed
 * 70 % of the client cores, and gives that scenario more processes in its next runs (more processes only help
 * while the client cores have room; when they are full, the figure stays marked and the log says so).
 */
import { availableParallelism } from "node:os";
import type { BenchContext } from "./context.js";
import { clock } from "./seeded.js";
import type { Worker } from "./rpc.js";

export const GeneratorLimit = 0.7;
const MaxProcesses = 16;
const counts = new Map<string, number>();

/** How many generator processes `scenario` uses now (starts at `initial`, grows after a bound run). */
export function generatorCount(scenario: string, initial: number): number {
  return counts.get(scenario) ?? initial;
}

/** Cores the load generators may use (the taskset list, or every core when not pinned). */
export function clientCores(ctx: BenchContext): number {
  if (ctx.clientCpus === undefined) return availableParallelism();
  return ctx.clientCpus.split(",").reduce((n, part) => {
    const [a, b] = part.split("-").map(Number);
    return n + (b === undefined ? 1 : b! - a! + 1);
  }, 0);
}

export interface GeneratorLoad {
  processes: number;
  /** The busiest process's CPU as a share of one core over the window. */
  busiest: number;
  /** All processes together as a share of the client cores. */
  share: number;
  bound: boolean;
}

/** Measures `workers` from the clock time `from` (e.g. the storm's "go"); call the result at the end of the window. */
export function measureGenerators(ctx: BenchContext, scenario: string, workers: Worker[], from = clock()): () => GeneratorLoad {
  let t0 = clock();
  let cpu0 = workers.map((w) => w.cpuSeconds());
  const timer = setTimeout(
    () => {
      t0 = clock();
      cpu0 = workers.map((w) => w.cpuSeconds());
    },
    Math.max(0, from - clock()),
  );
  return () => {
    clearTimeout(timer);
    const wall = (clock() - t0) / 1000;
    const used = workers.map((w, i) => w.cpuSeconds() - cpu0[i]!);
    const busiest = Math.max(...used) / wall;
    const share = used.reduce((a, b) => a + b, 0) / wall / clientCores(ctx);
    const bound = busiest > GeneratorLimit || share > GeneratorLimit;
    const load = { processes: workers.length, busiest, share, bound };
    const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
    ctx.log(
      `${scenario}: load generator ${workers.length} processes, busiest ${pct(busiest)} of a core, all ${pct(share)} of ${clientCores(ctx)} client core(s)${bound ? " — GENERATOR-BOUND" : ""}`,
    );
    if (busiest > GeneratorLimit && share <= GeneratorLimit && workers.length < MaxProcesses) {
      counts.set(scenario, Math.min(MaxProcesses, workers.length * 2));
      ctx.log(`${scenario}: next runs split the load over ${counts.get(scenario)} generator processes`);
    } else if (share > GeneratorLimit) {
      ctx.log(`${scenario}: the client cores are full; more generator processes would not help (give --pin more client cores)`);
    }
    return load;
  };
}
