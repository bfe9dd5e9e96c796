import { randomUUID } from "node:crypto";
import type { EntityManager, MikroORM } from "@mikro-orm/core";
import type { FeedSink } from "../../app/feed/liveFeed.js";
import { defaultVisibility, invalidFeedEvent, type FeedEvent, type NewFeedEvent, type Visibility } from "../../domain/feed/events.js";

export type { FeedSink };

/** Events inserted in a still-open transaction, keyed by its root transaction object. */
const pending = new WeakMap<object, FeedEvent[]>();
/** The sink per ORM (its Configuration object, shared by every fork), for inserts that autocommitted. */
const sinks = new WeakMap<object, FeedSink>();

/** A savepoint's enclosing transaction (MikroORM marks it with a `parentTransaction` symbol); commit hooks fire for the root only. */
function rootOf(trx: object): object {
  for (let t = trx; ;) {
    const sym = Object.getOwnPropertySymbols(t).find((s) => s.description === "parentTransaction");
    const parent = sym ? (t as Record<symbol, unknown>)[sym] : undefined;
    if (!parent || typeof parent !== "object") return t;
    t = parent;
  }
}

type InsertedRow = {
  id: string;
  gym_id: string;
  actor_id: string;
  kind: string;
  visibility: string;
  payload: unknown;
  at: Date | string;
  dedupe_key: string | null;
  created_at: Date | string;
};

/**
 * Appends feed events — the API the producers (workouts, PRs, check-ins, challenges, streaks) call.
 *
 * **Transaction contract.** The INSERT runs at once through `em`'s connection **in `em`'s current transaction**
 * (`em.transactional(tx => …)` → pass `tx`); it does not flush `em`'s unit of work and never commits or rolls back
 * by itself. The events become visible, and are pushed live to watching members, only when the caller's root
 * transaction commits; if it rolls back nothing is stored and nothing is pushed. Called outside any
 * transaction, the INSERT autocommits on its own and is pushed at once. Inside a nested transaction (savepoint)
 * the push waits for the outermost commit; a savepoint rolled back on its own while the outer transaction commits
 * is not detected (its events would be pushed though not stored) — producers append in their outermost transaction.
 *
 * - `visibility` omitted → the actor's setting (`feed:setDefaultVisibility`), else `gym` (or `private` for
 *   members hidden on rosters), see `defaultVisibility`.
 * - Same `dedupeKey` in the same gym again (a retried commit, a replay) → stored once, pushed once.
 * - An invalid event (unknown kind/visibility, payload over 2,000 JSON chars, non-integer `at`) throws an
 *   `Error` before anything is written: it is a programming error of the producer, not member input.
 *
 * @example
 * await em.transactional(async (tx) => {
 *   tx.create(WorkoutLogEntity, log);
 *   await appendFeedEvents(tx, [{ gymId, actorId: memberId, kind: "workout_logged", payload: { title }, at: now, dedupeKey: `log:${log.id}` }]);
 * });
 */
export async function appendFeedEvents(em: EntityManager, events: NewFeedEvent[]): Promise<void> {
  if (events.length === 0) return;
  for (const e of events) {
    const why = invalidFeedEvent(e);
    if (why) throw new Error(`appendFeedEvents: ${why}`);
  }
  const trx = em.getTransactionContext<object>();
  const conn = em.getConnection();
  const needDefault = [...new Set(events.filter((e) => e.visibility === undefined).map((e) => e.actorId))];
  const defaults = new Map<string, Visibility>();
  if (needDefault.length) {
    const rows = await conn.execute<{ id: string; visible: boolean; default_visibility: Visibility | null }[]>(
      `select u.id, u.visible, s.default_visibility from app_user u left join feed_setting s on s.user_id = u.id where u.id in (${needDefault.map(() => "?").join(", ")})`,
      needDefault,
      "all",
      trx,
    );
    for (const r of rows) defaults.set(r.id, defaultVisibility(r.default_visibility, r.visible));
  }
  const params: unknown[] = [];
  const values = events.map((e) => {
    params.push(
      randomUUID(),
      e.gymId,
      e.actorId,
      e.kind,
      e.visibility ?? defaults.get(e.actorId) ?? "private",
      JSON.stringify(e.payload),
      new Date(e.at),
      e.dedupeKey ?? null,
    );
    return "(?, ?, ?, ?, ?, ?::jsonb, ?, ?, now())";
  });
  const inserted = await conn.execute<InsertedRow[]>(
    `insert into feed_event (id, gym_id, actor_id, kind, visibility, payload, at, dedupe_key, created_at) values ${values.join(", ")}
     on conflict (gym_id, dedupe_key) do nothing
     returning id, gym_id, actor_id, kind, visibility, payload, at, dedupe_key, created_at`,
    params,
    "all",
    trx,
  );
  const stored = inserted.map(toFeedEvent);
  if (stored.length === 0) return;
  if (trx) {
    const root = rootOf(trx);
    pending.set(root, [...(pending.get(root) ?? []), ...stored]);
  } else {
    sinks.get(em.config)?.(stored);
  }
}

export function toFeedEvent(r: InsertedRow): FeedEvent {
  return {
    id: r.id,
    gymId: r.gym_id,
    actorId: r.actor_id,
    kind: r.kind as FeedEvent["kind"],
    visibility: r.visibility as Visibility,
    payload: (typeof r.payload === "string" ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>,
    at: new Date(r.at).getTime(),
    dedupeKey: r.dedupe_key,
    createdAt: new Date(r.created_at).getTime(),
  };
}

/**
 * Connects an ORM to live delivery: events appended through any of its EntityManagers reach `sink` right
 * after their transaction commits (never for a rollback). Installed once per server by `createServer`.
 */
export function installFeedDelivery(orm: MikroORM, sink: FeedSink): void {
  sinks.set(orm.config, sink);
  orm.em.getEventManager().registerSubscriber({
    afterTransactionCommit: async ({ transaction }) => {
      const events = transaction ? pending.get(transaction) : undefined;
      if (!events) return;
      pending.delete(transaction as object);
      sink(events);
    },
    afterTransactionRollback: async ({ transaction }) => {
      if (transaction) pending.delete(transaction);
    },
  });
}
