import type { EntityManager } from "@mikro-orm/core";
import { GENESIS_HASH, linkRows, type AuditDraft, type AuditRow, type ChainHead } from "../../domain/audit/chain.js";
import { sha256Hex } from "./hash.js";
import { runBound } from "../db/boundStatement.js";
import { unnestRows } from "../db/statementRows.js";

/** Columns of an audit row as inserted (`pos` from its sequence: taking a number locks nothing until commit). */
export const AUDIT_COLUMNS =
  "id, gym_id, chain, seq, at, actor_id, role, action, entity_type, entity_id, summary, command_id, prev_hash, hash, pos";

/** One row's tuple, cast so it also reads as a `values` list in a `select` (no column types to infer from). */
export const AUDIT_TUPLE =
  "(?::uuid, ?::uuid, ?::varchar, ?::int, ?::timestamptz, ?::uuid, ?::varchar, ?::varchar, ?::varchar, ?::varchar, ?::jsonb, ?::varchar, ?::varchar, ?::varchar, nextval('audit_log_pos_seq'))";

/** Each row's values in {@link AUDIT_COLUMNS} order (without `pos`). */
export function auditValues(rows: readonly AuditRow[]): unknown[][] {
  return rows.map((r) => [
    r.id,
    r.gymId,
    r.chain,
    r.seq,
    new Date(r.at),
    r.actorId,
    r.role,
    r.action,
    r.entityType,
    r.entityId,
    JSON.stringify(r.summary),
    r.commandId,
    r.prevHash,
    r.hash,
  ]);
}

/** Parameters of `rows`, in {@link AUDIT_COLUMNS} order. */
export function auditParams(rows: readonly AuditRow[]): unknown[] {
  return auditValues(rows).flat();
}

/** The casts of {@link auditValues}' columns, for rows sent as one array per column. */
export const AUDIT_CASTS = [
  "uuid",
  "uuid",
  "varchar",
  "int",
  "timestamptz",
  "uuid",
  "varchar",
  "varchar",
  "varchar",
  "varchar",
  "jsonb",
  "varchar",
  "varchar",
  "varchar",
];

/**
 * Links drafts onto a room's own chain after `head`, which the room holds in memory: the room is its chain's
 * single writer (every commit compare-and-sets the room's version), so appending takes no lock and reads nothing.
 * Command rows take the role their command was sent with.
 */
export function linkRoomRows(
  gymId: string,
  room: string,
  head: ChainHead,
  drafts: readonly AuditDraft[],
  roleOf: ReadonlyMap<string, string | null>,
) {
  return linkRows(gymId, room, head, drafts, sha256Hex, (actorId) => roleOf.get(actorId) ?? null);
}

/**
 * Appends drafts to a gym-level chain (`chain` = the gym id) inside the caller's transaction: one statement locks
 * the chain head (and reads the actors' roles), one inserts every row and moves the head. Nothing is written for
 * no drafts. Only the anchor writer and rare gym-wide actions (privacy) append here, never a room's commit.
 *
 * Serialization: the head row is taken with `insert … on conflict do update … returning`, which either creates
 * it or row-locks it and returns its LATEST committed version (also after waiting for another append).
 * `select … order by seq desc limit 1 for update` would not do: for a gym's first row there is nothing to lock,
 * and after waiting it re-returns the row it locked — no longer the last one. The lock is held until commit.
 */
export async function appendAudit(tx: EntityManager, gymId: string, drafts: readonly AuditDraft[]): Promise<AuditRow[]> {
  if (drafts.length === 0) return [];
  const conn = tx.getConnection();
  const trx = tx.getTransactionContext();
  if (!trx) throw new Error("appendAudit must run inside the caller's transaction");
  await tx.flush();
  const actors = [...new Set(drafts.map((d) => d.actorId).filter((x): x is string => x !== null))];
  const roles = actors.length
    ? `(select json_object_agg(user_id, role) from gym_membership where gym_id = ? and user_id in (${actors.map(() => "?").join(",")}))`
    : "null";
  const [locked] = await conn.execute<{ seq: number | string; hash: string; roles: Record<string, string> | string | null }[]>(
    `with head as (
       insert into audit_head (gym_id, seq, hash) values (?, 0, ?)
       on conflict (gym_id) do update set seq = audit_head.seq
       returning seq, hash)
     select head.seq, head.hash, ${roles} as roles from head`,
    [gymId, GENESIS_HASH, ...(actors.length ? [gymId, ...actors] : [])],
    "all",
    trx,
  );
  const roleOf = typeof locked!.roles === "string" ? (JSON.parse(locked!.roles) as Record<string, string>) : (locked!.roles ?? {});
  const head: ChainHead = { seq: Number(locked!.seq), hash: locked!.hash };
  const withRoles = drafts.map((d) => (d.actorId === null ? d : { ...d, role: roleOf[d.actorId] ?? null }));
  const linked = linkRows(gymId, gymId, head, withRoles, sha256Hex);
  await conn.execute(
    `with moved as (update audit_head set seq = ?, hash = ? where gym_id = ?)
     insert into audit_log (${AUDIT_COLUMNS}) values ${linked.rows.map(() => AUDIT_TUPLE).join(", ")}`,
    [linked.head.seq, linked.head.hash, gymId, ...auditParams(linked.rows)],
    "run",
    trx,
  );
  return linked.rows;
}

/**
 * Appends drafts WITHOUT actors (system rows, e.g. anchors) to a gym-level chain whose head the caller believes
 * is `head`, in ONE autocommit statement: the head moves only if it still is `head` (compare-and-set; a chain
 * with no head row yet is at seq 0 and the genesis hash), and the rows go in only if it moved. Answers the new
 * head, or null when the head was elsewhere (another writer appended): nothing was written.
 */
export async function appendAuditAfter(
  em: EntityManager,
  gymId: string,
  head: ChainHead,
  drafts: readonly AuditDraft[],
): Promise<ChainHead | null> {
  if (drafts.some((d) => d.actorId !== null))
    throw new Error("appendAuditAfter takes system rows only (actors' roles are read under the head's lock)");
  const linked = linkRows(gymId, gymId, head, drafts, sha256Hex);
  // Bound and prepared like a room's commit (it follows every commit): the rows as arrays, so one text for any count.
  // It waits for its flush (unlike the outbox apply): a head someone saw and copied out of the database must never
  // vanish in a crash and come back with another hash, or the copy would look like tampering (docs/security.md).
  const values = unnestRows(AUDIT_CASTS, auditValues(linked.rows));
  const rows = await runBound<unknown>(
    em,
    `with moved as (insert into audit_head (gym_id, seq, hash) values (?, ?, ?)
       on conflict (gym_id) do update set seq = excluded.seq, hash = excluded.hash where audit_head.seq = ? and audit_head.hash = ? returning 1)
     insert into audit_log (${AUDIT_COLUMNS}) select v.*, nextval('audit_log_pos_seq') from ${values.sql} v
      where exists (select 1 from moved) returning 1`,
    [gymId, linked.head.seq, linked.head.hash, head.seq, head.hash, ...values.params],
  );
  return rows.length === linked.rows.length ? linked.head : null;
}

/** A gym-level chain's head as committed now (seq 0 and the genesis hash when it has none); reads, locks nothing. */
export async function readGymHead(em: EntityManager, gymId: string): Promise<ChainHead> {
  const [row] = await em
    .getConnection()
    .execute<{ seq: number | string; hash: string }[]>(`select seq, hash from audit_head where gym_id = ?`, [gymId], "all");
  return row ? { seq: Number(row.seq), hash: row.hash } : { seq: 0, hash: GENESIS_HASH };
}
