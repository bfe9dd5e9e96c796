/**
 * Preloaded into a server under measurement only (`--import <this file>`, like memoryProbe.ts), the same way
 * into Spotter and into the row-lock baseline, so both are measured by the same code and neither server's
 * source knows about it. When SERVER_PROBE_FILE is set it records, and writes as JSON at process exit:
 * - arrivals: every Socket.IO `command` event in the order Socket.IO hands it to JavaScript (before auth,
 *   rate limits, routing or the database), with its commandId and time — "arrival order at the server";
 * - PostgreSQL round trips: every `pg` query call, and per transaction (BEGIN … COMMIT/ROLLBACK on one
 *   connection) how many calls it took, including BEGIN and COMMIT, and when it ended.
 * The cost on the hot path is one array push per command and one per query.
 */
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
}

const file = process.env.SERVER_PROBE_FILE;
const clock = (): number => performance.timeOrigin + performance.now();

if (file) {
  const rec: ProbeRecord = { arrivals: { ids: [], at: [] }, transactions: { at: [], roundTrips: [], rolledBack: [] }, queries: [] };

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
  type Client = { [open]?: number; query(...args: unknown[]): unknown };
  const pg = createRequire(import.meta.url)("pg") as { Client: { prototype: Client } };
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: Client, ...args: unknown[]) {
    const first = args[0];
    const text = (typeof first === "string" ? first : ((first as { text?: string } | undefined)?.text ?? "")).trimStart().slice(0, 20).toLowerCase();
    rec.queries.push(clock());
    if (text.startsWith("begin") || text.startsWith("start transaction")) this[open] = 1;
    else if (this[open] !== undefined) {
      this[open] += 1;
      const commit = text.startsWith("commit");
      if (commit || (text.startsWith("rollback") && !text.startsWith("rollback to"))) {
        rec.transactions.at.push(clock());
        rec.transactions.roundTrips.push(this[open]);
        rec.transactions.rolledBack.push(commit ? 0 : 1);
        this[open] = undefined;
      }
    }
    return query.apply(this, args);
  };

  process.on("exit", () => writeFileSync(file, JSON.stringify(rec)));
}
