/**
 * Wall-clock ↔ instant conversion in an IANA time zone via `Intl`, DST-correct.
 * Local dates are "YYYY-MM-DD" strings; civil-date arithmetic is done in UTC.
 */
import type { Instant } from "../model.js";

const DAY = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

type WallClock = { year: number; month: number; day: number; hour: number; minute: number; second: number };

/** The wall-clock fields as `Intl` formats them (exact, and the costly part: every other answer here is derived). */
function formattedWallClock(at: Instant, timeZone: string): WallClock {
  const parts = formatter(timeZone).formatToParts(at);
  const n = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? "0");
  return { year: n("year"), month: n("month"), day: n("day"), hour: n("hour"), minute: n("minute"), second: n("second") };
}

/** The offset at an instant from the formatted fields (whole seconds: `at` is truncated to its second). */
function formattedOffset(at: Instant, timeZone: string): number {
  const w = formattedWallClock(at, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (at - (((at % 1000) + 1000) % 1000));
}

/**
 * Offsets known per zone and quarter hour. A zone's offset changes only at its transitions (at most a few a year, never
 * two within a quarter hour), so when the offset at a quarter hour's first and last second agree it holds throughout;
 * otherwise (a transition inside) each instant is formatted. Desk check-ins, streaks and weekly counts convert
 * hundreds of instants per answer; formatting each one was several percent of a check-in's CPU.
 */
const QUARTER = 15 * 60_000;
const FAST_FROM = Date.UTC(1900, 0, 1);
const FAST_TO = Date.UTC(2200, 0, 1);
const offsets = new Map<string, Map<number, number>>();

function offsetAt(at: Instant, timeZone: string): number {
  if (!(at >= FAST_FROM && at < FAST_TO)) return formattedOffset(at, timeZone);
  const start = Math.floor(at / QUARTER) * QUARTER;
  let known = offsets.get(timeZone)?.get(start);
  if (known === undefined) {
    const first = formattedOffset(start, timeZone); // throws for an unknown zone, before anything is kept
    known = formattedOffset(start + QUARTER - 1_000, timeZone) === first ? first : NaN;
    let zone = offsets.get(timeZone);
    if (!zone) {
      if (offsets.size > 1_000) offsets.clear();
      offsets.set(timeZone, (zone = new Map()));
    }
    if (zone.size > 100_000) zone.clear();
    zone.set(start, known);
  }
  return Number.isNaN(known) ? formattedOffset(at, timeZone) : known;
}

/** The local wall-clock fields of an instant in a zone. */
export function wallClock(at: Instant, timeZone: string): WallClock {
  if (!(at >= FAST_FROM && at < FAST_TO)) return formattedWallClock(at, timeZone);
  const local = new Date(at + offsetAt(at, timeZone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

/** The zone's offset from UTC at an instant, in ms (e.g. +3_600_000 for CET). */
export function zoneOffset(at: Instant, timeZone: string): number {
  return offsetAt(at, timeZone);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/** "YYYY-MM-DD" of the instant in the zone. */
export function localDate(at: Instant, timeZone: string): string {
  const w = wallClock(at, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** Parses "YYYY-MM-DD" to the UTC midnight of that civil date. */
export function civilDay(date: string): number {
  const [y, m, d] = date.split("-").map(Number);
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1);
}

/** The civil date `days` after `date` ("2025-03-30" + 1 → "2025-03-31"). */
export function addDays(date: string, days: number): string {
  const t = new Date(civilDay(date) + days * DAY);
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** 0 = Sunday ... 6 = Saturday for a civil date. */
export function weekdayOf(date: string): number {
  return new Date(civilDay(date)).getUTCDay();
}

/**
 * The instant of a local wall-clock time. A time skipped by a spring-forward gap is moved
 * forward by the gap (02:30 → 03:30); an ambiguous fall-back time takes the earlier instant.
 */
export function zonedInstant(date: string, time: string, timeZone: string): Instant {
  const [h, mi] = time.split(":").map(Number);
  const naive = civilDay(date) + ((h ?? 0) * 60 + (mi ?? 0)) * 60_000;
  const before = zoneOffset(naive - DAY / 2, timeZone);
  const after = zoneOffset(naive + DAY / 2, timeZone);
  // Try the earlier offset first, so ambiguous times resolve to the first occurrence.
  for (const offset of [Math.max(before, after), Math.min(before, after)]) {
    const candidate = naive - offset;
    if (zoneOffset(candidate, timeZone) === offset) return candidate;
  }
  return naive - Math.min(before, after);
}

/** The local midnight starting `date` in the zone. */
export function startOfLocalDay(date: string, timeZone: string): Instant {
  return zonedInstant(date, "00:00", timeZone);
}

/**
 * The ISO week (Monday 00:00 to next Monday 00:00, local) containing `at`, as instants.
 * Used to count a weekly plan's bookings.
 */
export function isoWeekBounds(at: Instant, timeZone: string): { start: Instant; end: Instant; monday: string } {
  const today = localDate(at, timeZone);
  const monday = addDays(today, -((weekdayOf(today) + 6) % 7));
  return { start: startOfLocalDay(monday, timeZone), end: startOfLocalDay(addDays(monday, 7), timeZone), monday };
}
