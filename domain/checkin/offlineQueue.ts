/**
 * The offline desk's queue: check-ins decided on the device, kept (IndexedDB) until the server has answered each
 * one, in order, and the short "needs attention" list of those the server decided otherwise. Pure: the web desk
 * stores and sends; these functions say what to send, what an answer means and what the banner reads.
 */
import type { CheckInDenial, Instant } from "../model.js";
import { admits, type DeskVerdict } from "./deskDecision.js";

/** One check-in decided offline. `commandId` is carried end to end: a resend is answered, never applied twice. */
export interface QueuedCheckIn {
  commandId: string;
  /** The member the desk resolved (by name, or by a code it verified with the public key); null for an unknown code. */
  memberId: string | null;
  /** The scanned code when no member matched (the server records the unknown attempt). */
  code: string | null;
  name: string;
  openGym: boolean;
  /** The desk's clock when it decided. */
  deviceAt: Instant;
  /** When the desk's snapshot was last refreshed from the server. */
  lastSyncAt: Instant;
  /** What the desk showed (provisional). */
  verdict: DeskVerdict;
}

/** A check-in the server decided otherwise than the desk did (or could not take): staff look at these. */
export interface AttentionItem {
  commandId: string;
  name: string;
  deviceAt: Instant;
  /** The desk showed ✔ (true) or ✘ (false). */
  provisional: boolean;
  /** What the server decided, in staff words ("Membership frozen — …" or "Checked in"). */
  outcome: string;
}

/** The `gym:checkIn` payload that sends a queued check-in. */
export type QueuedPayload = ({ memberId: string } | { code: string }) & {
  openGym: boolean;
  offline: { deviceAt: Instant; lastSyncAt: Instant; admitted: boolean; reason: CheckInDenial | null };
};

/** The `gym:checkIn` payload that sends a queued check-in. */
export function queuedPayload(q: QueuedCheckIn): QueuedPayload {
  const offline = {
    deviceAt: q.deviceAt,
    lastSyncAt: q.lastSyncAt,
    admitted: admits(q.verdict),
    reason: q.verdict.verdict === "denied" ? q.verdict.reason : null,
  };
  const who = q.memberId !== null ? { memberId: q.memberId } : { code: q.code ?? "" };
  return { ...who, openGym: q.openGym, offline };
}

/** The server's answer to a sent check-in, as far as the queue needs it. */
export type SentAnswer =
  | { ok: true; result: { status: string; reason?: CheckInDenial | string; message?: string; needsAttention?: boolean } }
  | { ok: false; error: { code: string; message: string } };

/** Error codes after which a resend can succeed: keep the item queued. Anything else is final. */
const RETRYABLE = new Set(["UNAVAILABLE", "RATE_LIMITED"]);

/**
 * What an answer means for the queued check-in: `retry` (keep it, send again later), `done` (the server agrees),
 * or `attention` (the server decided otherwise, or refused it for good — never silently dropped).
 */
export function settle(
  q: QueuedCheckIn,
  answer: SentAnswer,
  staffWords: (reason: string | undefined) => string,
): { kind: "retry" } | { kind: "done" } | { kind: "attention"; item: AttentionItem } {
  const base = { commandId: q.commandId, name: q.name, deviceAt: q.deviceAt, provisional: admits(q.verdict) };
  if (!answer.ok) {
    if (RETRYABLE.has(answer.error.code)) return { kind: "retry" };
    return { kind: "attention", item: { ...base, outcome: `Not sent: ${answer.error.message}` } };
  }
  const r = answer.result;
  const admitted = r.status !== "denied";
  if (admitted === base.provisional && r.needsAttention !== true) return { kind: "done" };
  return { kind: "attention", item: { ...base, outcome: admitted ? "Checked in" : staffWords(r.reason) } };
}

/** What the desk's queue is doing: for the banner. */
export interface QueueStatus {
  online: boolean;
  /** Check-ins on the device not yet answered. */
  waiting: number;
  /** Sending now. */
  sending: boolean;
  /** Sent since the desk was last offline (0 before any). */
  sent: number;
  attention: number;
}

/**
 * The banner, saying what is true; null when there is nothing to say (online, nothing kept, nothing to look at).
 *
 * @example deskBanner({ online: false, waiting: 12, sending: false, sent: 0, attention: 0 }) // "Offline — 12 check-ins saved on this device, will send when back"
 */
export function deskBanner(s: QueueStatus): string | null {
  const n = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;
  if (!s.online) return `Offline — ${n(s.waiting, "check-in", "check-ins")} saved on this device, will send when back`;
  if (s.waiting > 0) return `Sending ${s.waiting}…`;
  if (s.sent > 0 || s.attention > 0) return `All sent; ${s.attention} needs attention`;
  return null;
}
