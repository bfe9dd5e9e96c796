/**
 * Summarises the V8 CPU profile(s) a `--cpu-prof` server wrote: self time by function and by
 * package/area, and the heaviest call path. Also runnable alone: `node --import tsx scripts/bench/profile.ts <dir|file>`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

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
}

const repo = new URL("../../", import.meta.url).pathname;

function area(url: string): string {
  const path = url.replace(/^file:\/\//, "");
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (nm) return nm[1]!;
  if (path.startsWith(repo)) return path.slice(repo.length).split("/").slice(0, 2).join("/");
  return path.startsWith("node:") ? "node internals" : path || "(native/V8)";
}

const label = (n: Node) => `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url.replace(/^file:\/\//, "").replace(repo, "")}:${n.callFrame.lineNumber + 1}`;

/** Text summary of every .cpuprofile in `path` (a directory or one file). */
export function summarizeProfile(path: string, top = 15): string {
  const files = statSync(path).isDirectory()
    ? readdirSync(path).filter((f) => f.endsWith(".cpuprofile")).map((f) => join(path, f))
    : [path];
  if (files.length === 0) return `no .cpuprofile in ${path}`;
  // One file per thread; the largest is the main thread (the others are loader/worker threads).
  const [main, ...rest] = files.sort((a, b) => statSync(b).size - statSync(a).size);
  return [summarizeOne(main!, top), ...rest.map((f) => `(also written, not summarised: ${f})`)].join("\n");
}

function summarizeOne(file: string, top: number): string {
  const p = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const msPerSample = (p.endTime - p.startTime) / 1000 / Math.max(1, p.samples.length);
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const total = p.samples.length;
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
  for (let n: Node | undefined = p.nodes[0]; n; ) {
    const kids: Node[] = (n.children ?? []).map((c) => byId.get(c)!).filter((k) => !["(idle)", "(program)", "(garbage collector)"].includes(k.callFrame.functionName));
    n = kids.sort((a, b) => inclusive.get(b.id)! - inclusive.get(a.id)!)[0];
    if (n && inclusive.get(n.id)! > 0) path.push(`${((inclusive.get(n.id)! / (total - idle)) * 100).toFixed(1)}% ${label(n)}`);
  }
  const busy = total - idle;
  const pctOf = (h: number) => `${((h / busy) * 100).toFixed(1).padStart(5)}%`;
  const rank = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, h]) => `  ${pctOf(h)}  ${k}`);
  return [
    `CPU profile ${file}: ${((busy * msPerSample) / 1000).toFixed(1)} s busy of ${((total * msPerSample) / 1000).toFixed(1)} s sampled`,
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
}
