/** The inbox requests' {@link InboxRequestStore} over PostgreSQL (subscriptions and preferences: `noticeStore.ts`). */
import type { MikroORM } from "@mikro-orm/core";
import type { InboxRequestStore } from "../../app/notices/inboxPorts.js";
import { preferences, removeSubscription, saveSubscription, setPreference, setQuietHours, storedQuietHours } from "./noticeStore.js";

type DeliveryRow = { notice_id: string; kind: string; channel: string; status: string; attempts: number | string; last_error: string | null; updated_at: Date | string };

export function inboxRequestStore(orm: MikroORM): InboxRequestStore {
  const sql = <R>(q: string, params: unknown[]) => orm.em.fork().getConnection().execute<R>(q, params);
  return {
    async otherDevices(userId, endpoint) {
      const [row] = await sql<{ n: string | number }[]>(`select count(*) as n from push_subscription where user_id = ? and endpoint <> ?`, [userId, endpoint]);
      return Number(row?.n ?? 0);
    },
    saveSubscription: (s) => saveSubscription(orm, s),
    removeSubscription: (userId, endpoint) => removeSubscription(orm, userId, endpoint),
    preferences: (userId) => preferences(orm, userId),
    setPreference: (userId, p) => setPreference(orm, userId, p),
    quietHours: (userId) => storedQuietHours(orm.em.fork(), userId),
    setQuietHours: (userId, q) => setQuietHours(orm, userId, q),
    async deliveries(gymId) {
      const rows = await sql<DeliveryRow[]>(
        `select d.notice_id, n.kind, d.channel, d.status, d.attempts, d.last_error, d.updated_at
           from notice_delivery d join notice n on n.id = d.notice_id where d.gym_id = ? order by d.updated_at desc limit 100`,
        [gymId],
      );
      return rows.map((r: DeliveryRow) => ({
        noticeId: r.notice_id, kind: r.kind, channel: r.channel, status: r.status, attempts: Number(r.attempts), lastError: r.last_error,
        updatedAt: r.updated_at instanceof Date ? r.updated_at.getTime() : Date.parse(r.updated_at),
      }));
    },
  };
}
