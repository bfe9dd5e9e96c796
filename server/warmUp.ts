/**
 * One-off costs a process pays the first time it uses a library, paid before the node opens its gate instead of
 * inside its first answers (scenario 8 of the bench, a cold room's first join, is mostly the process's first join):
 * ICU's locale and time-zone data (the first `Intl` formatter cost ~12 ms of CPU inside the first class room's
 * load), zod's compiled parser of each frame and payload schema (~5 ms for the join frame on its first parse), and
 * a database connection with the catalog of a cold room's tables loaded (connect and catalog reads inside the join).
 */
import type { Server as IoServer } from "socket.io";
import type { z } from "zod";
import { formatMoney, primeWhenFormat } from "../domain/format.js";
import { AuthRenewSchema, CommandEnvelopeSchema, JoinRequestSchema, LeaveRequestSchema } from "../domain/protocol/envelope.js";
import { CommandSchemas } from "../domain/protocol/commands.js";
import { RequestSchemas } from "../domain/protocol/requests.js";
import { WARM_CONNECTIONS, type Database } from "./db/orm.js";
import { warmSnapshotReads } from "./persistence/classSnapshot.js";
import { warmCommits } from "./persistence/commitWarmUp.js";
import type { AccessControl } from "./realtime/access.js";
import { WARM_BUDGET_MS, warmRooms, type WarmBroadcast } from "./roomWarmUp.js";
import type { Config } from "./config.js";
import type { WarmSettings } from "./warmRuntime.js";

/** The node's settings its rooms run with (server/config.ts). */
type NodeSettings = Pick<Config, "FLUSH_MAX_BATCH" | "FLUSH_MAX_DELAY_MS" | "FANOUT_HOLD_US_PER_WATCHER">;
const settingsOf = (c: NodeSettings): WarmSettings => ({
  flushMaxBatch: c.FLUSH_MAX_BATCH,
  flushMaxDelayMs: c.FLUSH_MAX_DELAY_MS,
  fanoutHoldUsPerWatcher: c.FANOUT_HOLD_US_PER_WATCHER,
});

/** What the node's warm-up took, for the start-up log (wall ms per part; rounds of the synthetic rooms). */
export interface WarmUpTook {
  libraries: number;
  reads: number;
  commits: number;
  rooms: number;
  roomRounds: number;
  total: number;
}

/**
 * Builds the first `Intl` formatters, compiles the parsers of every frame and message payload (once per process) and
 * opens the pool's kept connections, each having planned a cold room's read (see `warmSnapshotReads`) and a class
 * room's commit statements (see `warmCommits`: they write nothing); then runs real class and user rooms on a
 * synthetic gym, the access check and the gym member load (see `warmRooms`: nothing written, nothing any client sees).
 * Bounded: the rooms stop after `WARM_UP_MS` (default `WARM_BUDGET_MS`) of the process's CPU, or 3 × that of wall time.
 */
export async function warmUp(
  db: Database,
  onError: (err: unknown) => void = () => undefined,
  live: { access?: AccessControl; io?: IoServer; budgetMs?: number; node?: NodeSettings } = {},
): Promise<WarmUpTook> {
  const t0 = performance.now();
  primeWhenFormat("UTC");
  formatMoney(0, "EUR");
  const schemas: z.ZodType[] = [
    JoinRequestSchema,
    LeaveRequestSchema,
    CommandEnvelopeSchema,
    AuthRenewSchema,
    ...Object.values<z.ZodType>(CommandSchemas),
    ...Object.values<z.ZodType>(RequestSchemas),
  ];
  // Any object input compiles an object schema's parser; the answer does not matter.
  for (const schema of schemas) schema.safeParse({});
  const t1 = performance.now();
  const postgres = db.target.kind === "postgres";
  // Every part below is capped: a PostgreSQL that stalls (a read that hangs) leaves that part cold, never the node
  // closed — the gate opens after the cap whatever the part is doing (it runs on in the background, isolated).
  const budgetMs = live.budgetMs ?? WARM_BUDGET_MS;
  const capMs = Math.max(2_000, 5 * budgetMs);
  const late = (what: string) => `${what} still running after ${capMs} ms: the node serves without waiting for`;
  if (postgres)
    await withinCap(warmSnapshotReads(db.orm, WARM_CONNECTIONS), capMs, `${late("warm-up snapshot reads")} them`, onError, undefined);
  const t2 = performance.now();
  // A class room's first commits: built in memory, then run on each kept connection with a version that never holds.
  // A failure only leaves the first commits cold (reported, not fatal: the node serves as it did without it).
  await withinCap(warmCommits(db.orm, postgres ? WARM_CONNECTIONS : 0), capMs, `${late("warm-up commits")} them`, onError, undefined);
  const t3 = performance.now();
  // The synthetic rooms' deltas go through this node's own Socket.IO (never the adapter) to channels of rooms that exist nowhere.
  const io = live.io;
  // A real delta also goes through the cluster adapter, which encodes it (msgpack) for the other nodes: the encoder's
  // first runs (0.8–3.6 ms inside the first cancel's answer, scripts/bench/repro/suiteFirsts.ts TOP=30) are paid here
  // on the same message, encoded and dropped (nothing published).
  const encode = io && adapterEncoder(io);
  const broadcast: WarmBroadcast | undefined = io && {
    delta: (channel, delta) => {
      io.local.to(channel).emit("room:delta", delta);
      encode?.(channel, "room:delta", delta);
    },
    reset: (channel, reset) => {
      io.local.to(channel).emit("room:reset", reset);
      encode?.(channel, "room:reset", reset);
    },
  };
  const connections = postgres ? WARM_CONNECTIONS : 0;
  // The rooms' rounds stop at the budget on their own; the cap is for a read of theirs that hangs.
  const rooms = warmRooms(db.orm, { access: live.access, broadcast, connections, budgetMs, settings: live.node && settingsOf(live.node) });
  const roomRounds = await withinCap(rooms, capMs, `${late("room warm-up")} it`, onError, 0);
  const t4 = performance.now();
  const ms = (x: number) => Math.round(x * 10) / 10;
  return { libraries: ms(t1 - t0), reads: ms(t2 - t1), commits: ms(t3 - t2), rooms: ms(t4 - t3), roomRounds, total: ms(t4 - t0) };
}

/** The cluster adapter's encoder (none for the in-memory adapter), on the message its `broadcast` would publish for `channel`. */
export function adapterEncoder(io: IoServer): ((channel: string, event: string, data: unknown) => unknown) | undefined {
  const adapter = io.of("/").adapter as unknown as { uid?: string; parser?: { encode(msg: unknown): unknown } };
  const parser = adapter.parser;
  if (!parser || typeof parser.encode !== "function") return undefined;
  // socket.io's EVENT packet, as `adapter.broadcast(packet, opts)` receives it (see @socket.io/redis-adapter's broadcast).
  return (channel, event, data) =>
    parser.encode([adapter.uid ?? "", { type: 2, data: [event, data], nsp: "/" }, { rooms: [channel], except: [], flags: {} }]);
}

/** `part`'s value, or `fallback` when it fails or runs past `capMs` (reported as `lateMessage`; the part goes on unawaited). */
async function withinCap<T>(
  part: Promise<T>,
  capMs: number,
  lateMessage: string,
  onError: (err: unknown) => void,
  fallback: T,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => {
      onError(new Error(lateMessage));
      resolve(fallback);
    }, capMs);
    timer.unref?.();
  });
  const settled = part.catch((err: unknown) => (onError(err), fallback));
  return Promise.race([settled, late]).finally(() => clearTimeout(timer));
}
