/**
 * Preloaded into a server under measurement only (`--import <this file>`, like memoryProbe.ts), the same way
 * into Spotter and into the row-lock baseline, so both are measured by the same code and neither server's
 * source knows about it. When SERVER_PROBE_FILE is set it records, and writes as JSON at process exit:
 * - arrivals: every Socket.IO `command` event in the order Socket.IO hands it to JavaScript (before auth,
 *   rate limits, routing or the database), with its commandId and time — "arrival order at the server";
 * - PostgreSQL round trips: every `pg` query call, and per transaction (BEGIN … COMMIT/ROLLBACK on one
 *   connection) how many calls it took, including BEGIN and COMMIT, and when it ended. A statement that writes
 *   outside BEGIN … COMMIT is a transaction of its own (autocommit): it counts as one of one round trip.
 * - Redis: every command this process sends (one array push each), named by its kind (`PUBLISH` by the key family of its
 *   channel, e.g. `PUBLISH spotter:node:*`), and every pub/sub message it receives, named by channel family — what
 *   forwarding, leases and broadcasts cost per command, counted rather than timed.
 * The cost on the hot path is one array push per command and one per query.
 */
// First, as in server/main.ts: this probe loads Socket.IO, and a library loaded before it keeps its `debug` loggers.
import "../../../server/quietDebug.js";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Socket } from "socket.io";

/** What the probe writes; times are `performance.timeOrigin + performance.now()` (the bench's shared clock). */
export interface ProbeRecord {
  /** Command ids in arrival order, with their arrival times. */
  arrivals: { ids: string[]; at: number[] };
  /** Per finished transaction: end time and round trips (BEGIN and COMMIT included). */
  transactions: { at: number[]; roundTrips: number[]; rolledBack: number[] };
  /** Times of every query call (inside transactions or not). */
  queries: number[];
  /** The statements (first 100 characters) of the first transactions of SERVER_PROBE_SAMPLES (default 0) that committed. */
  samples: string[][];
  /** Redis commands sent and pub/sub messages received: times, and an index into `names`. */
  redis?: { sent: { at: number[]; name: number[] }; heard: { at: number[]; name: number[] }; names: string[] };
}

/** A Redis key or channel without its ids: `spotter:node:bench-uws-1234:requests` → `spotter:node:*:requests`. */
export function redisFamily(key: string): string {
  if (key.startsWith("spotter#io"))
    return key.includes("#request#") ? "socket.io request" : key.includes("#response#") ? "socket.io response" : "socket.io broadcast";
  return key.replace(
    /(spotter:(node|lease|rate|conn|alive):)[^:]*(.*)$/,
    (_, head: string, _k: string, tail: string) => `${head}*${tail.replace(/:[0-9a-f-]{36}/g, ":*")}`,
  );
}

const file = process.env.SERVER_PROBE_FILE;
const clock = (): number => performance.timeOrigin + performance.now();
const sampled = Number(process.env.SERVER_PROBE_SAMPLES ?? 0);

if (file) {
  const rec: ProbeRecord = {
    arrivals: { ids: [], at: [] },
    transactions: { at: [], roundTrips: [], rolledBack: [] },
    queries: [],
    samples: [],
  };

  type Packet = { data?: unknown[] };
  const proto = Socket.prototype as unknown as { onevent(packet: Packet): void };
  const onevent = proto.onevent;
  proto.onevent = function (this: unknown, packet: Packet) {
    const data = packet.data;
    if (data && data[0] === "command") {
      rec.arrivals.ids.push(String((data[1] as { commandId?: unknown } | undefined)?.commandId ?? ""));
      rec.arrivals.at.push(clock());
    }
    return onevent.call(this, packet);
  };

  const open = Symbol("probe.transaction");
  const seen = Symbol("probe.statements");
  type Client = { [open]?: number; [seen]?: string[]; query(...args: unknown[]): unknown };
  const pg = createRequire(import.meta.url)("pg") as { Client: { prototype: Client } };
  const query = pg.Client.prototype.query;
  // Sticky regexes anchored at the start: no string copies per query.
  const begin = /\s*(begin|start transaction)/iy;
  const end = /\s*(commit|rollback(?!\s+to))/iy;
  const writes = /^\s*(with|insert|update|delete)\b[\s\S]*?\b(insert\s+into|delete\s+from|update\s+"?\w+"?\s+(as\s+\w+\s+|\w+\s+)?set)\b/i;
  pg.Client.prototype.query = function (this: Client, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === "string" ? first : ((first as { text?: string } | undefined)?.text ?? "");
    rec.queries.push(clock());
    begin.lastIndex = 0;
    end.lastIndex = 0;
    if (begin.test(text)) {
      this[open] = 1;
      if (rec.samples.length < sampled) this[seen] = [text.slice(0, 100)];
    } else if (this[open] !== undefined) {
      this[open] += 1;
      this[seen]?.push(text.slice(0, 100));
      const m = end.exec(text);
      if (m) {
        const committed = m[1]!.toLowerCase() === "commit";
        rec.transactions.at.push(clock());
        rec.transactions.roundTrips.push(this[open]);
        rec.transactions.rolledBack.push(committed ? 0 : 1);
        if (committed && this[seen] && rec.samples.length < sampled) rec.samples.push(this[seen]);
        this[open] = undefined;
        this[seen] = undefined;
      }
    } else if (writes.test(text)) {
      rec.transactions.at.push(clock());
      rec.transactions.roundTrips.push(1);
      rec.transactions.rolledBack.push(0);
      if (rec.samples.length < sampled) rec.samples.push([text.slice(0, 100)]);
    }
    return query.apply(this, args);
  };

  const redis = (rec.redis = {
    sent: { at: [] as number[], name: [] as number[] },
    heard: { at: [] as number[], name: [] as number[] },
    names: [] as string[],
  });
  const ids = new Map<string, number>();
  const nameOf = (name: string): number => {
    let id = ids.get(name);
    if (id === undefined) ids.set(name, (id = redis.names.push(name) - 1));
    return id;
  };
  const text = (x: unknown): string => (Buffer.isBuffer(x) ? x.toString("latin1") : String(x));
  try {
    const require = createRequire(createRequire(import.meta.url).resolve("redis"));
    const queue = require("@redis/client/dist/lib/client/commands-queue.js") as {
      default: { prototype: { addCommand(args: unknown[], o: unknown): unknown } };
    };
    const addCommand = queue.default.prototype.addCommand;
    queue.default.prototype.addCommand = function (this: unknown, args: unknown[], o: unknown) {
      const verb = text(args[0]).toUpperCase();
      // EVALSHA/EVAL name their first key; PUBLISH its channel; the rest their first key.
      const script = verb === "EVALSHA" || verb === "EVAL";
      const key = script ? text(args[3] ?? "") : text(args[1] ?? "");
      // A script is named by its first statement too (a lease's claim and its renewal share a key family).
      const what = script ? ` [${text(args[1]).slice(0, 24).replace(/\s+/g, " ")}…]` : "";
      redis.sent.at.push(clock());
      redis.sent.name.push(nameOf(`${verb} ${redisFamily(key)}${what}`));
      return addCommand.call(this, args, o);
    };
    const pubsub = require("@redis/client/dist/lib/client/pub-sub.js") as {
      PubSub: { prototype: { handleMessageReply(reply: unknown[]): boolean } };
    };
    const handle = pubsub.PubSub.prototype.handleMessageReply;
    pubsub.PubSub.prototype.handleMessageReply = function (this: unknown, reply: unknown[]) {
      const kind = text(reply[0]);
      const channel = kind === "pmessage" ? text(reply[2]) : kind === "message" || kind === "smessage" ? text(reply[1]) : null;
      if (channel !== null) {
        redis.heard.at.push(clock());
        redis.heard.name.push(nameOf(redisFamily(channel)));
      }
      return handle.call(this, reply);
    };
  } catch {
    rec.redis = undefined; // No Redis client in this server (the row-lock baseline).
  }

  process.on("exit", () => writeFileSync(file, JSON.stringify(rec)));
}
