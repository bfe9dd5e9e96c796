import { EntitySchema } from "@mikro-orm/core";
import { EpochMsType } from "../EpochMsType.js";

/** One inbox entry, written in the commit of the event that caused it; `deliveryDueAt` set while channels are owed it. */
export interface NoticeRow {
  id: string;
  userId: string;
  gymId: string | null;
  kind: string;
  text: string;
  sessionId: string | null;
  at: number;
  readAt: number | null;
  /** When the delivery outbox should (next) try this notice's push and email; null once nothing is owed. */
  deliveryDueAt: number | null;
  deliveryAttempts: number;
  /** When what it offers runs out (an offer's expiry): its push never waits past it and lives only until then. */
  expiresAt: number | null;
}

export const NoticeEntity = new EntitySchema<NoticeRow>({
  name: "Notice",
  tableName: "notice",
  indexes: [
    { name: "notice_user_at_index", properties: ["userId", "at"] },
    { name: "notice_delivery_due_index", properties: ["deliveryDueAt"] },
    { name: "notice_gym_at_index", properties: ["gymId", "at"] },
  ],
  properties: {
    id: { type: "uuid", primary: true },
    userId: { type: "uuid" },
    gymId: { type: "uuid", nullable: true },
    kind: { type: "string", length: 32 },
    text: { type: "string", length: 500 },
    sessionId: { type: "uuid", nullable: true },
    at: { type: EpochMsType },
    readAt: { type: EpochMsType, nullable: true },
    deliveryDueAt: { type: EpochMsType, nullable: true },
    deliveryAttempts: { type: "integer", default: 0 },
    expiresAt: { type: EpochMsType, nullable: true },
  },
});

/** What happened to one notice on one target (a push device, or email): sent once, or why not. Staff see these. */
export interface NoticeDeliveryRow {
  noticeId: string;
  /** `push:<subscription id>` or `email`. */
  target: string;
  gymId: string | null;
  channel: string;
  status: "sent" | "failed" | "gone" | "retrying" | "expired";
  attempts: number;
  lastError: string | null;
  updatedAt: number;
}

export const NoticeDeliveryEntity = new EntitySchema<NoticeDeliveryRow>({
  name: "NoticeDelivery",
  tableName: "notice_delivery",
  indexes: [{ name: "notice_delivery_gym_index", properties: ["gymId", "updatedAt"] }],
  properties: {
    noticeId: { type: "uuid", primary: true },
    target: { type: "string", length: 64, primary: true },
    gymId: { type: "uuid", nullable: true },
    channel: { type: "string", length: 16 },
    status: { type: "string", length: 16 },
    attempts: { type: "integer", default: 0 },
    lastError: { type: "string", length: 500, nullable: true },
    updatedAt: { type: EpochMsType },
  },
});

/** One device's Web Push subscription, tied to the sign-in session that made it (ending it removes the row). */
export interface PushSubscriptionRow {
  id: string;
  userId: string;
  sessionId: string | null;
  endpoint: string;
  p256dh: string;
  auth: string;
  createdAt: number;
}

export const PushSubscriptionEntity = new EntitySchema<PushSubscriptionRow>({
  name: "PushSubscription",
  tableName: "push_subscription",
  properties: {
    id: { type: "uuid", primary: true },
    userId: { type: "uuid", index: true },
    sessionId: { type: "uuid", nullable: true, index: true },
    endpoint: { type: "string", length: 1000, unique: true },
    p256dh: { type: "string", length: 200 },
    auth: { type: "string", length: 100 },
    createdAt: { type: EpochMsType },
  },
});

/** A person's choice for one notice kind on one channel (absent: the kind's default). */
export interface NoticePreferenceRow {
  userId: string;
  kind: string;
  channel: string;
  enabled: boolean;
}

export const NoticePreferenceEntity = new EntitySchema<NoticePreferenceRow>({
  name: "NoticePreference",
  tableName: "notice_preference",
  properties: {
    userId: { type: "uuid", primary: true },
    kind: { type: "string", length: 32, primary: true },
    channel: { type: "string", length: 16, primary: true },
    enabled: { type: "boolean" },
  },
});

/** A person's quiet hours: pushes wait until they end (an offer's only while enough of it is left). */
export interface NoticeQuietHoursRow {
  userId: string;
  startMinute: number;
  endMinute: number;
  timeZone: string;
}

export const NoticeQuietHoursEntity = new EntitySchema<NoticeQuietHoursRow>({
  name: "NoticeQuietHours",
  tableName: "notice_quiet_hours",
  properties: {
    userId: { type: "uuid", primary: true },
    startMinute: { type: "integer" },
    endMinute: { type: "integer" },
    timeZone: { type: "string", length: 64 },
  },
});
