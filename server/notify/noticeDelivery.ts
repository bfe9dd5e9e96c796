/**
 * The delivery outbox: every notice row is written due (`delivery_due_at`) in the commit that caused it; a sender on
 * every node claims due notices (`for update skip locked`, then a claim time, as the mail outbox does), sends them on
 * the channels the person's preferences allow, and records each target in `notice_delivery`. A target already
 * recorded `sent` (or `gone`) is never sent again, so a retry — or another node's sweep after this one died between
 * the commit and the send — pushes each device once; a node dying between a push and its record sends that one push
 * again, and the service worker shows it under the same tag (the notice id), so the person still sees one. Failures
 * retry with backoff; after MAX_DELIVERY_ATTEMPTS what is left is `failed`, with its reason, for staff.
 */
import type { EntityManager, MikroORM } from "@mikro-orm/core";
import { deliveryBackoffMs, MAX_DELIVERY_ATTEMPTS, sendsOn, type NoticeKind } from "../../domain/notices/kinds.js";
import { pushAt, pushTtlSeconds } from "../../domain/notices/quietHours.js";
import type { Logger } from "../logger.js";
import { noticeMail } from "./noticeMail.js";
import type { PushSender } from "./webPush.js";
import { DrainLoop } from "../outbox/drainLoop.js";
import { deliveryFacts, recordOutcomes, type Due, type Facts, type Outcome } from "./deliveryStatements.js";
import { NO_FLUSH_WAIT } from "../db/noFlushWait.js";

const BATCH = 20;

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

  /**
   * One pass: the claim, ONE read of what every claimed notice needs (preferences, quiet hours, targets done, the
   * address), the pushes, then ONE statement recording the lot (email targets, their mail, each notice's next due
   * time). A notice is three statements shared with its pass, not ten of its own: deliveries run beside the rooms'
   * commits, and a promotion's notices (the promoted and the one who cancelled) were twenty statements and eight
   * WAL flushes racing the next cancel's one.
   */
  private async pass(): Promise<number> {
    const now = this.d.now();
    const em = this.d.orm.em.fork();
    const claimed: Due[] = await em.getConnection().execute<Due[]>(
      `update notice set delivery_due_at = ? where id in (
         select id from notice where delivery_due_at <= ? order by delivery_due_at limit ${BATCH} for update skip locked)
       returning id, user_id, gym_id, kind, text, session_id, at, delivery_attempts, expires_at, ${NO_FLUSH_WAIT}`,
      [new Date(now + (this.d.claimMs ?? 60_000)), new Date(now)],
    );
    if (claimed.length === 0) return 0;
    const warn = (n: Due) => (err: unknown) => {
      this.d.log.warn({ notice: n.id, err: String(err) }, "notice delivery failed; retried later");
      return null;
    };
    // One statement for the batch; if it fails, each notice on its own, so one bad notice doesn't hold the others
    // until the claim runs out (a notice that fails alone stays claimed: the next pass after the claim time retries it).
    const facts = await deliveryFacts(em, claimed).catch(async () => {
      const one = new Map<string, Facts>();
      for (const n of claimed) for (const [id, f] of (await deliveryFacts(em, [n]).catch(warn(n))) ?? []) one.set(id, f);
      return one;
    });
    const decided = await Promise.all(
      claimed.filter((n) => facts.has(n.id)).map((n) => this.decide(em.fork(), n, facts.get(n.id)!).catch(warn(n))),
    );
    const outcomes = decided.filter((o): o is Outcome => o !== null);
    let mailed = false;
    try {
      mailed = await recordOutcomes(em, outcomes, this.d.now());
    } catch {
      // Pushes recorded as sent are not repeated when a notice is retried.
      for (const o of outcomes) mailed = (await recordOutcomes(em, [o], this.d.now()).catch(warn(o.n))) === true || mailed;
    }
    if (mailed) this.d.mailQueued?.();
    return claimed.length;
  }

  /** Pushes what is due now and decides the notice's email and next due time (recorded with the pass's others). */
  private async decide(em: EntityManager, n: Due, f: Facts): Promise<Outcome> {
    const kind = n.kind as NoticeKind;
    const attempts = Number(n.delivery_attempts) + 1;
    const expiresAt = n.expires_at === null ? null : ms(n.expires_at);
    let retry = false;
    let heldUntil: number | null = null;
    if (this.d.push && sendsOn(kind, "push", f.prefs)) {
      const now = this.d.now();
      const at = pushAt(f.quiet, now, expiresAt);
      if (at > now) heldUntil = at;
      else retry = await this.push(em, n, kind, expiresAt, f.finished);
    }
    // An offer that ran out is not mailed either: "claim your spot" for a spot that is gone helps nobody.
    const ranOut = expiresAt !== null && expiresAt <= this.d.now();
    const mailTo = sendsOn(kind, "email", f.prefs) && !f.finished.has("email") && !ranOut && f.email?.includes("@") ? f.email : null;
    const mail = mailTo === null ? null : { to: mailTo, ...this.mailOf(n, f.gymName) };
    // Quiet hours: the push waits (not an attempt); the email goes out now and is not sent twice.
    if (heldUntil !== null) return { n, due: new Date(heldUntil), attempts: null, mail, giveUp: false };
    const giveUp = retry && attempts >= MAX_DELIVERY_ATTEMPTS;
    const due = retry && !giveUp ? new Date(this.d.now() + deliveryBackoffMs(attempts)) : null;
    return { n, due, attempts, mail, giveUp };
  }

  private mailOf(n: Due, gymName: string | null): { subject: string; text: string; html: string } {
    const base = this.d.publicUrl();
    return noticeMail({
      kind: n.kind as NoticeKind,
      text: n.text,
      link: `${base}${noticeUrl(n.session_id)}`,
      preferencesLink: `${base}/bookings?inbox=1`,
      gymName,
    });
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
}
