/**
 * Quiet hours: a person's local time span (e.g. 22:00–07:00) in which pushes wait until it ends. A notice with an
 * expiry (an offer) never waits past the point where the person could still act on it, and its push lives only
 * until the expiry (a push service drops it after). Email is never held: it does not ring. Pure.
 */
import { addDays, localDate, wallClock, zonedInstant } from "../schedule/timeZone.js";

/** A daily span in the person's zone, in minutes after local midnight; `startMinute > endMinute` spans midnight. */
export interface QuietHours {
  startMinute: number;
  endMinute: number;
  /** IANA zone the span is read in (the person's device zone when they set it). */
  timeZone: string;
}

/** A notice with an expiry is held only while at least this much of it would be left when quiet hours end. */
export const OFFER_MIN_LEFT_MS = 15 * 60_000;

const MINUTES_PER_DAY = 1_440;

/** Whether `timeZone` names a zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone }).format(0);
    return true;
  } catch {
    return false;
  }
}

const hhmm = (minute: number): string => `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;

/** When the quiet hours around `now` end (epoch ms), or null when `now` is outside them (or the span is empty). */
export function quietUntil(q: QuietHours | null, now: number): number | null {
  if (!q || q.startMinute === q.endMinute) return null;
  const w = wallClock(now, q.timeZone);
  const m = w.hour * 60 + w.minute;
  const inside = q.startMinute < q.endMinute ? m >= q.startMinute && m < q.endMinute : m >= q.startMinute || m < q.endMinute;
  if (!inside) return null;
  const today = localDate(now, q.timeZone);
  const endDay = q.endMinute > m ? today : addDays(today, 1);
  const end = zonedInstant(endDay, hhmm(q.endMinute % MINUTES_PER_DAY), q.timeZone);
  return end > now ? end : null;
}

/**
 * When a push of a notice goes out: `now`, or when quiet hours end. A notice that expires (`expiresAt`) waits only
 * if at least {@link OFFER_MIN_LEFT_MS} of it is left then; otherwise it goes out now — quiet hours never cost a
 * member an offer.
 * @example pushAt({ startMinute: 22 * 60, endMinute: 7 * 60, timeZone: "Europe/Berlin" }, at2300, offerAt0100) // → at2300
 */
export function pushAt(q: QuietHours | null, now: number, expiresAt: number | null): number {
  const until = quietUntil(q, now);
  if (until === null) return now;
  if (expiresAt !== null && until > expiresAt - OFFER_MIN_LEFT_MS) return now;
  return until;
}

/** How long a push service keeps a push for an offline device: an expiring notice until its expiry, others a day (urgent ones an hour). */
export function pushTtlSeconds(expiresAt: number | null, now: number, urgent: boolean): number {
  if (expiresAt !== null) return Math.max(0, Math.floor((expiresAt - now) / 1_000));
  return urgent ? 3_600 : 86_400;
}
