/**
 * Staff told of an unsigned waiver at the desk (issue 20), as parts of the gym room's commit statement: a
 * `waiver_alert` row per member and gym-local day (a retry at the desk the same day adds none), and — only for the
 * rows that went in — a `waiver_unsigned` notice to each of the gym's owners and admins and the class's coach
 * (never the member, nor the staff member who scanned them). Written only if the room's version held.
 */
import type { InboxNotice } from "../../domain/notices/inbox.js";
import type { NoticeKind } from "../../domain/notices/kinds.js";
import { AdminRoles } from "../../domain/roles.js";
import type { GymChange, WaiverAlert } from "../../rooms/gymPorts.js";
import { noticeInsert } from "./noticeRows.js";
import type { StatementPart } from "./changeSetStatement.js";
import { unnestRows } from "../db/statementRows.js";

/** The statement parts, and what the statement answers with: the notices it stored. */
export function waiverAlertParts(gymId: string, alerts: readonly WaiverAlert[], now: number) {
  const rows = unnestRows(
    ["uuid", "varchar", "timestamptz", "uuid", "uuid", "varchar"],
    alerts.map((a) => [a.memberId, a.day, new Date(a.at), a.sessionId, a.byUserId, a.text.slice(0, 500)]),
  );
  const writes: StatementPart[] = [
    {
      name: "alert_rows",
      sql: `select distinct on (member_id, day) * from ${rows.sql} as v(member_id, day, at, session_id, by_user, text)
            order by member_id, day, at`,
      params: rows.params,
    },
    {
      name: "alerts",
      sql: `insert into waiver_alert (gym_id, member_id, day, at) select ?::uuid, member_id, day, at from alert_rows
            where exists (select 1 from held) on conflict do nothing returning member_id, day`,
      params: [gymId],
    },
    {
      name: "alert_notices",
      sql: `insert into notice (id, user_id, gym_id, kind, text, session_id, at, delivery_due_at, expires_at, read_at, delivery_attempts)
            select gen_random_uuid(), s.user_id, ?::uuid, 'waiver_unsigned', v.text, v.session_id, v.at, ?::timestamptz, null, null, 0
              from alert_rows v join alerts a on a.member_id = v.member_id and a.day = v.day
              cross join lateral (
                select m.user_id from gym_membership m
                 where m.gym_id = ?::uuid and m.role in (${AdminRoles.map(() => "?").join(", ")}) and m.status <> 'cancelled'
                union
                select c.coach_id from class_session c where c.id = v.session_id and c.coach_id is not null) s
             where s.user_id <> v.member_id and s.user_id is distinct from v.by_user
            returning id, user_id, gym_id, kind, text, session_id, at`,
      params: [gymId, new Date(now), gymId, ...AdminRoles],
    },
  ];
  return { writes, collect: { name: "alert_notices", sql: `select coalesce(json_agg(x), '[]'::json) from alert_notices x` } };
}

type Row = { id: string; user_id: string; gym_id: string; kind: string; text: string; session_id: string | null; at: string };

/** The stored notices, from what the statement answered. */
export function alertNotices(collected: unknown): InboxNotice[] {
  const rows = (typeof collected === "string" ? JSON.parse(collected) : (collected ?? [])) as Row[];
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    gymId: r.gym_id,
    kind: r.kind as NoticeKind,
    text: r.text,
    sessionId: r.session_id,
    at: Date.parse(r.at),
    readAt: null,
  }));
}

/**
 * The notices of a gym room's commit as statement parts: staff's waiver alerts and the members' own notices (an
 * override told to the member), with what to collect and, from what the statement answered, the stored notices.
 */
export function gymNoticeParts(gymId: string, changes: readonly GymChange[], now: number) {
  const alerts = changes.flatMap((c) => (c.type === "waiverAlert" ? [c.alert] : []));
  const told = alerts.length > 0 ? waiverAlertParts(gymId, alerts, now) : null;
  const own = changes.flatMap((c) => (c.type === "notice" ? [c.notice] : []));
  return {
    writes: [...(told?.writes ?? []), ...(own.length > 0 ? [noticeInsert(own, now)] : [])],
    collect: told ? [told.collect] : [],
    stored: (collected: Record<string, unknown>): InboxNotice[] => [...(told ? alertNotices(collected[told.collect.name]) : []), ...own],
  };
}
