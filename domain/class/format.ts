/**
 * Member-facing formatting of times and money in the gym's zone and currency.
 */
import type { Instant } from "../model.js";

/** "Tue 07:00" in the gym's time zone. */
export function formatWhen(at: Instant, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("weekday")} ${get("hour")}:${get("minute")}`;
}

/** "€5.00" for 500 cents in EUR (falls back to "5.00 XYZ" for unknown currencies). */
export function formatMoney(cents: number, currency: string): string {
  try {
    return new Intl.NumberFormat("en-GB", { style: "currency", currency }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}
