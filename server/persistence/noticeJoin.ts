/**
 * Notices inside a store's own transaction (issue 20): {@link NoticeTransaction} over a transactional fork, so a
 * `NoticeSender.notify(…, within)` writes its rows in the commit of the event that caused them and tells the live
 * rooms only after that commit. Also who on a gym's staff hears of something.
 */
import type { EntityManager } from "@mikro-orm/core";
import type { NoticeTransaction } from "../../app/notices/ports.js";
import { insertNotices } from "./noticeRows.js";

/** Joins notices to `tx`; `after` collects what runs once it commits (the caller runs them). */
export function joinNotices(tx: EntityManager, after: (() => void)[]): NoticeTransaction {
  return { insertNotices: (notices, now) => insertNotices(tx, notices, now), afterCommit: (fn) => void after.push(fn) };
}

/** Runs `work` in one transaction that notices can join; their delivery starts after it commits. */
export async function transactionWithNotices<T>(
  em: EntityManager,
  work: (tx: EntityManager, notices: NoticeTransaction) => Promise<T>,
): Promise<T> {
  const after: (() => void)[] = [];
  const result = await em.transactional((tx) => work(tx, joinNotices(tx, after)));
  for (const run of after) run();
  return result;
}

/** Most staff one alert goes to (a gym's owners, admins and coaches are far fewer). */
const MAX_STAFF = 200;

/** The gym's staff in `roles` (active memberships), without `except` (e.g. the author of a reported post). */
export async function staffOf(
  em: EntityManager,
  gymId: string,
  roles: readonly string[],
  except: readonly string[] = [],
): Promise<string[]> {
  const rows: { user_id: string }[] = await em
    .getConnection()
    .execute<{ user_id: string }[]>(
      `select user_id from gym_membership where gym_id = ? and role in (${roles.map(() => "?").join(", ")}) and status <> 'cancelled' order by user_id limit ${MAX_STAFF}`,
      [gymId, ...roles],
      "all",
      em.getTransactionContext(),
    );
  return rows.map((r) => r.user_id).filter((id) => !except.includes(id));
}
