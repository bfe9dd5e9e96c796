/** Member-app wording on top of the kit's formatting: "Today"/"Tomorrow", durations, the device's zone. */
import { formatDay, formatTime, localDate } from "../../web/shared/format.js";

export { formatMoney, formatTime, localDate } from "../../web/shared/format.js";

/** "Today", "Tomorrow" or "Thu 27 Nov" in the gym's time zone. */
export function relativeDay(at: number, timeZone: string, now: number): string {
  const day = localDate(at, timeZone);
  if (day === localDate(now, timeZone)) return "Today";
  if (day === localDate(now + 86_400_000, timeZone)) return "Tomorrow";
  return formatDay(at, timeZone);
}

/** "Today, 07:00" or "Thu 27 Nov, 07:00". */
export function relativeWhen(at: number, timeZone: string, now: number): string {
  return `${relativeDay(at, timeZone, now)}, ${formatTime(at, timeZone)}`;
}

/** "2 h 15 min", "40 min", "3 days" — a positive duration in words. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  return `${Math.round(minutes / 1440)} days`;
}

/** The device's time zone, for screens shown before the gym is known. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
