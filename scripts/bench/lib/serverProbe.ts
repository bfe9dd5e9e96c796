/**
 * Preloaded into a server under measurement only (`--import <this file>`, like memoryProbe.ts), the same way
 * into Spotter and into the row-lock baseline, so both are measured by the same code and neither server's
 * source knows about it. When SERVER_PROBE_FILE is set it records, and writes as JSON at process exit:
 * - arrivals: every Socket.IO `command` event in the order Socket.IO hands it to JavaScript (before auth,
 *   rate limits, routing or the database), with its commandId and time — "arrival order at the server";
 * - PostgreSQL round trips: every `pg` query call, and per transaction (BEGIN … COMMIT/ROLLBACK on one
 *   connection) how many calls it took, including BEGIN and COMMIT, and when it ended. A statement that writes
 *   outside BEGIN … COMMIT is a transaction of its own (autocommit): it counts as one of one round trip.
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

  process.on("exit", () => writeFileSync(file, JSON.stringify(rec)));
}
