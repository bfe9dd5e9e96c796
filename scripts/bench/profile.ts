/**
 * Summarises the V8 CPU profile(s) a `--cpu-prof` server wrote: self time by function and by
 * package/area, and the heaviest call path; and, for a measured window, CPU per answer by layer.
 * Also runnable alone: `node --import tsx scripts/bench/profile.ts <dir|file> [answers]`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { ProfileRef } from "./lib/report.js";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: Node[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const repo = new URL("../../", import.meta.url).pathname;

function area(url: string): string {
  const path = url.replace(/^file:\/\//, "");
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (nm) return nm[1]!;
  if (path.startsWith(repo)) return path.slice(repo.length).split("/").slice(0, 2).join("/");
  return path.startsWith("node:") ? "node internals" : path || "(native/V8)";
}

const label = (n: Node) =>
  `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url.replace(/^file:\/\//, "").replace(repo, "")}:${n.callFrame.lineNumber + 1}`;

/** The profiles in `path` (a directory or one file), main thread first (one file per thread; the main thread's is the largest). */
function profileFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  const files = statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((f) => f.endsWith(".cpuprofile"))
        .map((f) => join(path, f))
    : [path];
  return files.sort((a, b) => statSync(b).size - statSync(a).size);
}

/** Text summary of the main thread's .cpuprofile in `path` (a directory or one file), within `window` (µs, the profile's clock) if given. */
export function summarizeProfile(path: string, top = 15, window?: { fromUs: number; toUs: number }): string {
  const [main, ...rest] = profileFiles(path);
  if (!main) return `no .cpuprofile in ${path}`;
  return [summarizeOne(main, top, window), ...rest.map((f) => `(also written, not summarised: ${f})`)].join("\n");
}

/** Samples per node id, counting only samples taken within `window` (all of them without one). */
function hitsIn(p: Profile, window?: { fromUs: number; toUs: number }): Map<number, number> {
  const hits = new Map<number, number>();
  let t = p.startTime;
  p.samples.forEach((id, i) => {
    t += p.timeDeltas[i] ?? 0;
    if (!window || (t >= window.fromUs && t <= window.toUs)) hits.set(id, (hits.get(id) ?? 0) + 1);
  });
  return hits;
}

/**
 * CPU per answer by layer in the window [fromUs, toUs]: each layer's share of the profile's busy samples times
 * the main thread's measured CPU time (samples are wall-clock ticks, so on a loaded machine they also count time
 * the thread was runnable but off the CPU; the shares stay right, the sum would not). A frame in a file of a
 * layer counts for that layer; a frame of no layer (zod, node internals, native code) is charged to the nearest
 * caller that has one, else to "gc/other" (garbage collection, async continuations with no caller on the stack).
 */
export function layersPerAnswer(ref: ProfileRef, topPerLayer = 2): string {
  const [file] = profileFiles(ref.dir);
  if (!file) return `CPU per answer by layer, ${ref.label}: no .cpuprofile in ${ref.dir}`;
  const p = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const layerOf = new Map<number, string>();
  const walk = (n: Node, inherited: string) => {
    const own = n.callFrame.url ? layerOfUrl(n.callFrame.url) : null;
    layerOf.set(n.id, own ?? inherited);
    for (const c of n.children ?? []) walk(byId.get(c)!, own ?? inherited);
  };
  walk(p.nodes[0]!, "gc/other");
  const us = new Map<string, number>();
  const fns = new Map<string, Map<string, number>>();
  let t = p.startTime;
  let idle = 0;
  p.samples.forEach((id, i) => {
    t += p.timeDeltas[i] ?? 0;
    if (t < ref.fromUs || t > ref.toUs) return;
    const dt = p.timeDeltas[i + 1] ?? 0;
    const n = byId.get(id)!;
    if (n.callFrame.functionName === "(idle)") return void (idle += dt);
    const layer = layerOf.get(id)!;
    us.set(layer, (us.get(layer) ?? 0) + dt);
    const perFn = fns.get(layer) ?? new Map<string, number>();
    fns.set(layer, perFn.set(label(n), (perFn.get(label(n)) ?? 0) + dt));
  });
  const busy = [...us.values()].reduce((a, b) => a + b, 0);
  const cpuMs = Number.isFinite(ref.mainThreadCpuMs) ? ref.mainThreadCpuMs : busy / 1000;
  const ms = (x: number) => ((x / Math.max(1, busy)) * (cpuMs / ref.answers)).toFixed(3).padStart(7);
  const lines = Layers.map(([name]) => name)
    .concat("gc/other")
    .filter((name, i, all) => all.indexOf(name) === i)
    .map((name) => {
      const top = [...(fns.get(name) ?? [])].sort((a, b) => b[1] - a[1]).slice(0, topPerLayer);
      const share = `${(((us.get(name) ?? 0) / Math.max(1, busy)) * 100).toFixed(0).padStart(3)} %`;
      return `  ${name.padEnd(12)} ${ms(us.get(name) ?? 0)} ms  ${share}  ${top.map(([f, x]) => `${f} ${((x / Math.max(1, busy)) * 100).toFixed(1)}%`).join("; ")}`;
    });
  return [
    `CPU per answer by layer, ${ref.label} (profiled run; ${ref.answers.toLocaleString("en-US")} answers; window ${((ref.toUs - ref.fromUs) / 1e6).toFixed(1)} s, ` +
      `samples busy ${(busy / 1e6).toFixed(2)} s, idle ${(idle / 1e6).toFixed(2)} s; ${Number.isFinite(ref.mainThreadCpuMs) ? "main thread on a CPU" : "main thread CPU not measured, sample time used:"} ${(cpuMs / 1000).toFixed(2)} s = ${(cpuMs / ref.answers).toFixed(3)} ms per answer` +
      `${Number.isFinite(ref.processCpuMs) ? `; other threads of the process (GC helpers, libuv pool) ${((ref.processCpuMs - cpuMs) / ref.answers).toFixed(3)} ms per answer` : ""}):`,
    "  layer        ms/answer  share  heaviest functions (self time, share of busy)",
    ...lines,
  ].join("\n");
}

/** File path → layer, first match wins; null = no layer of its own (charged to its caller). */
const Layers: [string, RegExp][] = [
  ["bench probe", /scripts\/bench\/lib\/(serverProbe|allocProbe)/],
  ["fan-out", /\/rooms\/viewStream|\/domain\/protocol\/patch|\/domain\/views\/|[Bb]roadcaster|\/server\/roomsRuntime/],
  [
    "transport",
    /node_modules\/(socket\.io[^/]*|engine\.io[^/]*|uWebSockets\.js|ws|@socket\.io\/[^/]+)\/|\/server\/http\/|\/server\/realtime\/socketProtocol/,
  ],
  ["auth/limits", /node_modules\/jose\/|\/server\/auth|\/server\/realtime\/access|\/server\/cluster\/(rateLimit|redisRateLimits)/],
  [
    "routing",
    /\/rooms\/(RoomRouter|coordination|RoomRegistry|keys)|\/server\/cluster\/|node_modules\/(@redis\/[^/]+|redis)\/|\/scripts\/bench\/baseline\/server/,
  ],
  ["actor", /\/rooms\//],
  ["persistence", /node_modules\/(@mikro-orm\/[^/]+|knex|pg|pg-[^/]+|postgres-[^/]+)\/|\/server\/(persistence|db|audit)\//],
  ["domain", /\/domain\/|\/scripts\/bench\/baseline\/rules/],
];

/** The layer a profiled frame's file belongs to; null when it has none of its own. */
export function layerOfUrl(url: string): string | null {
  for (const [name, re] of Layers) if (re.test(url)) return name;
  return null;
}

function summarizeOne(file: string, top: number, window?: { fromUs: number; toUs: number }): string {
  const p = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const msPerSample = (p.endTime - p.startTime) / 1000 / Math.max(1, p.samples.length);
  const counted = hitsIn(p, window);
  for (const n of p.nodes) n.hitCount = counted.get(n.id) ?? 0;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const total = [...counted.values()].reduce((a, b) => a + b, 0);
  const idle = p.nodes.filter((n) => n.callFrame.functionName === "(idle)").reduce((s, n) => s + (n.hitCount ?? 0), 0);
  const bySelf = new Map<string, number>();
  const byArea = new Map<string, number>();
  for (const n of p.nodes) {
    const hits = n.hitCount ?? 0;
    if (!hits || n.callFrame.functionName === "(idle)") continue;
    bySelf.set(label(n), (bySelf.get(label(n)) ?? 0) + hits);
    const a = n.callFrame.url ? area(n.callFrame.url) : n.callFrame.functionName;
    byArea.set(a, (byArea.get(a) ?? 0) + hits);
  }
  const parent = new Map<number, Node>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n);
  const mine = (n: Node) => /^file:\/\/.*\/(server|rooms|domain)\//.test(n.callFrame.url) && !n.callFrame.url.includes("node_modules");
  const byOwner = new Map<string, number>();
  for (const n of p.nodes) {
    const hits = n.hitCount ?? 0;
    if (!hits || n.callFrame.functionName === "(idle)") continue;
    let owner: Node | undefined = n;
    while (owner && !mine(owner)) owner = parent.get(owner.id);
    const key = owner ? label(owner) : "(no Spotter frame on the stack: async continuations, I/O, GC)";
    byOwner.set(key, (byOwner.get(key) ?? 0) + hits);
  }
  const inclusive = new Map<number, number>();
  const incl = (id: number): number => {
    const n = byId.get(id)!;
    const v = (n.hitCount ?? 0) + (n.children ?? []).reduce((s, c) => s + incl(c), 0);
    inclusive.set(id, v);
    return v;
  };
  incl(p.nodes[0]!.id);
  const path: string[] = [];
  for (let n: Node | undefined = p.nodes[0]; n;) {
    const kids: Node[] = (n.children ?? [])
      .map((c) => byId.get(c)!)
      .filter((k) => !["(idle)", "(program)", "(garbage collector)"].includes(k.callFrame.functionName));
    n = kids.sort((a, b) => inclusive.get(b.id)! - inclusive.get(a.id)!)[0];
    if (n && inclusive.get(n.id)! > 0) path.push(`${((inclusive.get(n.id)! / (total - idle)) * 100).toFixed(1)}% ${label(n)}`);
  }
  const busy = total - idle;
  const pctOf = (h: number) => `${((h / busy) * 100).toFixed(1).padStart(5)}%`;
  const rank = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, h]) => `  ${pctOf(h)}  ${k}`);
  return [
    `CPU profile ${file}${window ? " (measured window only)" : ""}: ${((busy * msPerSample) / 1000).toFixed(1)} s busy of ${((total * msPerSample) / 1000).toFixed(1)} s sampled`,
    "Self time by package/area (share of busy time):",
    ...rank(byArea).slice(0, 12),
    "Self time by function:",
    ...rank(bySelf),
    "Busy time by the nearest Spotter function on the stack (library time charged to its caller):",
    ...rank(byOwner),
    "Heaviest path (inclusive share of busy time):",
    ...path.slice(0, 40).map((l) => `  ${l}`),
  ].join("\n");
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!) && process.argv[2]) {
  console.log(summarizeProfile(process.argv[2]));
  // Alone, the window is the whole profile: per answer only means something with the answers of that life.
  const [file] = profileFiles(process.argv[2]);
  if (file && process.argv[3]) {
    const p = JSON.parse(readFileSync(file, "utf8")) as Profile;
    const whole = {
      label: file,
      dir: process.argv[2],
      fromUs: p.startTime,
      toUs: p.endTime,
      answers: Number(process.argv[3]),
      mainThreadCpuMs: NaN,
      processCpuMs: NaN,
    };
    console.log(`\n${layersPerAnswer(whole)}`);
  }
}
