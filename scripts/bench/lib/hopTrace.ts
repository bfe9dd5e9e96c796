/**
 * Preloaded into a server under measurement only (`BENCH_SPOTTER_NODE_FLAGS="--import ./scripts/bench/lib/hopTrace.ts"`),
 * like serverProbe.ts: neither server's source knows about it. It writes, at exit, a timeline per `command` frame
 * (to /tmp/hoptrace-<pid>.log): every hop from the frame's arrival until the next frame arrives — PostgreSQL
 * statements (sent, answered), Redis commands written, timers set with a delay (and by whom), setImmediate,
 * acks and broadcasts sent — with milliseconds since the frame arrived, and a count of each per command type.
 * Costly (a stack per timer): for tracing single commands, never for figures.
 */
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import { Socket } from "socket.io";

interface Ev {
  t: number;
  /** This process's CPU time (user + system), µs: what it spent, whatever the machine's load. */
  cpu: number;
  what: string;
}
interface Trace {
  type: string;
  id: string;
  t0: number;
  cpu0: number;
  events: Ev[];
}

const require = createRequire(import.meta.url);
const traces: Trace[] = [];
let current: Trace | null = null;
const cpuNow = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
const note = (what: string) => current?.events.push({ t: performance.now(), cpu: cpuNow(), what });

/** The first frame of the stack outside this file and node internals: who set the timer. */
function caller(): string {
  const lines = (new Error().stack ?? "").split("\n").slice(2);
  const own = lines.filter((l) => !l.includes("hopTrace") && !l.includes("node:internal") && !l.includes("node_modules"));
  return (own.slice(0, 2).join(" <") || lines[0] || "?")
    .replace(/\s+at\s+/g, " ")
    .replace(/file:\/\/\S*?\/(rooms|server|domain|app)\//g, "$1/");
}

type Packet = { type?: number; data?: unknown[] };
/** Frames that start a trace (HOP_TRACE_FRAMES="command,room:join"); a `room:join` is named by its room. */
const traced = new Set((process.env.HOP_TRACE_FRAMES ?? "command").split(","));
const proto = Socket.prototype as unknown as { onevent(p: Packet): void; packet(p: Packet, o?: unknown): void };
const onevent = proto.onevent;
proto.onevent = function (this: unknown, packet: Packet) {
  const data = packet.data;
  if (data && traced.has(String(data[0]))) {
    const c = (data[1] ?? {}) as { commandId?: string; type?: string; room?: string };
    const [type, id] = data[0] === "command" ? [c.type, c.commandId] : [data[0], c.room];
    current = { type: String(type), id: String(id), t0: performance.now(), cpu0: cpuNow(), events: [] };
    traces.push(current);
  } else if (data) note(`in ${String(data[0])}`);
  return onevent.call(this, packet);
};
const packet = proto.packet;
proto.packet = function (this: unknown, p: Packet, o?: unknown) {
  note(p.type === 3 ? "ACK sent" : `emit ${String(p.data?.[0])}`);
  const out = packet.call(this, p, o);
  if (p.type === 3) note("ACK encoded and written");
  return out;
};
const ops = require(require.resolve("socket.io").replace(/index\.js$/, "broadcast-operator.js")) as {
  BroadcastOperator: { prototype: { emit(...a: unknown[]): boolean } };
};
const bemit = ops.BroadcastOperator.prototype.emit;
ops.BroadcastOperator.prototype.emit = function (this: { rooms?: Set<string>; flags?: { local?: boolean } }, ...a: unknown[]) {
  note(`broadcast ${String(a[0])} → ${[...(this.rooms ?? [])].join(",")}${this.flags?.local ? " (local)" : " (adapter)"}`);
  return bemit.apply(this, a);
};

const inTx = Symbol("hopTrace.tx");
type Client = { query(...args: unknown[]): unknown; [inTx]?: { noWait: boolean } };
const pg = require("pg") as { Client: { prototype: Client } };
const query = pg.Client.prototype.query;
const writes = /^\s*(with|insert|update|delete)\b/i;
pg.Client.prototype.query = function (this: Client, ...args: unknown[]) {
  const first = args[0];
  const text = (typeof first === "string" ? first : ((first as { text?: string } | undefined)?.text ?? "")).replace(/\s+/g, " ");
  const label = text.slice(0, 90);
  // Commits that wait for a WAL flush: a write on its own (autocommit) or a COMMIT, unless it asked not to wait.
  const noWait = text.includes("no_flush_wait");
  if (/^\s*begin/i.test(text)) this[inTx] = { noWait: false };
  else if (this[inTx]) {
    if (noWait) this[inTx].noWait = true;
    if (/^\s*(commit|rollback)/i.test(text)) {
      if (/^\s*commit/i.test(text) && !this[inTx].noWait) note("FLUSH-WAITING COMMIT (transaction)");
      this[inTx] = undefined;
    }
  } else if (writes.test(text) && !noWait) note("FLUSH-WAITING COMMIT (one statement)");
  note(`SQL → ${noWait ? "[no flush wait] " : ""}${label}`);
  const last = args[args.length - 1];
  if (typeof last === "function") {
    args[args.length - 1] = (...r: unknown[]) => {
      note(`SQL ← ${label.slice(0, 40)}`);
      return (last as (...x: unknown[]) => unknown)(...r);
    };
    return query.apply(this, args);
  }
  const out = query.apply(this, args);
  if (out && typeof (out as Promise<unknown>).then === "function")
    (out as Promise<unknown>).then(
      () => note(`SQL ← ${label.slice(0, 40)}`),
      () => note(`SQL ✗ ${label.slice(0, 40)}`),
    );
  return out;
};

const write = net.Socket.prototype.write;
net.Socket.prototype.write = function (this: net.Socket, chunk: unknown, ...rest: unknown[]) {
  if (current && this.remotePort === 6379) {
    const s = typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) ? chunk.toString("latin1", 0, 80) : "";
    const words = s.split("\r\n").filter((_, i) => i % 2 === 0 && i > 0);
    note(`REDIS → ${words.slice(0, 3).join(" ").slice(0, 70)}`);
  }
  return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
} as typeof write;

const setT = globalThis.setTimeout;
globalThis.setTimeout = function (fn: (...a: unknown[]) => void, ms?: number, ...rest: unknown[]) {
  if (current && ms && ms > 0) {
    const who = caller();
    note(`setTimeout ${ms}ms by${who}`);
    const wrapped = (...a: unknown[]) => {
      note(`timer ${ms}ms fired (${who.slice(0, 50)})`);
      fn(...a);
    };
    return setT(wrapped, ms, ...rest);
  }
  return setT(fn, ms, ...rest);
} as typeof setTimeout;
const setI = globalThis.setImmediate;
globalThis.setImmediate = function (fn: (...a: unknown[]) => void, ...rest: unknown[]) {
  if (current) note(`setImmediate by${caller()}`);
  return setI(fn, ...rest);
} as typeof setImmediate;

process.on("exit", () => {
  const out: string[] = [];
  const counts = new Map<string, { n: number; sql: number; flushes: number; redis: number; timers: number; immediates: number }>();
  for (const tr of traces) {
    const c = counts.get(tr.type) ?? { n: 0, sql: 0, flushes: 0, redis: 0, timers: 0, immediates: 0 };
    c.n += 1;
    for (const e of tr.events) {
      if (e.what.startsWith("SQL →")) c.sql += 1;
      if (e.what.startsWith("FLUSH-WAITING")) c.flushes += 1;
      if (e.what.startsWith("REDIS →")) c.redis += 1;
      if (e.what.startsWith("setTimeout")) c.timers += 1;
      if (e.what.startsWith("setImmediate")) c.immediates += 1;
    }
    counts.set(tr.type, c);
  }
  for (const [type, c] of counts) {
    out.push(
      `${type}: ${c.n} commands; per command until the next frame: ${(c.sql / c.n).toFixed(2)} SQL (${(c.flushes / c.n).toFixed(2)} commits waiting for a WAL flush), ${(c.redis / c.n).toFixed(2)} Redis, ${(c.timers / c.n).toFixed(2)} timers, ${(c.immediates / c.n).toFixed(2)} setImmediate`,
    );
    // Which statements and Redis commands, per command of this type (the first commands warm caches: skipped).
    const kinds = new Map<string, number>();
    const list = traces.filter((tr) => tr.type === type);
    const steady = list.slice(Math.min(2, list.length - 1));
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? NaN;
    const acked = steady.flatMap((tr) => {
      const e = tr.events.find((x) => x.what === "ACK sent");
      return e ? [{ ms: e.t - tr.t0, cpu: (e.cpu - tr.cpu0) / 1000 }] : [];
    });
    out.push(
      `  frame → ack: median ${median(acked.map((a) => a.ms)).toFixed(2)} ms wall, ${median(acked.map((a) => a.cpu)).toFixed(2)} ms of this process's CPU`,
    );
    for (const tr of steady)
      for (const e of tr.events)
        if (e.what.startsWith("SQL →") || e.what.startsWith("REDIS →") || e.what.startsWith("FLUSH")) {
          const k = e.what.slice(0, 60);
          kinds.set(k, (kinds.get(k) ?? 0) + 1);
        }
    for (const [k, n] of [...kinds].sort((a, b) => b[1] - a[1])) out.push(`  ${(n / steady.length).toFixed(2)}  ${k}`);
  }
  // Every traced frame on one line (HOP_TRACE_EACH=1): its index within its type, frame → ack (wall, this process's CPU)
  // and the first broadcast to a `user:` room (a promoted notice), to name which samples of a run were slow.
  if (process.env.HOP_TRACE_EACH) {
    const seen = new Map<string, number>();
    for (const tr of traces) {
      const i = seen.get(tr.type) ?? 0;
      seen.set(tr.type, i + 1);
      const ack = tr.events.find((x) => x.what === "ACK sent");
      const user = tr.events.find((x) => x.what.startsWith("broadcast room:delta → user:"));
      const at = (e: Ev | undefined) => (e ? `${(e.t - tr.t0).toFixed(1)} ms / ${((e.cpu - tr.cpu0) / 1000).toFixed(1)} cpu-ms` : "-");
      out.push(`each ${tr.type} #${i}: ack ${at(ack)}${user ? `; user delta ${at(user)}` : ""}`);
    }
  }
  // Which commands of each type to print in full (by index): HOP_TRACE_PICK="5,20,40".
  const picks = (process.env.HOP_TRACE_PICK ?? "5,15,25").split(",").map(Number);
  const byType = new Map<string, Trace[]>();
  for (const tr of traces) byType.set(tr.type, [...(byType.get(tr.type) ?? []), tr]);
  for (const [type, list] of byType)
    for (const tr of picks.flatMap((i) => (list[i] ? [list[i]] : []))) {
      out.push(`\n== ${type} ${tr.id}`);
      for (const e of tr.events)
        out.push(`${(e.t - tr.t0).toFixed(2).padStart(8)} ms ${((e.cpu - tr.cpu0) / 1000).toFixed(2).padStart(7)} cpu-ms  ${e.what}`);
    }
  writeFileSync(`/tmp/hoptrace-${process.pid}.log`, out.join("\n") + "\n");
});

/** Marks calls (and their settling, when they answer a promise) of the rooms' and realtime layers' own methods. */
function mark(proto: Record<string, unknown>, name: string, label: string): void {
  const fn = proto[name] as ((...a: unknown[]) => unknown) | undefined;
  if (typeof fn !== "function") return void console.error(`hopTrace: no ${label}`);
  proto[name] = function (this: { id?: string }, ...a: unknown[]) {
    const m = a[0] as { kind?: string; type?: string; note?: { type?: string } } | undefined;
    const what =
      name === "send" && m?.kind ? ` ${String(this.id).slice(0, 13)} ${m.kind === "note" ? `note:${m.note?.type}` : m.type}` : "";
    const named = label + what;
    note(`→ ${named}`);
    const out = fn.apply(this, a);
    if (out && typeof (out as Promise<unknown>).then === "function")
      (out as Promise<unknown>).then(
        () => note(`← ${named}`),
        () => note(`✗ ${named}`),
      );
    return out;
  };
}
const layer = async (path: string) =>
  (await import(new URL(`../../../${path}`, import.meta.url).href)) as Record<string, { prototype: Record<string, unknown> }>;
const actor = await layer("rooms/RoomActor.ts");
for (const m of ["send", "take", "process", "landed"]) mark(actor.RoomActor!.prototype, m, `RoomActor.${m}`);
for (const [file, cls] of [
  ["rooms/ClassRoom.ts", "ClassRoom"],
  ["rooms/GymRoom.ts", "GymRoom"],
  ["rooms/UserRoom.ts", "UserRoom"],
] as const) {
  const mod = await layer(file);
  mark(mod[cls]!.prototype, "handle", `${cls}.handle`);
  mark(mod[cls]!.prototype, "prepare", `${cls}.prepare`);
  mark(mod[cls]!.prototype, "commit", `${cls}.commit`);
}
const commits = await layer("rooms/groupCommit.ts");
mark(commits.GroupCommit!.prototype, "flush", "GroupCommit.flush");
const router = await layer("rooms/RoomRouter.ts");
mark(router.RoomRouter!.prototype, "send", "RoomRouter.send");
if (traced.has("room:join")) {
  mark(router.RoomRouter!.prototype, "join", "RoomRouter.join");
  for (const m of ["start", "join"]) mark(actor.RoomActor!.prototype, m, `RoomActor.${m}`);
  mark((await layer("rooms/ClassRoom.ts")).ClassRoom!.prototype, "load", "ClassRoom.load");
  mark((await layer("rooms/RoomRegistry.ts")).RoomRegistry!.prototype, "loadEarly", "RoomRegistry.loadEarly");
  mark((await layer("rooms/viewStream.ts")).ViewStream!.prototype, "join", "ViewStream.join (projects)");
}
const access = await layer("server/realtime/access.ts");
mark(access.AccessControl!.prototype, "check", "AccessControl.check");
const limits = await layer("server/cluster/redisRateLimits.ts");
mark(limits.RedisRateLimits!.prototype, "take", "RedisRateLimits.take (awaited)");
