/** The inbox requests' {@link InboxRequestStore} over PostgreSQL (subscriptions and preferences: `noticeStore.ts`). */
import type { MikroORM } from "@mikro-orm/core";
import type { InboxRequestStore, NoticeDeliveryLine } from "../../app/notices/inboxPorts.js";
import { preferences, removeSubscription, saveSubscription, setPreference, setQuietHours, storedQuietHours } from "./noticeStore.js";

type Row = {
  id: string;
  kind: string;
  at: Date | string;
  user_id: string;
  name: string | null;
  delivery_due_at: Date | string | null;
  deliveries: unknown;
};
const ms = (v: Date | string) => (v instanceof Date ? v.getTime() : Date.parse(v));

export function inboxRequestStore(orm: MikroORM): InboxRequestStore {
  const sql = <R>(q: string, params: unknown[]) => orm.em.fork().getConnection().execute<R>(q, params);
  return {
    async otherDevices(userId, endpoint) {
      const [row] = await sql<{ n: string | number }[]>(`select count(*) as n from push_subscription where user_id = ? and endpoint <> ?`, [
        userId,
        endpoint,
      ]);
      return Number(row?.n ?? 0);
    },
    saveSubscription: (s) => saveSubscription(orm, s),
    removeSubscription: (userId, endpoint) => removeSubscription(orm, userId, endpoint),
    preferences: (userId) => preferences(orm, userId),
    setPreference: (userId, p) => setPreference(orm, userId, p),
    quietHours: (userId) => storedQuietHours(orm.em.fork(), userId),
    setQuietHours: (userId, q) => setQuietHours(orm, userId, q),
    async deliveries(gymId, before, limit) {
      const rows = await sql<Row[]>(
        `select n.id, n.kind, n.at, n.user_id, u.name, n.delivery_due_at,
                coalesce((select json_agg(json_build_object('target', d.target, 'channel', d.channel, 'status', d.status, 'attempts', d.attempts,
                                                           'lastError', d.last_error, 'updatedAt', d.updated_at) order by d.target)
                            from notice_delivery d where d.notice_id = n.id), '[]'::json) as deliveries
           from notice n left join app_user u on u.id = n.user_id
          where n.gym_id = ?${before ? " and (n.at, n.id) < (?::timestamptz, ?::uuid)" : ""}
          order by n.at desc, n.id desc limit ?`,
        before ? [gymId, new Date(before.at), before.id, limit] : [gymId, limit],
      );
      return rows.map((r: Row) => {
        const lines = (typeof r.deliveries === "string" ? JSON.parse(r.deliveries) : r.deliveries) as (Omit<
          NoticeDeliveryLine,
          "updatedAt"
        > & { updatedAt: string })[];
        return {
          noticeId: r.id,
          kind: r.kind,
          at: ms(r.at),
          recipient: { id: r.user_id, name: r.name ?? "" },
          dueAt: r.delivery_due_at === null ? null : ms(r.delivery_due_at),
          deliveries: lines.map((l) => ({ ...l, attempts: Number(l.attempts), updatedAt: ms(l.updatedAt) })),
        };
      });
    },
  };
}
