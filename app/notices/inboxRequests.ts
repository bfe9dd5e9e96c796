/** `push:*` and `inbox:preferences` requests on the caller's own `user:` room, and the gym's delivery log (issue 20). */
import { DomainError } from "../../domain/errors.js";
import type { RequestPayload, RequestType } from "../../domain/protocol/requests.js";
import type { GymRequest, UserRequest } from "../requestContext.js";
import type { InboxRequestPorts } from "./inboxPorts.js";

/** Most devices one person keeps subscribed (each push is a request to a push service: a cost the member triggers). */
export const MAX_DEVICES = 10;

type Mine<K extends RequestType> = UserRequest<RequestPayload<K>>;

const noPush = () =>
  new DomainError("UNAVAILABLE", "Push notifications aren't set up on this server — you'll still get them in the app and by email.");

export const pushKey = async (p: InboxRequestPorts, _c: Mine<"push:key">) =>
  p.vapidPublicKey ? { publicKey: p.vapidPublicKey } : noPush();

/** Subscribes this device, tied to the asking sign-in session (signing out removes it). */
export async function pushSubscribe(p: InboxRequestPorts, c: Mine<"push:subscribe">) {
  if (!p.vapidPublicKey) return noPush();
  const { subscription } = c.payload;
  if ((await p.store.otherDevices(c.userId, subscription.endpoint)) >= MAX_DEVICES)
    return new DomainError("LIMIT_EXCEEDED", `Notifications are on for ${MAX_DEVICES} devices already — turn them off on one first.`);
  await p.store.saveSubscription({ id: p.newId(), userId: c.userId, sessionId: c.sessionId, subscription, now: p.now() });
  return { subscribed: true };
}

export const pushUnsubscribe = async (p: InboxRequestPorts, c: Mine<"push:unsubscribe">) => ({
  removed: await p.store.removeSubscription(c.userId, c.payload.endpoint),
});

export async function preferences(p: InboxRequestPorts, c: Mine<"inbox:preferences">) {
  const [prefs, quietHours] = await Promise.all([p.store.preferences(c.userId), p.store.quietHours(c.userId)]);
  return { preferences: prefs, quietHours };
}

/** Quiet hours: pushes wait until they end (see `domain/notices/quietHours.ts`). */
export async function setQuietHours(p: InboxRequestPorts, c: Mine<"inbox:setQuietHours">) {
  await p.store.setQuietHours(c.userId, c.payload.quietHours);
  return { quietHours: c.payload.quietHours };
}

export const setPreference = async (p: InboxRequestPorts, c: Mine<"inbox:setPreference">) => ({
  preferences: await p.store.setPreference(c.userId, c.payload),
});

/** How many notices a delivery page holds unless asked otherwise. */
export const NOTICE_DELIVERIES_PAGE = 20;

/** Owners and admins: how the gym's notices went out, a page at a time (an audited read of whom they were for). */
export async function noticeDeliveries(p: InboxRequestPorts, c: GymRequest<RequestPayload<"gym:noticeDeliveries">>) {
  const limit = c.payload.limit ?? NOTICE_DELIVERIES_PAGE;
  const notices = await p.store.deliveries(c.gymId, c.payload.before ?? null, limit);
  await p.readAudit.record({
    gymId: c.gymId,
    actorId: c.userId,
    action: "gym:noticeDeliveries",
    entityType: "notice",
    entityId: null,
    summary: { count: notices.length, paged: c.payload.before !== undefined },
    commandId: c.commandId,
    at: p.now(),
  });
  const last = notices.at(-1);
  return { notices, next: notices.length === limit && last ? { at: last.at, id: last.noticeId } : null };
}
