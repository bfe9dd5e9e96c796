/**
 * The delivery outbox: every notice row is written due (`delivery_due_at`) in the commit that caused it; a sender on
 * every node claims due notices (`for update skip locked`, then a claim time, as the mail outbox does), sends them on
 * the channels the person's preferences allow, and records each target in `notice_delivery`. A target already
 * recorded `sent` (or `gone`) is never sent again, so a retry — or another node's sweep after this one died between
 * the commit and the send — pushes each device once; a node dying between a push and its record sends that one push
 * again, and the service worker shows it under the same tag (the notice id), so the person still sees one. Failures
 * retry with backoff; after MAX_DELIVERY_ATTEMPTS what is left is `failed`, with its reason, for staff.
 */
import { randomUUID } from "node:crypto";
import type { EntityManager, MikroORM } from "@mikro-orm/core";
import { deliveryBackoffMs, MAX_DELIVERY_ATTEMPTS, sendsOn, type NoticeKind } from "../../domain/notices/kinds.js";
import { pushAt, pushTtlSeconds } from "../../domain/notices/quietHours.js";
import { storedPreferences, storedQuietHours } from "../persistence/noticeStore.js";
import type { Logger } from "../logger.js";
import { noticeMail } from "./noticeMail.js";
import type { PushSender } from "./webPush.js";
import { DrainLoop } from "../outbox/drainLoop.js";

const BATCH = 20;
/** Target states that are never sent again. */
const FINISHED = new Set(["sent", "gone", "expired"]);

type Due = {
  id: string;
  user_id: string;
  gym_id: string | null;
  kind: string;
  text: string;
  session_id: string | null;
  at: Date | string;
  delivery_attempts: number | string;
  expires_at: Date | string | null;
};
const ms = (v: Date | string) => (v instanceof Date ? v.getTime() : Date.parse(v));
type Sub = { id: string; endpoint: string; p256dh: string; auth: string };

/** What a push carries (the service worker shows it and opens `url` on a click). */
export interface PushPayload {
  id: string;
  kind: NoticeKind;
  title: string;
  body: string;
  url: string;
  sessionId: string | null;
}

/** Where a notice opens in the member app: its class card, else the inbox. */
export const noticeUrl = (sessionId: string | null): string => (sessionId ? `/bookings?session=${sessionId}` : "/bookings?inbox=1");

export interface DeliveryDeps {
  orm: MikroORM;
  /** Null: this node has no VAPID keys (no push channel). */
  push: PushSender | null;
  log: Logger;
  now: () => number;
  /** The address people open Spotter at (links in mail). */
  publicUrl: () => string;
  /** A notice mail was queued (the mail outbox sends it). */
  mailQueued?: () => void;
  /** A push was accepted by the push service, `ms` after its notice was committed (the bench's number). */
  onPushed?: (ms: number) => void;
  /** A claimed notice is not claimed again for this long (a sender that died mid-send); default a minute. */
  claimMs?: number;
}

export class NoticeDelivery {
  private readonly loop: DrainLoop;

  constructor(private readonly d: DeliveryDeps) {
    this.loop = new DrainLoop(() => this.pass(), BATCH, d.log, "notice delivery");
  }

  /** Delivers due notices every second (and at once after a commit, see `kick`). */
  start(everyMs = 1_000): void {
    this.loop.start(everyMs);
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Runs passes until nothing is due (or right after the pass in flight). */
  kick(): Promise<void> {
    return this.loop.kick();
  }

  private async pass(): Promise<number> {
    const now = this.d.now();
    const em = this.d.orm.em.fork();
    const claimed: Due[] = await em.getConnection().execute<Due[]>(
      `update notice set delivery_due_at = ? where id in (
         select id from notice where delivery_due_at <= ? order by delivery_due_at limit ${BATCH} for update skip locked)
       returning id, user_id, gym_id, kind, text, session_id, at, delivery_attempts, expires_at`,
      [new Date(now + (this.d.claimMs ?? 60_000)), new Date(now)],
    );
    await Promise.all(
      claimed.map((n) =>
        this.deliver(em.fork(), n).catch((err: unknown) =>
          this.d.log.warn({ notice: n.id, err: String(err) }, "notice delivery failed; retried later"),
        ),
      ),
    );
    return claimed.length;
  }

  private async deliver(em: EntityManager, n: Due): Promise<void> {
    const conn = em.getConnection();
    const kind = n.kind as NoticeKind;
    const attempts = Number(n.delivery_attempts) + 1;
    const expiresAt = n.expires_at === null ? null : ms(n.expires_at);
    const [prefs, quiet, done] = await Promise.all([
      storedPreferences(em, n.user_id),
      storedQuietHours(em, n.user_id),
      conn.execute<{ target: string; status: string }[]>(`select target, status from notice_delivery where notice_id = ?`, [n.id]),
    ]);
    const finished = new Set<string>(
      (done as { target: string; status: string }[]).filter((r) => FINISHED.has(r.status)).map((r) => r.target),
    );
    let retry = false;
    let heldUntil: number | null = null;
    if (this.d.push && sendsOn(kind, "push", prefs)) {
      const now = this.d.now();
      const at = pushAt(quiet, now, expiresAt);
      if (at > now) heldUntil = at;
      else retry = await this.push(em, n, kind, expiresAt, finished);
    }
    // An offer that ran out is not mailed either: "claim your spot" for a spot that is gone helps nobody.
    const ranOut = expiresAt !== null && expiresAt <= this.d.now();
    if (sendsOn(kind, "email", prefs) && !finished.has("email") && !ranOut) await this.queueMail(em, n);
    if (heldUntil !== null) {
      // Quiet hours: the push waits (not an attempt); the email above went out already and is not sent twice.
      await conn.execute(`update notice set delivery_due_at = ? where id = ?`, [new Date(heldUntil), n.id]);
      return;
    }
    const giveUp = retry && attempts >= MAX_DELIVERY_ATTEMPTS;
    await conn.execute(`update notice set delivery_due_at = ?, delivery_attempts = ? where id = ?`, [
      retry && !giveUp ? new Date(this.d.now() + deliveryBackoffMs(attempts)) : null,
      attempts,
      n.id,
    ]);
    if (giveUp) await conn.execute(`update notice_delivery set status = 'failed' where notice_id = ? and status = 'retrying'`, [n.id]);
  }

  /** Pushes to each of the person's devices not yet done; answers whether any is left to retry. */
  private async push(em: EntityManager, n: Due, kind: NoticeKind, expiresAt: number | null, finished: Set<string>): Promise<boolean> {
    const conn = em.getConnection();
    const subs: Sub[] = await conn.execute<Sub[]>(`select id, endpoint, p256dh, auth from push_subscription where user_id = ?`, [
      n.user_id,
    ]);
    const payload: PushPayload = { id: n.id, kind, title: "Spotter", body: n.text, url: noticeUrl(n.session_id), sessionId: n.session_id };
    const urgent = kind === "offered" || kind === "promoted";
    const results = await Promise.all(
      subs
        .filter((s) => !finished.has(`push:${s.id}`))
        .map(async (s) => {
          const ttlSeconds = pushTtlSeconds(expiresAt, this.d.now(), urgent);
          // An offer that ran out (a long retry, a node down) is not worth a push any more: recorded why, never sent.
          if (ttlSeconds === 0) {
            await this.record(em, n, `push:${s.id}`, "push", "expired", "It ran out before it could be sent.");
            return true;
          }
          const r = await this.d.push!.send({ endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } }, JSON.stringify(payload), {
            ttlSeconds,
            topic: n.id.replaceAll("-", ""),
            urgency: urgent ? "high" : "normal",
          });
          if (r.ok) this.d.onPushed?.(this.d.now() - ms(n.at));
          // The device is gone for good: forget it (its row is the one it was sent through).
          if (!r.ok && r.gone) await conn.execute(`delete from push_subscription where id = ?`, [s.id]);
          await this.record(em, n, `push:${s.id}`, "push", r.ok ? "sent" : r.gone ? "gone" : "retrying", r.ok ? null : r.error);
          return r.ok || r.gone;
        }),
    );
    return results.includes(false);
  }

  private async record(em: EntityManager, n: Due, target: string, channel: string, status: string, error: string | null): Promise<void> {
    await em.getConnection().execute(
      `insert into notice_delivery (notice_id, target, gym_id, channel, status, attempts, last_error, updated_at) values (?, ?, ?, ?, ?, 1, ?, ?)
       on conflict (notice_id, target) do update set status = excluded.status, attempts = notice_delivery.attempts + 1, last_error = excluded.last_error, updated_at = excluded.updated_at`,
      [n.id, target, n.gym_id, channel, status, error, new Date(this.d.now())],
    );
  }

  /** The email goes into the mail outbox (its own retries) in the same transaction that records it: queued once. */
  private async queueMail(em: EntityManager, n: Due): Promise<void> {
    const queued = await em.transactional(async (tx) => {
      const run = <T>(sql: string, params: unknown[]) => tx.getConnection().execute<T>(sql, params, "all", tx.getTransactionContext());
      const [user] = await run<{ email: string | null; gym_name: string | null }[]>(
        `select u.email, (select g.name from gym g where g.id = ?) as gym_name from app_user u where u.id = ?`,
        [n.gym_id, n.user_id],
      );
      if (!user?.email || !user.email.includes("@")) return false;
      const now = new Date(this.d.now());
      const mine = await run<{ notice_id: string }[]>(
        `insert into notice_delivery (notice_id, target, gym_id, channel, status, attempts, last_error, updated_at) values (?, 'email', ?, 'email', 'sent', 1, null, ?)
         on conflict (notice_id, target) do nothing returning notice_id`,
        [n.id, n.gym_id, now],
      );
      if (mine.length === 0) return false;
      const base = this.d.publicUrl();
      const mail = noticeMail({
        kind: n.kind as NoticeKind,
        text: n.text,
        link: `${base}${noticeUrl(n.session_id)}`,
        preferencesLink: `${base}/bookings?inbox=1`,
        gymName: user.gym_name,
      });
      await run(
        `insert into mail_outbox (id, gym_id, to_address, template, subject, text, html, status, attempts, next_attempt_at, created_at) values (?, ?, ?, 'notice', ?, ?, ?, 'queued', 0, ?, ?)`,
        [randomUUID(), n.gym_id, user.email.slice(0, 320), mail.subject, mail.text, mail.html, now, now],
      );
      return true;
    });
    if (queued) this.d.mailQueued?.();
  }
}
