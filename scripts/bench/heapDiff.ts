/**
 * What grew between two V8 heap snapshots, per owner: every object and closure counts its self size plus the
 * arrays and hidden internals only it retains (property/element backing stores, Map tables), keyed by
 * constructor (plain objects and arrays also by their property names) or, for closures, by source position.
 * Strings and numbers get a row per owning property (`  string in <owner> .<property>`); every node counts once.
 *   node --max-old-space-size=12000 --import tsx scripts/bench/heapDiff.ts before.heapsnapshot after.heapsnapshot [per=1] [rows=60]
 * Snapshots: start node with `--heapsnapshot-signal=SIGUSR2` (see scripts/bench/repro/socketMemory.ts --snapshots).
 */
import { readFileSync } from "node:fs";

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
  locations: number[];
}

type Tally = Map<string, { count: number; bytes: number }>;

const Scalars = new Set(["string", "concatenated string", "sliced string", "number"]);

function tally(file: string): Tally {
  const s = JSON.parse(readFileSync(file, "utf8")) as Snapshot;
  const { meta } = s.snapshot;
  const NF = meta.node_fields.length;
  const EF = meta.edge_fields.length;
  const [nodeTypes, edgeTypes] = [meta.node_types[0], meta.edge_types[0]];
  const [fType, fName, fSize, fEdges] = ["type", "name", "self_size", "edge_count"].map((f) => meta.node_fields.indexOf(f)) as [
    number,
    number,
    number,
    number,
  ];
  const n = s.nodes.length / NF;
  const firstEdge = new Uint32Array(n + 1);
  for (let i = 0, e = 0; i < n; i++) {
    firstEdge[i] = e;
    e += s.nodes[i * NF + fEdges]! * EF;
    firstEdge[i + 1] = e;
  }
  const type = (i: number) => nodeTypes[s.nodes[i * NF + fType]!]!;
  const name = (i: number) => s.strings[s.nodes[i * NF + fName]!]!;
  const size = (i: number) => s.nodes[i * NF + fSize]!;
  const edgeType = (e: number) => edgeTypes[s.edges[e]!]!;
  const edgeName = (e: number) => (["element", "hidden"].includes(edgeType(e)) ? "[]" : s.strings[s.edges[e + 1]!]!);
  const target = (e: number) => s.edges[e + 2]! / NF;
  const retainers = new Uint32Array(n);
  for (let e = 0; e < s.edges.length; e += EF) if (edgeType(e) !== "weak") retainers[target(e)]! += 1;
  const child = (i: number, named: string) => {
    for (let e = firstEdge[i]!; e < firstEdge[i + 1]!; e += EF) if (edgeName(e) === named) return target(e);
    return -1;
  };
  const where = new Map<number, [number, number]>();
  for (let k = 0; k < s.locations.length; k += 4) where.set(s.locations[k]! / NF, [s.locations[k + 2]!, s.locations[k + 3]!]);

  const keyOf = (i: number): string => {
    if (type(i) === "closure") {
      const shared = child(i, "shared");
      const script = shared >= 0 ? child(shared, "script_or_debug_info") : -1;
      const file =
        script >= 0
          ? name(script)
              .replace(/.*node_modules\//, "")
              .replace(/^file:\/\/.*?\/(server|rooms|domain|scripts)\//, "$1/")
          : "?";
      const at = where.get(i);
      return `closure ${name(i) || "(anonymous)"} @ ${file}:${at ? `${at[0] + 1}:${at[1]}` : "?"}`;
    }
    if (name(i) === "Object" || name(i) === "Array") {
      const props: string[] = [];
      for (let e = firstEdge[i]!; e < firstEdge[i + 1]!; e += EF)
        if (edgeType(e) === "property" && edgeName(e) !== "__proto__") props.push(edgeName(e));
      return `${name(i)} {${props.slice(0, 8).join(",")}${props.length > 8 ? ",…" : ""}}`;
    }
    return name(i);
  };

  const out: Tally = new Map();
  const add = (key: string, bytes: number) => {
    const t = out.get(key) ?? { count: 0, bytes: 0 };
    t.count += 1;
    t.bytes += bytes;
    out.set(key, t);
  };
  const owned = new Uint8Array(n);
  // Internals retained by `i` alone, two levels deep (an object's property array, a Map's table and its entries).
  const internals = (i: number, depth: number): number => {
    let bytes = 0;
    for (let e = firstEdge[i]!; e < firstEdge[i + 1]!; e += EF) {
      const c = target(e);
      if (edgeType(e) === "weak" || retainers[c] !== 1 || owned[c] || !["array", "hidden"].includes(type(c))) continue;
      owned[c] = 1;
      bytes += size(c) + (depth > 1 ? internals(c, depth - 1) : 0);
    }
    return bytes;
  };
  for (let i = 0; i < n; i++) {
    if (type(i) !== "object" && type(i) !== "closure") continue;
    const key = keyOf(i);
    add(key, size(i) + internals(i, 2));
    for (let e = firstEdge[i]!; e < firstEdge[i + 1]!; e += EF) {
      const c = target(e);
      if (!Scalars.has(type(c)) || owned[c] || edgeType(e) === "weak") continue;
      owned[c] = 1;
      add(`  ${type(c)} in ${key.slice(0, 60)} .${edgeName(e)}`, size(c));
    }
  }
  for (let i = 0; i < n; i++) if (!owned[i] && type(i) !== "object" && type(i) !== "closure") add(`(other ${type(i)})`, size(i));
  return out;
}

const [beforeFile, afterFile, perArg, rowsArg] = process.argv.slice(2);
if (!beforeFile || !afterFile) throw new Error("usage: heapDiff.ts before.heapsnapshot after.heapsnapshot [per] [rows]");
const per = Number(perArg ?? 1);
const [a, b] = [tally(beforeFile), tally(afterFile)];
const rows = [...new Set([...a.keys(), ...b.keys()])].map((key) => {
  const [x, y] = [a.get(key) ?? { count: 0, bytes: 0 }, b.get(key) ?? { count: 0, bytes: 0 }];
  return { key, count: (y.count - x.count) / per, bytes: (y.bytes - x.bytes) / per };
});
rows.sort((p, q) => q.bytes - p.bytes);
const total = rows.reduce((sum, r) => sum + r.bytes, 0);
console.log(`the heap grew ${(total / 1024).toFixed(2)} KiB per unit (${per} units)`);
console.log("bytes/unit  count/unit  owner");
for (const r of rows.slice(0, Number(rowsArg ?? 60)))
  console.log(`${r.bytes.toFixed(0).padStart(10)}  ${r.count.toFixed(2).padStart(10)}  ${r.key}`);
