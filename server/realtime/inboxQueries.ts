/** `push:*` and `inbox:preferences` requests on the caller's own `user:` room (issue 20). */
import { randomUUID } from "node:crypto";
import type { MikroORM } from "@mikro-orm/core";
import { DomainError } from "../../domain/errors.js";
import type { NoticeChannel, NoticeKind } from "../../domain/notices/kinds.js";
import { preferences, removeSubscription, saveSubscription, setPreference, type DeviceSubscription } from "../persistence/noticeStore.js";
import type { ReadAudit } from "../audit/readAudit.js";
import type { InGym, Mine, QueryHandlers } from "./queryHandler.js";

/** Most devices one person keeps subscribed (each push is a request to a push service: a cost the member triggers). */
export const MAX_DEVICES = 10;

type DeliveryRow = { notice_id: string; kind: string; channel: string; status: string; attempts: number | string; last_error: string | null; updated_at: Date | string };

export function inboxQueries(d: { orm: MikroORM; now: () => number; mine: Mine; inGym: InGym; readAudit: ReadAudit; vapidPublicKey: string | null }): QueryHandlers {
  const noPush = () => new DomainError("UNAVAILABLE", "Push notifications aren't set up on this server — you'll still get them in the app and by email.");
  return {
    "push:key": d.mine("push:key", async () => (d.vapidPublicKey ? { publicKey: d.vapidPublicKey } : noPush())),
    "push:subscribe": d.mine<{ subscription: DeviceSubscription }>("push:subscribe", async ({ userId, sessionId, payload }) => {
      if (!d.vapidPublicKey) return noPush();
      const [{ n }] = await d.orm.em
        .fork()
        .getConnection()
        .execute<{ n: string | number }[]>(`select count(*) as n from push_subscription where user_id = ? and endpoint <> ?`, [userId, payload.subscription.endpoint]);
      if (Number(n) >= MAX_DEVICES) return new DomainError("LIMIT_EXCEEDED", `Notifications are on for ${MAX_DEVICES} devices already — turn them off on one first.`);
      await saveSubscription(d.orm, { id: randomUUID(), userId, sessionId, subscription: payload.subscription, now: d.now() });
      return { subscribed: true };
    }),
    "push:unsubscribe": d.mine<{ endpoint: string }>("push:unsubscribe", async ({ userId, payload }) => ({ removed: await removeSubscription(d.orm, userId, payload.endpoint) })),
    "gym:noticeDeliveries": d.inGym("gym:noticeDeliveries", ["owner", "admin"], async ({ userId, gymId, commandId }) => {
      await d.readAudit.record({ gymId, actorId: userId, action: "gym:noticeDeliveries", entityType: "notice", entityId: null, summary: {}, commandId, at: d.now() });
      const rows: DeliveryRow[] = await d.orm.em.fork().getConnection().execute<DeliveryRow[]>(
        `select d.notice_id, n.kind, d.channel, d.status, d.attempts, d.last_error, d.updated_at
           from notice_delivery d join notice n on n.id = d.notice_id where d.gym_id = ? order by d.updated_at desc limit 100`,
        [gymId],
      );
      return {
        deliveries: rows.map((r) => ({
          noticeId: r.notice_id, kind: r.kind, channel: r.channel, status: r.status, attempts: Number(r.attempts), lastError: r.last_error,
          updatedAt: r.updated_at instanceof Date ? r.updated_at.getTime() : Date.parse(r.updated_at),
        })),
      };
    }),
    "inbox:preferences": d.mine("inbox:preferences", async ({ userId }) => ({ preferences: await preferences(d.orm, userId) })),
    "inbox:setPreference": d.mine<{ kind: NoticeKind; channel: NoticeChannel; enabled: boolean }>("inbox:setPreference", async ({ userId, payload }) => ({
      preferences: await setPreference(d.orm, userId, payload),
    })),
  };
}
