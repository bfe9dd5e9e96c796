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
  noticeId: string;
  kind: string;
  channel: string;
  status: string;
  attempts: number;
  lastError: string | null;
  updatedAt: number;
}

export interface InboxRequestStore {
  /** How many devices the user has subscribed besides `endpoint`. */
  otherDevices(userId: string, endpoint: string): Promise<number>;
  /** Stores (or moves to this user and session) a device's subscription. */
  saveSubscription(s: { id: string; userId: string; sessionId: string | null; subscription: DeviceSubscription; now: number }): Promise<void>;
  /** Removes one of the user's subscriptions by endpoint; answers whether there was one. */
  removeSubscription(userId: string, endpoint: string): Promise<boolean>;
  /** Every kind × channel with its effective setting. */
  preferences(userId: string): Promise<NoticePreference[]>;
  /** Stores one choice; answers the whole grid. */
  setPreference(userId: string, p: NoticePreference): Promise<NoticePreference[]>;
  quietHours(userId: string): Promise<QuietHours | null>;
  /** Sets (null: clears) the person's quiet hours. */
  setQuietHours(userId: string, q: QuietHours | null): Promise<void>;
  /** The gym's newest 100 delivery targets. */
  deliveries(gymId: string): Promise<NoticeDeliveryLine[]>;
}

export interface InboxRequestPorts {
  store: InboxRequestStore;
  /** The node's VAPID public key (null: no push on this server). */
  vapidPublicKey: string | null;
  readAudit: StaffReadLog;
  now: Clock;
  newId: () => string;
}
