/**
 * The visit history import's reads (`app/admin/visitImport.ts`) over PostgreSQL, batched (a JSON array per statement).
 * The visits themselves are written by `importHistory` through the history store.
 */
import type { EntityManager, MikroORM } from "@mikro-orm/core";
import type { VisitImportReads } from "../../app/admin/visitImport.js";
import { chunks, gymZone, statements } from "./importTransaction.js";

const iso = (at: number) => new Date(at).toISOString();

function visitReads(tx: EntityManager): VisitImportReads {
  const { all } = statements(tx);
  return {
    gym: (gymId) => gymZone(tx, gymId),
    classTypes: (gymId) => all<{ id: string; name: string }>(`select id, name from class_type where gym_id = ?`, [gymId]),
    async members(gymId, emails) {
      const found = new Map<string, string>();
      for (const part of chunks([...new Set(emails)])) {
        const rows = await all<{ id: string; email: string }>(
          `select u.id, lower(u.email) as email from app_user u join gym_membership m on m.user_id = u.id and m.gym_id = ?
            where lower(u.email) in (select value from json_array_elements_text(?::json))`,
          [gymId, JSON.stringify(part)],
        );
        for (const r of rows) found.set(r.email, r.id);
      }
      return found;
    },
    async classes(gymId, wanted) {
      const found = new Map<string, { sessionId: string; status: string }>();
      for (const part of chunks(wanted)) {
        const rows = await all<{ id: string; class_type_id: string; starts_at: Date; status: string }>(
          `select s.id, s.class_type_id, s.starts_at, s.status
             from class_session s join json_to_recordset(?::json) as x(class_type_id uuid, starts_at timestamptz)
               on s.class_type_id = x.class_type_id and s.starts_at = x.starts_at
            where s.gym_id = ?`,
          [JSON.stringify(part.map((w) => ({ class_type_id: w.classTypeId, starts_at: iso(w.startsAt) }))), gymId],
        );
        for (const r of rows) found.set(`${r.class_type_id}@${new Date(r.starts_at).getTime()}`, { sessionId: r.id, status: r.status });
      }
      return found;
    },
    async booked(gymId, sessionIds) {
      const found = new Set<string>();
      for (const part of chunks(sessionIds)) {
        const rows = await all<{ session_id: string; member_id: string }>(
          `select session_id, member_id from booking where gym_id = ? and session_id in (select value::uuid from json_array_elements_text(?::json))`,
          [gymId, JSON.stringify(part)],
        );
        for (const r of rows) found.add(`${r.session_id}:${r.member_id}`);
      }
      return found;
    },
  };
}

export function visitImportStore(orm: Pick<MikroORM, "em">): { read<T>(work: (r: VisitImportReads) => Promise<T>): Promise<T> } {
  return { read: (work) => orm.em.fork().transactional((tx) => work(visitReads(tx))) };
}
