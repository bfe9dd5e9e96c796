/**
 * The inbox in SQL: notice rows written inside a room's commit statement (or a transaction of their own), and the
 * reads and read marks of a person's `user:` room. Plain statements: these run on every promotion and every open.
 */
import type { EntityManager } from "@mikro-orm/core";
import { INBOX_RESIDENT, type InboxNotice } from "../../domain/notices/inbox.js";
import type { NoticeKind } from "../../domain/notices/kinds.js";
import type { Notice } from "../../domain/notices/inbox.js";
import type { StatementPart } from "./changeSetStatement.js";
import { unnestRows } from "../db/statementRows.js";

const COLUMNS = `id, user_id, gym_id, kind, text, session_id, at, read_at, delivery_due_at, delivery_attempts, expires_at`;
const TUPLE = `(?::uuid, ?::uuid, ?::uuid, ?::varchar, ?::varchar, ?::uuid, ?::timestamptz, null::timestamptz, ?::timestamptz, 0, ?::timestamptz)`;

/** One notice's values, in the order of the columns both writes below list. */
const noticeRow = (n: InboxNotice, now: number) => [
  n.id,
  n.userId,
  n.gymId,
  n.kind,
  n.text.slice(0, 500),
  n.sessionId,
  new Date(n.at),
  new Date(now),
  n.expiresAt == null ? null : new Date(n.expiresAt),
];

/** The notices as one CTE of a room's commit statement: written only if the room's version held. Every row is due for delivery now. */
export function noticeInsert(notices: readonly InboxNotice[], now: number): StatementPart {
  const rows = unnestRows(
    ["uuid", "uuid", "uuid", "varchar", "varchar", "uuid", "timestamptz", "timestamptz", "timestamptz"],
    notices.map((n) => noticeRow(n, now)),
  );
  return {
    name: "notices",
    sql: `insert into notice (id, user_id, gym_id, kind, text, session_id, at, delivery_due_at, expires_at, read_at, delivery_attempts)
          select v.*, null::timestamptz, 0 from ${rows.sql} v where exists (select 1 from held)`,
    params: rows.params,
  };
}

/** Writes notices in the caller's transaction (`em` a transactional fork) or on their own. */
export async function insertNotices(em: EntityManager, notices: readonly InboxNotice[], now: number): Promise<void> {
  if (notices.length === 0) return;
  await em.getConnection().execute(
    `insert into notice (${COLUMNS}) values ${notices.map(() => TUPLE).join(", ")}`,
    notices.flatMap((n) => noticeRow(n, now)),
    "run",
    em.getTransactionContext(),
  );
}

type Row = {
  id: string;
  kind: string;
  text: string;
  session_id: string | null;
  gym_id: string | null;
  at: Date | string;
  read_at: Date | string | null;
};
const ms = (v: Date | string) => (v instanceof Date ? v.getTime() : Date.parse(v));
const toNotice = (r: Row): Notice => ({
  id: r.id,
  kind: r.kind as NoticeKind,
  text: r.text,
  sessionId: r.session_id,
  gymId: r.gym_id,
  at: ms(r.at),
  readAt: r.read_at === null ? null : ms(r.read_at),
});

/** A person's newest notices (up to {@link INBOX_RESIDENT}) and how many of all of them are unread, in one statement. */
export async function loadInbox(em: EntityManager, userId: string): Promise<{ notices: Notice[]; unread: number }> {
  const [row] = await em.getConnection().execute<{ unread: string | number; notices: Row[] | string }[]>(
    `select (select count(*) from notice where user_id = ? and read_at is null) as unread,
            coalesce((select json_agg(x) from (select id, kind, text, session_id, gym_id, at, read_at from notice
                       where user_id = ? order by at desc, id desc limit ${INBOX_RESIDENT}) x), '[]'::json) as notices`,
    [userId, userId],
  );
  const rows = typeof row?.notices === "string" ? (JSON.parse(row.notices) as Row[]) : (row?.notices ?? []);
  return { notices: rows.map(toNotice), unread: Number(row?.unread ?? 0) };
}

/** A page of notices older than `before` (newest first; keyset on time then id). */
export async function pageInbox(
  em: EntityManager,
  userId: string,
  before: { at: number; id: string } | null,
  limit: number,
): Promise<Notice[]> {
  const rows = await em
    .getConnection()
    .execute<Row[]>(
      `select id, kind, text, session_id, gym_id, at, read_at from notice where user_id = ?${before ? ` and (at, id) < (?::timestamptz, ?::uuid)` : ""} order by at desc, id desc limit ?`,
      before ? [userId, new Date(before.at), before.id, limit] : [userId, limit],
    );
  return rows.map(toNotice);
}

/** How many of `ids` are this person's and unread (a mark of notices older than the room holds). */
export async function unreadAmong(em: EntityManager, userId: string, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const [row] = await em
    .getConnection()
    .execute<{ n: string | number }[]>(
      `select count(*) as n from notice where user_id = ? and read_at is null and id in (${ids.map(() => "?::uuid").join(", ")})`,
      [userId, ...ids],
    );
  return Number(row?.n ?? 0);
}

/** Marks notices read (only the person's own, only unread ones keep their first read time). `ids` null: all of them. */
export async function markRead(em: EntityManager, userId: string, ids: readonly string[] | null, at: number): Promise<void> {
  if (ids !== null && ids.length === 0) return;
  await em
    .getConnection()
    .execute(
      `update notice set read_at = ? where user_id = ? and read_at is null${ids ? ` and id in (${ids.map(() => "?::uuid").join(", ")})` : ""}`,
      [new Date(at), userId, ...(ids ?? [])],
      "run",
      em.getTransactionContext(),
    );
}
