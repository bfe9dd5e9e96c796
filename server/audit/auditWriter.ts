import type { EntityManager } from "@mikro-orm/core";
import { GENESIS_HASH, linkRows, type AuditDraft, type AuditRow, type ChainHead } from "../../domain/audit/chain.js";
import { sha256Hex } from "./hash.js";

const COLUMNS = 13;

/**
 * Appends drafts to the gym's audit chain inside the caller's transaction: one statement locks the chain head
 * (and reads the actors' roles), one inserts every row and moves the head. Nothing is written for no drafts.
 *
 * Serialization: the head row is taken with `insert … on conflict do update … returning`, which either creates
 * it or row-locks it and returns its LATEST committed version (also after waiting for another commit of the
 * gym). `select … order by seq desc limit 1 for update` would not do: for a gym's first row there is nothing
 * to lock, and after waiting it re-returns the row it locked — no longer the last one — so two rooms of one gym
 * would both write the same `seq` and one commit would fail. The lock is held until commit, so the
 * caller appends last in its transaction; pending entity changes are flushed before the lock is taken.
 */
export async function appendAudit(tx: EntityManager, gymId: string, drafts: readonly AuditDraft[]): Promise<AuditRow[]> {
  if (drafts.length === 0) return [];
  const conn = tx.getConnection();
  const trx = tx.getTransactionContext();
  if (!trx) throw new Error("appendAudit must run inside the commit's transaction");
  // Write the unit of work's rows first: the chain lock below is held until COMMIT, and every statement
  // after it is time that every other room of the gym waits (check-ins at a desk queued 340 ms behind it).
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
  const linked = linkRows(gymId, head, withRoles, sha256Hex);
  const values = linked.rows.flatMap((r) => [
    r.id, r.gymId, r.seq, new Date(r.at), r.actorId, r.role, r.action, r.entityType, r.entityId, JSON.stringify(r.summary), r.commandId, r.prevHash, r.hash,
  ]);
  const tuple = `(${Array.from({ length: COLUMNS }, (_, i) => (i === 9 ? "?::jsonb" : "?")).join(", ")})`;
  await conn.execute(
    `with moved as (update audit_head set seq = ?, hash = ? where gym_id = ?)
     insert into audit_log (id, gym_id, seq, at, actor_id, role, action, entity_type, entity_id, summary, command_id, prev_hash, hash)
     values ${linked.rows.map(() => tuple).join(", ")}`,
    [linked.head.seq, linked.head.hash, gymId, ...values],
    "run",
    trx,
  );
  return linked.rows;
}
