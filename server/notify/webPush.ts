/** Web Push (RFC 8030) through `web-push`: the payload encrypted for the device (RFC 8291, aes128gcm), signed with VAPID. */
import { Agent } from "node:https";
import { rootCertificates } from "node:tls";
import webpush from "web-push";
import type { VapidKeys } from "./vapid.js";

export interface PushTarget {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** What the push service answered: accepted, gone for good (404/410: remove the device), or worth retrying. */
export type PushResult = { ok: true } | { ok: false; gone: boolean; error: string };

export interface PushOptions {
  /** How long the push service keeps it for an offline device. */
  ttlSeconds: number;
  /** Replaces an undelivered message with the same topic (a retried notice is stored once at the service). */
  topic: string;
  urgency: "very-low" | "low" | "normal" | "high";
}

/** Hands encrypted messages to push services. */
export interface PushSender {
  send(target: PushTarget, payload: string, options: PushOptions): Promise<PushResult>;
}

/**
 * The real sender over `web-push`, with this node's VAPID keys. `ca`: extra trusted certificates for the push
 * services' TLS (a test's local push service); the system's are trusted either way.
 */
export function webPushSender(keys: VapidKeys, o: { timeoutMs?: number; ca?: string } = {}): PushSender {
  const vapidDetails = { subject: keys.subject, publicKey: keys.publicKey, privateKey: keys.privateKey };
  const timeoutMs = o.timeoutMs ?? 10_000;
  const agent = new Agent({ keepAlive: true, ...(o.ca ? { ca: [...rootCertificates, o.ca] } : {}) });
  return {
    async send(target, payload, o) {
      try {
        await webpush.sendNotification(target, payload, {
          vapidDetails,
          TTL: o.ttlSeconds,
          topic: o.topic,
          urgency: o.urgency,
          contentEncoding: "aes128gcm",
          timeout: timeoutMs,
          agent,
        });
        return { ok: true };
      } catch (err) {
        const status = (err as { statusCode?: number }).statusCode;
        const error = status ? `push service answered ${status}` : String((err as Error).message ?? err);
        return { ok: false, gone: status === 404 || status === 410, error: error.slice(0, 500) };
      }
    },
  };
}
