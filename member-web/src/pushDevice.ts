/** This device's Web Push subscription: the service worker, the browser's permission, and `push:subscribe`. */
import type { RoomId } from "../../domain/protocol/envelope.js";
import type { Send } from "./types.js";

/** Whether this browser can take pushes at all (a secure context with service workers and the Push API). */
export const pushSupported = (): boolean =>
  isSecureContext && "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;

/** Registers the app's service worker (the PWA; pushes land there). */
export async function registerWorker(): Promise<ServiceWorkerRegistration | null> {
  if (!("serviceWorker" in navigator) || !isSecureContext) return null;
  return navigator.serviceWorker.register("/sw.js", { scope: "/" });
}

/** Whether this device is subscribed already. */
export async function isSubscribed(): Promise<boolean> {
  if (!pushSupported()) return false;
  const reg = await navigator.serviceWorker.getRegistration("/");
  return Boolean(await reg?.pushManager.getSubscription());
}

/** Asks for permission, subscribes with the server's VAPID key and tells the server; answers an error in words or null. */
export async function subscribeDevice(send: Send, room: RoomId): Promise<string | null> {
  if (!pushSupported()) return "This browser can't show notifications from Spotter.";
  if ((await Notification.requestPermission()) !== "granted") return "Notifications are blocked for Spotter in this browser's settings.";
  const key = await send<{ publicKey: string }>(room, "push:key", {});
  if (!key.ok) return key.error.message;
  const reg = (await navigator.serviceWorker.getRegistration("/")) ?? (await registerWorker());
  if (!reg) return "This browser can't show notifications from Spotter.";
  await navigator.serviceWorker.ready;
  const sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: fromBase64Url(key.result.publicKey) });
  const saved = await send(room, "push:subscribe", { subscription: sub.toJSON() });
  return saved.ok ? null : saved.error.message;
}

function fromBase64Url(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
