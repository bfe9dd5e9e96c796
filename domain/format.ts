/**
 * Member-facing formatting of times and money in the gym's zone and currency.
 */
import type { Instant } from "./model.js";

// Building an `Intl` formatter costs far more than using one (a promotion formats a notice per shifted waiter): one per zone and currency.
const whenFormats = new Map<string, Intl.DateTimeFormat>();
const moneyFormats = new Map<string, Intl.NumberFormat>();

function whenFormat(timeZone: string): Intl.DateTimeFormat {
  let format = whenFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    if (whenFormats.size > 1_000) whenFormats.clear();
    whenFormats.set(timeZone, format);
  }
  return format;
}

/**
 * Builds the zone's formatter ahead of use (a class room does when it loads): the first one in a process cost
 * milliseconds (ICU loads the zone and the locale), which the first promotion notice paid inside its decision.
 */
export function primeWhenFormat(timeZone: string): void {
  whenFormat(timeZone);
}

/** "Tue 07:00" in the gym's time zone. */
export function formatWhen(at: Instant, timeZone: string): string {
  const parts = whenFormat(timeZone).formatToParts(at);
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
