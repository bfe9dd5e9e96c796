import type { EntityManager } from "@mikro-orm/core";
import { GENESIS_HASH, type AuditRow } from "../../domain/audit/chain.js";
import type { RoomId } from "../../domain/protocol/envelope.js";
import { VersionConflict, type AuditHead, type ProcessedRecord, type RoomMark } from "../../rooms/ports.js";
import { AUDIT_CASTS, AUDIT_COLUMNS, auditValues } from "../audit/auditWriter.js";
import { ProcessedCommandEntity } from "../db/entities/index.js";
import type { StatementPart } from "./changeSetStatement.js";
import { runBound } from "../db/boundStatement.js";
import { unnestRows } from "../db/statementRows.js";

/**
 * What a room reads about itself when it loads, as columns of its snapshot statement (so the version is the
 * one its state was read at): `version`, `audit_head` and `processed`, for the room named by the SQL
 * expression `room` (a column of a batched read). Parameter: since.
 */
export const roomMarkColumnsOf = (room: string) => `
  (select fence from room_fence where room_id = ${room}) as version,
  (select json_build_object('seq', seq, 'hash', hash) from audit_log where chain = ${room} order by seq desc limit 1) as audit_head,
  (select coalesce(json_agg(x), '[]'::json) from processed_command x where x.room = ${room} and x.created_at >= ?) as processed`;

/** {@link roomMarkColumnsOf} one room given as a parameter. Parameters: room, room, room, since. */
export const roomMarkColumns = roomMarkColumnsOf("?");

/** Parameters of {@link roomMarkColumns}. */
export const roomMarkParams = (room: RoomId, since: number) => [room, room, room, new Date(since)];

/** Maps the {@link roomMarkColumns} of a loaded row. */
export function readRoomMark(
  em: EntityManager,
  row: Record<string, unknown>,
): { fence: number; audit: AuditHead; processed: ProcessedRecord[] } {
  const json = <T>(v: unknown): T => (typeof v === "string" ? (JSON.parse(v) as T) : (v as T));
  const head = json<{ seq: number; hash: string } | null>(row.audit_head);
  const processed = json<object[]>(row.processed).map((x) => {
    const r = { ...em.map(ProcessedCommandEntity, x as never) };
    return { ...r, room: r.room as RoomId, response: r.response as ProcessedRecord["response"] };
  });
  return {
    fence: row.version === null || row.version === undefined ? 0 : Number(row.version),
    audit: head ? { seq: Number(head.seq), hash: head.hash } : { seq: 0, hash: GENESIS_HASH },
    processed,
  };
}

/** What a room's commit writes: its own records, its entities' changes, and the guards that may refuse it. */
export interface RoomRecords {
  room: RoomId;
  mark: RoomMark;
  nodeId: string;
  now: number;
  processed: readonly ProcessedRecord[];
  audit: { rows: readonly AuditRow[]; head: AuditHead };
  /** Further CTEs, each written only when the version held (its SQL says `exists (select 1 from held)`). */
  writes?: readonly StatementPart[];
  /**
   * Expressions evaluated once the version held; each may call `room_commit_refused(kind, members)` (a database
   * function that raises), which undoes the whole statement and reaches the caller as {@link CommitRefused}.
   */
  guards?: readonly { sql: string; params: unknown[] }[];
  /** Expressions the statement answers with once the version held (e.g. rows a write returned), by name. */
  collect?: readonly { name: string; sql: string }[];
}

/** A guard of the commit statement refused it (nothing was written): `kind` as the guard named it, and whom. */
export class CommitRefused extends Error {
  constructor(
    readonly kind: string,
    readonly memberIds: string[],
  ) {
    super(`room commit refused: ${kind} (${memberIds.join(", ")})`);
  }
}

/** The SQLSTATE `room_commit_refused` raises (migration 20261206061500). */
const REFUSED = "SP409";

const PROCESSED_CASTS = ["varchar", "uuid", "varchar", "uuid", "varchar", "jsonb", "timestamptz"];

/**
 * A room's whole commit in ONE statement, and so one round trip and one transaction of its own (no BEGIN, no
 * COMMIT): compare-and-set its version (insert the row for a room's first commit), and — only if that held —
 * the processed commands, the audit rows, the entity changes and any further writes; then the guards. Throws
 * `VersionConflict` when the version moved since the room loaded (another owner committed) and
 * {@link CommitRefused} when a guard refused: in both cases nothing was written.
 *
 * The version check waits for the row lock if another owner's commit is in flight, then re-checks against what
 * it committed; so two owners never both commit from one version.
 */
export async function commitRoom(em: EntityManager, r: RoomRecords): Promise<RoomMark & { collected: Record<string, unknown> }> {
  const params: unknown[] = [r.room, r.mark.version + 1, r.nodeId, new Date(r.now), r.mark.version];
  const parts = [
    // A version below 0 never holds (a real one is 0 or more): such a statement proposes no row, so it inserts,
    // updates and locks nothing and every part after it writes nothing (the start-up warm-up, commitWarmUp.ts).
    `held as (insert into room_fence (room_id, fence, owner_node, updated_at)
       select * from (values (?::varchar, ?::bigint, ?::varchar, ?::timestamptz)) as v(room_id, fence, owner_node, updated_at) where v.fence > 0
       on conflict (room_id) do update set fence = excluded.fence, owner_node = excluded.owner_node, updated_at = excluded.updated_at
       where room_fence.fence = ? returning fence)`,
  ];
  if (r.processed.length > 0) {
    const rows = unnestRows(
      PROCESSED_CASTS,
      r.processed.map((p) => [p.room, p.userId, p.commandId, p.gymId, p.type, JSON.stringify(p.response), new Date(p.createdAt)]),
    );
    parts.push(
      `p as (insert into processed_command (room, user_id, command_id, gym_id, type, response, created_at)
       select * from ${rows.sql} v where exists (select 1 from held))`,
    );
    params.push(...rows.params);
  }
  if (r.audit.rows.length > 0) {
    const rows = unnestRows(AUDIT_CASTS, auditValues(r.audit.rows));
    parts.push(
      `a as (insert into audit_log (${AUDIT_COLUMNS}) select v.*, nextval('audit_log_pos_seq') from ${rows.sql} v where exists (select 1 from held))`,
    );
    params.push(...rows.params);
  }
  for (const w of r.writes ?? []) {
    parts.push(`${w.name} as (${w.sql})`);
    params.push(...w.params);
  }
  const guards = (r.guards ?? []).map((g, i) => {
    params.push(...g.params);
    return `, (${g.sql}) as g${i}`;
  });
  const collect = (r.collect ?? []).map((c) => `, (${c.sql}) as ${c.name}`);
  let rows: ({ fence: string | number } & Record<string, unknown>)[];
  try {
    rows = await runBound(em, `with ${parts.join(",\n")} select fence${guards.join("")}${collect.join("")} from held`, params);
  } catch (err) {
    const e = err as { code?: string; detail?: string };
    if (e.code === REFUSED) {
      const [kind, members = ""] = (e.detail ?? "").split(":");
      throw new CommitRefused(kind ?? "", members ? members.split(",") : []);
    }
    throw err;
  }
  if (rows.length === 0) throw new VersionConflict(r.room);
  const row = rows[0]!;
  return {
    version: Number(row.fence),
    audit: r.audit.head,
    collected: Object.fromEntries((r.collect ?? []).map((c) => [c.name, row[c.name]])),
  };
}
