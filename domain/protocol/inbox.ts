/**
 * The inbox and its channels (issue 20). Room commands of the caller's own `user:` room (`InboxCommandSchemas`,
 * answered by `UserRoom` from resident state) and requests outside the rooms (`InboxQuerySchemas`: push
 * subscriptions of this device, preferences).
 */
import { z } from "zod";
import { INBOX_PAGE_MAX } from "../notices/inbox.js";
import { NoticeChannels, NoticeKinds } from "../notices/kinds.js";
import { isTimeZone } from "../notices/quietHours.js";
import { Id, InstantField } from "./fields.js";

/** Room commands on `user:<me>`. */
export const InboxCommandSchemas = {
  /** Mark notices read (on every device; the badge drops) → `{ unread }`. @example { ids: ["…"] } */
  "inbox:markRead": z.strictObject({ ids: z.array(Id).min(1).max(100) }),
  /** Mark every notice read → `{ unread: 0 }`. */
  "inbox:markAllRead": z.strictObject({}),
  /**
   * Older notices, newest first, before a cursor (the last one shown; absent: from the newest) → `{ notices, next }`,
   * `next` the cursor of the following page or null. @example { before: { at: 1765000000000, id: "…" }, limit: 20 }
   */
  "inbox:page": z.strictObject({
    before: z.strictObject({ at: InstantField, id: Id }).optional(),
    limit: z.int().min(1).max(INBOX_PAGE_MAX).optional(),
  }),
} as const;

/** A browser's PushSubscription as `subscription.toJSON()` gives it (https endpoints only, except localhost). */
export const PushSubscriptionSchema = z.strictObject({
  endpoint: z
    .string()
    .max(1000)
    .url()
    .refine((u) => u.startsWith("https://") || /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?\//.test(u), "must be an https:// push service"),
  expirationTime: z.number().nullable().optional(),
  keys: z.strictObject({
    p256dh: z
      .string()
      .min(80)
      .max(200)
      .regex(/^[A-Za-z0-9_-]+=*$/),
    auth: z
      .string()
      .min(16)
      .max(100)
      .regex(/^[A-Za-z0-9_-]+=*$/),
  }),
});

/** Most notices one page of the delivery log holds. */
export const NOTICE_DELIVERIES_PAGE_MAX = 50;

/** A daily quiet span in minutes after local midnight (start after end spans midnight), in an IANA zone. */
export const QuietHoursSchema = z
  .strictObject({
    startMinute: z.int().min(0).max(1439),
    endMinute: z.int().min(0).max(1439),
    timeZone: z.string().min(1).max(64).refine(isTimeZone, "must be an IANA time zone, e.g. Europe/Berlin"),
  })
  .refine((q) => q.startMinute !== q.endMinute, { message: "start and end must differ", path: ["endMinute"] });

/** Staff requests on `gym:<id>`. */
export const NoticeStaffSchemas = {
  /**
   * Owners and admins (an audited read): how the gym's notices went out, newest first, a page at a time →
   * `{ notices: [{ noticeId, kind, at, recipient: { id, name }, dueAt, deliveries: [{ target, channel, status,
   * attempts, lastError, updatedAt }] }], next }` — per target (`push:<device>` or `email`): `sent`, `retrying` (with
   * why), `failed` (gave up, why), `gone` (device forgotten), `expired` (an offer that ran out first); `dueAt` while a
   * send is still owed (retry or quiet hours). Never the text or an address.
   * @example { before: { at: 1765000000000, id: "…" }, limit: 20 }
   */
  "gym:noticeDeliveries": z.strictObject({
    before: z.strictObject({ at: InstantField, id: Id }).optional(),
    limit: z.int().min(1).max(NOTICE_DELIVERIES_PAGE_MAX).optional(),
  }),
} as const;

/** Requests on `user:<me>` outside the room. */
export const InboxQuerySchemas = {
  /** The server's VAPID public key, for `pushManager.subscribe({ applicationServerKey })` → `{ publicKey }`. */
  "push:key": z.strictObject({}),
  /** Subscribe this device (tied to this sign-in: signing out removes it) → `{ subscribed: true }`. */
  "push:subscribe": z.strictObject({ subscription: PushSubscriptionSchema }),
  /** Unsubscribe a device by its endpoint → `{ removed }`. */
  "push:unsubscribe": z.strictObject({ endpoint: z.string().max(1000) }),
  /** My choices per kind × channel, defaults filled in, and my quiet hours → `{ preferences: [{ kind, channel, enabled }], quietHours }`. */
  "inbox:preferences": z.strictObject({}),
  /** Turn one kind on one channel on or off → `{ preferences }`. @example { kind: "offered", channel: "email", enabled: false } */
  "inbox:setPreference": z.strictObject({ kind: z.enum(NoticeKinds), channel: z.enum(NoticeChannels), enabled: z.boolean() }),
  /**
   * Quiet hours (pushes wait until they end; an offer's only while enough of it is left; email is never held), or
   * null for none → `{ quietHours }`. @example { quietHours: { startMinute: 1320, endMinute: 420, timeZone: "Europe/Berlin" } }
   */
  "inbox:setQuietHours": z.strictObject({ quietHours: QuietHoursSchema.nullable() }),
} as const;
