/**
 * The composition root's notices (issue 20): the delivery outbox (push, email) every node runs, and the
 * {@link NoticeSender} port other use cases send through (stored, shown in the live `user:` rooms, delivered).
 */
import { randomUUID } from "node:crypto";
import type { MikroORM } from "@mikro-orm/core";
import { noticeSender } from "../app/notices/noticeSender.js";
import type { NoticeRoute, NoticeSender } from "../app/notices/ports.js";
import { asNotice } from "../domain/notices/inbox.js";
import type { RoomRegistry } from "../rooms/RoomRegistry.js";
import type { Config } from "./config.js";
import type { Logger } from "./logger.js";
import type { Metrics } from "./metrics.js";
import { NoticeDelivery } from "./notify/noticeDelivery.js";
import { loadVapidKeys } from "./notify/vapid.js";
import { webPushSender } from "./notify/webPush.js";
import { noticeStore } from "./persistence/noticeStore.js";

export interface NoticeDeliveryDeps {
  config: Config;
  orm: MikroORM;
  log: Logger;
  metrics: Metrics;
  now: () => number;
  /** A certificate to trust for push services besides the system's (a test's local push service). */
  pushCa: string | undefined;
  publicUrl: () => string;
  /** A notice's email was queued: the mail outbox sends it now. */
  mailQueued: () => void;
}

/** The node's VAPID keys (null: no push) and its delivery outbox (not started). */
export function createNoticeDelivery(d: NoticeDeliveryDeps) {
  const vapid = loadVapidKeys(d.config);
  const delivery = new NoticeDelivery({
    orm: d.orm,
    push: vapid ? webPushSender(vapid, { ca: d.pushCa }) : null,
    log: d.log,
    now: d.now,
    publicUrl: d.publicUrl,
    mailQueued: d.mailQueued,
    onPushed: (ms) => d.metrics.noticePush.observe(ms / 1000),
    claimMs: d.config.NOTICE_CLAIM_SECONDS * 1000,
  });
  return { vapid, delivery };
}

/** Committed notices: told to the recipients' live `user:` rooms, then handed to delivery. */
export function noticeRoute(d: { registry: RoomRegistry; delivery: NoticeDelivery }): NoticeRoute {
  return {
    stored: (sent) => {
      for (const n of sent) d.registry.tell(`user:${n.userId}`, { kind: "note", note: { type: "notice", notice: asNotice(n) } });
      void d.delivery.kick();
    },
  };
}

/** Notices stored in one transaction, told to the recipients' live `user:` rooms, then delivered. */
export function createNotices(d: { orm: MikroORM; registry: RoomRegistry; delivery: NoticeDelivery; now: () => number }): NoticeSender {
  return noticeSender({ store: noticeStore(d.orm), route: noticeRoute(d), now: d.now, newId: randomUUID });
}
