/**
 * Member-facing formatting of times and money in the gym's zone and currency.
 */
import type { Instant } from "../model.js";

// Building an `Intl` formatter costs far more than using one (a promotion formats a notice per shifted waiter): one per zone and currency.
const whenFormats = new Map<string, Intl.DateTimeFormat>();
const moneyFormats = new Map<string, Intl.NumberFormat>();

/** "Tue 07:00" in the gym's time zone. */
export function formatWhen(at: Instant, timeZone: string): string {
  let format = whenFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    if (whenFormats.size > 1_000) whenFormats.clear();
    whenFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("weekday")} ${get("hour")}:${get("minute")}`;
}

/** "€5.00" for 500 cents in EUR (falls back to "5.00 XYZ" for unknown currencies). */
export function formatMoney(cents: number, currency: string): string {
  try {
    let format = moneyFormats.get(currency);
    if (!format) {
      format = new Intl.NumberFormat("en-GB", { style: "currency", currency });
      if (moneyFormats.size > 1_000) moneyFormats.clear();
      moneyFormats.set(currency, format);
    }
    return format.format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}
