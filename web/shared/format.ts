/**
 * Dates, times and money for people, in the gym's time zone (staff at the desk and members abroad
 * see the gym's clock).
 */

const cache = new Map<string, Intl.DateTimeFormat>();
function fmt(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) cache.set(key, (f = new Intl.DateTimeFormat(undefined, { timeZone, ...options })));
  return f;
}

/** "07:00". */
export function formatTime(at: number, timeZone: string): string {
  return fmt(timeZone, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
}

/** "Tue 21 Nov". */
export function formatDay(at: number, timeZone: string): string {
  return fmt(timeZone, { weekday: "short", day: "numeric", month: "short" }).format(at);
}

/** "Tue 21 Nov, 07:00". */
export function formatWhen(at: number, timeZone: string): string {
  return `${formatDay(at, timeZone)}, ${formatTime(at, timeZone)}`;
}

/** "21 Nov, 07:00" in the viewer's locale: when a log line (a mail, a notice) happened. */
export function formatStamp(at: number, timeZone: string): string {
  return fmt(timeZone, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }).format(at);
}

/** The local date "YYYY-MM-DD" of an instant in a time zone. */
export function localDate(at: number, timeZone: string): string {
  const parts = fmt(timeZone, { year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** "€5.00". */
export function formatMoney(cents: number, currency: string): string {
  return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(cents / 100);
}

/** "83%" or "—". */
export function formatPercent(ratio: number | null): string {
  return ratio === null ? "—" : `${Math.round(ratio * 100)}%`;
}
