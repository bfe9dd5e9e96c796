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
import { nextTurn } from "../../rooms/afterReplies.js";
import { boardsChanged } from "./boardSink.js";
import { leadsChanged } from "./leadSink.js";
import { joinNotices } from "./noticeJoin.js";
import { noticeSenderOf } from "./noticeSink.js";
import { applyTrainingEffects, type TrainingEffects } from "./trainingHooks.js";
import { NO_FLUSH_WAIT } from "../db/noFlushWait.js";

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
  return (await applyOutboxRows(orm, [id])) === 1;
}

/**
 * Applies the rows of `ids` that nobody has, in that order, in ONE transaction (one WAL flush for the lot);
 * answers how many it applied. Rows being applied elsewhere right now are waited for and then skipped.
 */
export async function applyOutboxRows(orm: MikroORM, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const sender = noticeSenderOf(orm);
  const after: (() => void)[] = [];
  const changes = await orm.em.fork().transactional(async (tx) => {
    // Held challenge entries tell the member and the reviewers in this transaction, shown and delivered after it.
    const notices = sender ? { sender, within: joinNotices(tx, after) } : null;
    const rows: { id: string; payload: TrainingEffects | string }[] = await tx
      .getConnection()
      .execute(
        `delete from room_outbox where id in (${ids.map(() => "?").join(", ")}) returning id, payload, ${NO_FLUSH_WAIT}`,
        [...ids],
        "all",
        tx.getTransactionContext(),
      );
    const byId = new Map(rows.map((r) => [r.id, typeof r.payload === "string" ? (JSON.parse(r.payload) as TrainingEffects) : r.payload]));
    const out = [];
    for (const id of ids) {
      const fx = byId.get(id);
      if (fx) out.push(await applyTrainingEffects(tx, fx, notices));
    }
    return out;
  });
  for (const run of after) run();
  for (const { leadsMoved, ...change } of changes) {
    boardsChanged(orm, change);
    if (leadsMoved) leadsChanged(orm, change.gymId);
  }
  return changes.length;
}

/** Most rows one apply transaction takes. */
const APPLY_BATCH = 50;

/** Per ORM: the node's apply queue, drained one transaction at a time in commit order (see `applySoon`). */
const queues = new WeakMap<object, { ids: string[]; onError: (err: unknown) => void; running: Promise<void> | null }>();

/**
 * Right after a commit: applies its outbox row in the background, after every earlier one of this node (a
 * failure leaves it for the sweep). One queue per node, not per room: applies running side by side competed
 * with the rooms' own commits for pool connections and the core (a desk at 50/s had up to 5 at once, and a
 * class commit's p50 went from 16 to 72–83 ms with 3–5 of them beside it). Rows that queue while one apply
 * runs go together in the next transaction (one WAL flush for many); if that batch fails, each is tried alone.
 */
export function applySoon(orm: MikroORM, id: string, onError: (err: unknown) => void = () => undefined): void {
  let q = queues.get(orm.config);
  if (!q) queues.set(orm.config, (q = { ids: [], onError, running: null }));
  q.ids.push(id);
  q.onError = onError;
  if (q.running) return;
  const queue = q;
  queue.running = (async () => {
    // Not before the commit's answers are written (they are microtasks of this turn): the apply waits for the next one,
    // and rows of commits landing meanwhile go in the same transaction.
    await nextTurn();
    while (queue.ids.length > 0) {
      const batch = queue.ids.splice(0, APPLY_BATCH);
      try {
        await applyOutboxRows(orm, batch);
      } catch (err) {
        if (batch.length === 1) queue.onError(err);
        else for (const one of batch) await applyOutboxRows(orm, [one]).catch(queue.onError);
      }
    }
  })().finally(() => {
    queue.running = null;
  });
}

/** Waits for the applies started so far (shutdown; tests). */
export async function settleOutbox(orm: MikroORM): Promise<void> {
  const q = queues.get(orm.config);
  while (q?.running) await q.running;
}

/** Applies every row older than `olderThanMs` (left by a node that died, or an apply that failed); answers how many. */
export async function sweepOutbox(orm: MikroORM, now: number, olderThanMs = 0): Promise<number> {
  const rows = await orm.em
    .fork()
    .getConnection()
    .execute<{ id: string }[]>(`select id from room_outbox where created_at <= ? order by created_at limit 500`, [
      new Date(now - olderThanMs),
    ]);
  let applied = 0;
  for (const { id } of rows) if (await applyOutboxRow(orm, id)) applied += 1;
  return applied;
}

/** Sweeps at start and every `everyMs` (rows older than that); returns stop, which waits for the sweep in flight. */
export function startOutboxSweeper(
  orm: MikroORM,
  now: () => number,
  onError: (err: unknown) => void,
  everyMs = 5_000,
): () => Promise<void> {
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
