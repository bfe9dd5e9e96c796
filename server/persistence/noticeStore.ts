/**
 * Notice channels over PostgreSQL: storing notices sent outside a room commit, this device's push subscription,
 * and a person's preferences. Subscriptions are tied to the sign-in session that made them: ending the session
 * removes them in the same statement (`sessionStore.ts`), as revoking the user's tokens does (`revocationStore.ts`).
 */
import type { EntityManager, MikroORM } from "@mikro-orm/core";
import type { NoticeStore } from "../../app/notices/ports.js";
import { preferenceGrid, type NoticeChannel, type NoticeKind, type NoticePreference } from "../../domain/notices/kinds.js";
import type { QuietHours } from "../../domain/notices/quietHours.js";
import { insertNotices } from "./noticeRows.js";

/** The app port's adapter: every notice of a send in one transaction. */
export function noticeStore(orm: MikroORM): NoticeStore {
  return { insert: (notices, now) => orm.em.fork().transactional((tx) => insertNotices(tx, notices, now)) };
}

/** A device's subscription as the browser gave it. */
export interface DeviceSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** Stores (or moves to this user and session) a device's subscription; an endpoint belongs to one device and so one row. */
export async function saveSubscription(
  orm: MikroORM,
  s: { id: string; userId: string; sessionId: string | null; subscription: DeviceSubscription; now: number },
): Promise<void> {
  await orm.em
    .fork()
    .getConnection()
    .execute(
      `insert into push_subscription (id, user_id, session_id, endpoint, p256dh, auth, created_at) values (?, ?, ?, ?, ?, ?, ?)
     on conflict (endpoint) do update set user_id = excluded.user_id, session_id = excluded.session_id, p256dh = excluded.p256dh, auth = excluded.auth, created_at = excluded.created_at`,
      [s.id, s.userId, s.sessionId, s.subscription.endpoint, s.subscription.keys.p256dh, s.subscription.keys.auth, new Date(s.now)],
    );
}

/** Removes one of the user's subscriptions by endpoint; answers whether there was one. */
export async function removeSubscription(orm: MikroORM, userId: string, endpoint: string): Promise<boolean> {
  const rows = await orm.em
    .fork()
    .getConnection()
    .execute<{ id: string }[]>(`delete from push_subscription where user_id = ? and endpoint = ? returning id`, [userId, endpoint]);
  return rows.length > 0;
}

/** A person's stored choices (absent kinds and channels take their defaults). */
export async function storedPreferences(em: EntityManager, userId: string): Promise<NoticePreference[]> {
  const rows: { kind: string; channel: string; enabled: boolean }[] = await em
    .getConnection()
    .execute<{ kind: string; channel: string; enabled: boolean }[]>(
      `select kind, channel, enabled from notice_preference where user_id = ?`,
      [userId],
      "all",
      em.getTransactionContext(),
    );
  return rows.map((r) => ({ kind: r.kind as NoticeKind, channel: r.channel as NoticeChannel, enabled: r.enabled }));
}

/** Every kind × channel with its effective setting. */
export async function preferences(orm: MikroORM, userId: string): Promise<NoticePreference[]> {
  return preferenceGrid(await storedPreferences(orm.em.fork(), userId));
}

/** Stores one choice; answers the whole grid. */
export async function setPreference(orm: MikroORM, userId: string, p: NoticePreference): Promise<NoticePreference[]> {
  await orm.em
    .fork()
    .getConnection()
    .execute(
      `insert into notice_preference (user_id, kind, channel, enabled) values (?, ?, ?, ?) on conflict (user_id, kind, channel) do update set enabled = excluded.enabled`,
      [userId, p.kind, p.channel, p.enabled],
    );
  return preferences(orm, userId);
}

/** A person's quiet hours (null: none). */
export async function storedQuietHours(em: EntityManager, userId: string): Promise<QuietHours | null> {
  const [r] = await em
    .getConnection()
    .execute<{ start_minute: number; end_minute: number; time_zone: string }[]>(
      `select start_minute, end_minute, time_zone from notice_quiet_hours where user_id = ?`,
      [userId],
      "all",
      em.getTransactionContext(),
    );
  return r ? { startMinute: Number(r.start_minute), endMinute: Number(r.end_minute), timeZone: r.time_zone } : null;
}

/** Sets (or, with null, clears) a person's quiet hours. */
export async function setQuietHours(orm: MikroORM, userId: string, q: QuietHours | null): Promise<void> {
  const conn = orm.em.fork().getConnection();
  if (q === null) await conn.execute(`delete from notice_quiet_hours where user_id = ?`, [userId]);
  else
    await conn.execute(
      `insert into notice_quiet_hours (user_id, start_minute, end_minute, time_zone) values (?, ?, ?, ?)
       on conflict (user_id) do update set start_minute = excluded.start_minute, end_minute = excluded.end_minute, time_zone = excluded.time_zone`,
      [userId, q.startMinute, q.endMinute, q.timeZone],
    );
}
