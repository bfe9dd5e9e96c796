/**
 * The room outbox: side effects of a room's commit that the member's answer need not wait for (streaks,
 * milestones, XP, challenge progress, leaderboards), stored as a row IN the commit and applied right after by
 * their own step. Applying runs the effects and deletes the row in one transaction; the delete takes the row
 * lock first, so two appliers (this node's step and a sweep after a restart) never both apply one row, and a
 * node that dies between the commit and the apply leaves the row for the next sweep: applied exactly once.
 */
import { randomUUID } from "node:crypto";
import type { MikroORM } from "@mikro-orm/core";
import type { RoomId } from "../../domain/protocol/envelope.js";
import { boardsChanged } from "../realtime/boardChanges.js";
import { applyTrainingEffects, type TrainingEffects } from "./trainingHooks.js";

/** An outbox row to add to a commit: the CTE body for `commitRecords`' `extra` (written only if the version held). */
export function outboxInsert(room: RoomId, fx: TrainingEffects): { id: string; sql: string; params: unknown[] } {
  const id = randomUUID();
  return {
    id,
    sql: `insert into room_outbox (id, gym_id, room, payload, created_at) select ?::uuid, ?::uuid, ?::varchar, ?::jsonb, ?::timestamptz where exists (select 1 from held)`,
    params: [id, fx.gymId, room, JSON.stringify(fx), new Date(fx.now)],
  };
}

/** Applies one outbox row if nobody has (false: already applied, or being applied elsewhere right now). */
export async function applyOutboxRow(orm: MikroORM, id: string): Promise<boolean> {
  const change = await orm.em.fork().transactional(async (tx) => {
    const [row] = await tx
      .getConnection()
      .execute<{ payload: TrainingEffects | string }[]>(`delete from room_outbox where id = ? returning payload`, [id], "all", tx.getTransactionContext());
    if (!row) return null;
    return applyTrainingEffects(tx, typeof row.payload === "string" ? (JSON.parse(row.payload) as TrainingEffects) : row.payload);
  });
  if (change) boardsChanged(orm, change);
  return change !== null;
}

/** Per ORM: the node's applies, chained so they run one at a time in commit order (see `applySoon`). */
const inFlight = new WeakMap<object, Map<string, Promise<void>>>();

/**
 * Right after a commit: applies its outbox row in the background, after every earlier one of this node (a
 * failure leaves it for the sweep). One chain per node, not per room: applies running side by side competed
 * with the rooms' own commits for pool connections and the core (a desk at 50/s had up to 5 at once, and a
 * class commit's p50 went from 16 to 72–83 ms with 3–5 of them beside it). One at a time keeps every room's
 * order and leaves the commits room.
 */
export function applySoon(orm: MikroORM, id: string, onError: (err: unknown) => void = () => undefined): void {
  let rooms = inFlight.get(orm.config);
  if (!rooms) inFlight.set(orm.config, (rooms = new Map()));
  const room = "node";
  const next: Promise<void> = (rooms.get(room) ?? Promise.resolve())
    .then(() => applyOutboxRow(orm, id))
    .then(() => undefined, onError)
    .finally(() => {
      if (rooms.get(room) === next) rooms.delete(room);
    });
  rooms.set(room, next);
}

/** Waits for the applies started so far (shutdown; tests). */
export async function settleOutbox(orm: MikroORM): Promise<void> {
  const rooms = inFlight.get(orm.config);
  while (rooms && rooms.size > 0) await Promise.all([...rooms.values()]);
}

/** Applies every row older than `olderThanMs` (left by a node that died, or an apply that failed); answers how many. */
export async function sweepOutbox(orm: MikroORM, now: number, olderThanMs = 0): Promise<number> {
  const rows = await orm.em
    .fork()
    .getConnection()
    .execute<{ id: string }[]>(`select id from room_outbox where created_at <= ? order by created_at limit 500`, [new Date(now - olderThanMs)]);
  let applied = 0;
  for (const { id } of rows) if (await applyOutboxRow(orm, id)) applied += 1;
  return applied;
}

/** Sweeps at start and every `everyMs` (rows older than that); returns stop, which waits for the sweep in flight. */
export function startOutboxSweeper(orm: MikroORM, now: () => number, onError: (err: unknown) => void, everyMs = 5_000): () => Promise<void> {
  let current: Promise<unknown> = sweepOutbox(orm, now()).catch(onError);
  const timer = setInterval(() => {
    current = current.then(() => sweepOutbox(orm, now(), everyMs)).catch(onError);
  }, everyMs);
  timer.unref?.();
  return async () => {
    clearInterval(timer);
    await current;
    await settleOutbox(orm);
  };
}
