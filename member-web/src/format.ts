/** Formatting for the member app: times in the gym's time zone, money in the gym's currency. */

const cache = new Map<string, Intl.DateTimeFormat>();

function fmt(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(undefined, { timeZone, ...options });
    cache.set(key, f);
  }
  return f;
}

/** "07:00" */
export function formatTime(at: number, timeZone: string): string {
  return fmt(timeZone, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
}

/** "2025-11-27": the local calendar day, for grouping. */
export function dayKey(at: number, timeZone: string): string {
  return fmt(timeZone, { year: "numeric", month: "2-digit", day: "2-digit" })
    .formatToParts(at)
    .filter((p) => p.type !== "literal")
    .sort((a, b) => ["year", "month", "day"].indexOf(a.type) - ["year", "month", "day"].indexOf(b.type))
    .map((p) => p.value)
    .join("-");
}

/** "Today", "Tomorrow" or "Thu 27 Nov". */
export function formatDay(at: number, timeZone: string, now: number): string {
  const key = dayKey(at, timeZone);
  if (key === dayKey(now, timeZone)) return "Today";
  if (key === dayKey(now + 86_400_000, timeZone)) return "Tomorrow";
  return fmt(timeZone, { weekday: "short", day: "numeric", month: "short" }).format(at);
}

/** "Thu 27 Nov, 07:00" (or "Today, 07:00"). */
export function formatWhen(at: number, timeZone: string, now: number): string {
  return `${formatDay(at, timeZone, now)}, ${formatTime(at, timeZone)}`;
}

/** "€5.00" */
export function formatMoney(cents: number, currency: string): string {
  return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(cents / 100);
}

/** "2 h 15 min", "40 min", "1 day" — a positive duration in words. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  const days = Math.round(minutes / 1440);
  return `${days} days`;
}

/** The browser's time zone, for screens that have no gym yet. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
