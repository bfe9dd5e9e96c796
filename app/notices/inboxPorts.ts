/**
 * What the inbox's requests on the socket need (push subscriptions of a device, preferences, the gym's delivery
 * log); `server/persistence/inboxRequestStore.ts` implements {@link InboxRequestStore} over PostgreSQL.
 */
import type { NoticePreference } from "../../domain/notices/kinds.js";
import type { QuietHours } from "../../domain/notices/quietHours.js";
import type { Clock, StaffReadLog } from "../requestContext.js";

/** A device's subscription as the browser gave it. */
export interface DeviceSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** One delivery target of a notice (`push:<device>` or `email`): its state, never the text or the address. */
export interface NoticeDeliveryLine {
  target: string;
  channel: string;
  status: string;
  attempts: number;
  lastError: string | null;
  updatedAt: number;
}

/** One notice of the gym as staff see its delivery: whom it was for, each target's state, and whether a send is owed. */
export interface NoticeDeliveryRow {
  noticeId: string;
  kind: string;
  at: number;
  recipient: { id: string; name: string };
  /** When the outbox sends (again): a retry or the end of quiet hours; null when nothing is owed. */
  dueAt: number | null;
  deliveries: NoticeDeliveryLine[];
}

export interface InboxRequestStore {
  /** How many devices the user has subscribed besides `endpoint`. */
  otherDevices(userId: string, endpoint: string): Promise<number>;
  /** Stores (or moves to this user and session) a device's subscription. */
  saveSubscription(s: {
    id: string;
    userId: string;
    sessionId: string | null;
    subscription: DeviceSubscription;
    now: number;
  }): Promise<void>;
  /** Removes one of the user's subscriptions by endpoint; answers whether there was one. */
  removeSubscription(userId: string, endpoint: string): Promise<boolean>;
  /** Every kind × channel with its effective setting. */
  preferences(userId: string): Promise<NoticePreference[]>;
  /** Stores one choice; answers the whole grid. */
  setPreference(userId: string, p: NoticePreference): Promise<NoticePreference[]>;
  quietHours(userId: string): Promise<QuietHours | null>;
  /** Sets (null: clears) the person's quiet hours. */
  setQuietHours(userId: string, q: QuietHours | null): Promise<void>;
  /** The gym's notices older than `before`, newest first (keyset on time then id), with their delivery targets. */
  deliveries(gymId: string, before: { at: number; id: string } | null, limit: number): Promise<NoticeDeliveryRow[]>;
}

export interface InboxRequestPorts {
  store: InboxRequestStore;
  /** The node's VAPID public key (null: no push on this server). */
  vapidPublicKey: string | null;
  readAudit: StaffReadLog;
  now: Clock;
  newId: () => string;
}
