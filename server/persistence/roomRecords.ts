import type { EntityManager } from "@mikro-orm/core";
import { GENESIS_HASH, type AuditRow } from "../../domain/audit/chain.js";
import type { RoomId } from "../../domain/protocol/envelope.js";
import { VersionConflict, type AuditHead, type ProcessedRecord, type RoomMark } from "../../rooms/ports.js";
import { AUDIT_COLUMNS, AUDIT_TUPLE, auditParams } from "../audit/auditWriter.js";
import { ProcessedCommandEntity } from "../db/entities/index.js";

/**
 * What a room reads about itself when it loads, as columns of its snapshot statement (so the version is the
 * one its state was read at): `version`, `audit_head` and `processed`. Parameters: room, room, room, since.
 */
export const roomMarkColumns = `
  (select fence from room_fence where room_id = ?) as version,
  (select json_build_object('seq', seq, 'hash', hash) from audit_log where chain = ? order by seq desc limit 1) as audit_head,
  (select coalesce(json_agg(x), '[]'::json) from processed_command x where x.room = ? and x.created_at >= ?) as processed`;

/** Parameters of {@link roomMarkColumns}. */
export const roomMarkParams = (room: RoomId, since: number) => [room, room, room, new Date(since)];

/** Maps the {@link roomMarkColumns} of a loaded row. */
export function readRoomMark(em: EntityManager, row: Record<string, unknown>): { fence: number; audit: AuditHead; processed: ProcessedRecord[] } {
  const json = <T>(v: unknown): T => (typeof v === "string" ? (JSON.parse(v) as T) : (v as T));
  const head = json<{ seq: number; hash: string } | null>(row.audit_head);
  const processed = json<object[]>(row.processed).map((x) => {
    const r = { ...em.map(ProcessedCommandEntity, x as never) };
    return { ...r, room: r.room as RoomId, response: r.response as ProcessedRecord["response"] };
  });
  return { fence: row.version === null || row.version === undefined ? 0 : Number(row.version), audit: head ? { seq: Number(head.seq), hash: head.hash } : { seq: 0, hash: GENESIS_HASH }, processed };
}

/** What a room's commit writes besides its entities' changes. */
export interface RoomRecords {
  room: RoomId;
  mark: RoomMark;
  nodeId: string;
  now: number;
  processed: readonly ProcessedRecord[];
  audit: { rows: readonly AuditRow[]; head: AuditHead };
  /** Extra inserts that run only when the version held: `[sql of a CTE body taking "held" into account, params]`. */
  extra?: { sql: string; params: unknown[] }[];
}

const PROCESSED_TUPLE = "(?::varchar, ?::uuid, ?::varchar, ?::uuid, ?::varchar, ?::jsonb, ?::timestamptz)";

/**
 * The room's own records in ONE statement: compare-and-set its version (insert the row for a room's first
 * commit), and — only if that held — the processed commands and the audit rows. Throws `VersionConflict` when
 * the version moved since the room loaded (another owner committed): the caller's transaction rolls back.
 *
 * The version check waits for the row lock if another owner's commit is in flight, then re-checks against what
 * it committed; so two owners never both commit from one version.
 */
export async function commitRecords(tx: EntityManager, r: RoomRecords): Promise<RoomMark> {
  const params: unknown[] = [r.room, r.mark.version + 1, r.nodeId, new Date(r.now), r.mark.version];
  const parts = [
    `held as (insert into room_fence (room_id, fence, owner_node, updated_at) values (?, ?, ?, ?)
       on conflict (room_id) do update set fence = excluded.fence, owner_node = excluded.owner_node, updated_at = excluded.updated_at
       where room_fence.fence = ? returning fence)`,
  ];
  if (r.processed.length > 0) {
    parts.push(
      `p as (insert into processed_command (room, user_id, command_id, gym_id, type, response, created_at)
       select * from (values ${r.processed.map(() => PROCESSED_TUPLE).join(", ")}) v where exists (select 1 from held))`,
    );
    for (const p of r.processed) params.push(p.room, p.userId, p.commandId, p.gymId, p.type, JSON.stringify(p.response), new Date(p.createdAt));
  }
  if (r.audit.rows.length > 0) {
    parts.push(`a as (insert into audit_log (${AUDIT_COLUMNS}) select * from (values ${r.audit.rows.map(() => AUDIT_TUPLE).join(", ")}) v where exists (select 1 from held))`);
    params.push(...auditParams(r.audit.rows));
  }
  r.extra?.forEach((e, i) => {
    parts.push(`x${i} as (${e.sql})`);
    params.push(...e.params);
  });
  const rows = await tx
    .getConnection()
    .execute<{ fence: string | number }[]>(`with ${parts.join(",\n")} select fence from held`, params, "all", tx.getTransactionContext());
  if (rows.length === 0) throw new VersionConflict(r.room);
  return { version: Number(rows[0]!.fence), audit: r.audit.head };
}
