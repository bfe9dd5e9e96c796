/**
 * Recurring dues (docs/domain.md "Plans, packs and the ledger" → "Recurring dues"): the billing periods of a plan
 * assignment and which one a pass opens. Pure: dates are the gym's civil dates ("YYYY-MM-DD"), "today" is passed in.
 *
 * A plan billed every week, month or year starts a new period on the same weekday / day of the month / day of the year
 * as its start date; a start on the 29th–31st falls on the last day of a shorter month (31 Jan → 28 Feb → 31 Mar) and
 * 29 Feb on 28 Feb of other years — always counted from the start date, so a short month never shifts later periods.
 */
import type { MembershipStatus } from "../model.js";
import { addDays, civilDay } from "../schedule/timeZone.js";
import type { BillingPeriod } from "./plans.js";

/** The billing periods that recur (a plan billed `once` is charged at assignment only). */
export type RecurringPeriod = Exclude<BillingPeriod, "once">;
export const isRecurring = (p: BillingPeriod | null | undefined): p is RecurringPeriod => p === "week" || p === "month" || p === "year";

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");
const daysInMonth = (year: number, month1: number): number => new Date(Date.UTC(year, month1, 0)).getUTCDate();
const DAY = 86_400_000;

/** The first day of period `index` (0 = the one starting on `anchor`). */
export function periodStart(anchor: string, period: RecurringPeriod, index: number): string {
  if (period === "week") return addDays(anchor, 7 * index);
  const [y, m, d] = anchor.split("-").map(Number) as [number, number, number];
  const months = m - 1 + index * (period === "year" ? 12 : 1);
  const year = y + Math.floor(months / 12);
  const month1 = (((months % 12) + 12) % 12) + 1;
  return `${pad(year, 4)}-${pad(month1)}-${pad(Math.min(d, daysInMonth(year, month1)))}`;
}

/** The index of the period containing `date` (negative before the anchor). */
export function periodIndexAt(anchor: string, period: RecurringPeriod, date: string): number {
  if (period === "week") return Math.floor((civilDay(date) - civilDay(anchor)) / (7 * DAY));
  const [y0, m0] = anchor.split("-").map(Number) as [number, number];
  const [y, m] = date.split("-").map(Number) as [number, number];
  const step = period === "year" ? 12 : 1;
  let index = Math.floor(((y - y0) * 12 + (m - m0)) / step);
  while (periodStart(anchor, period, index) > date) index -= 1;
  while (periodStart(anchor, period, index + 1) <= date) index += 1;
  return index;
}

/** A billing period: its index, first and last day (inclusive). */
export interface DuesPeriod {
  index: number;
  startsOn: string;
  endsOn: string;
}

export function periodOf(anchor: string, period: RecurringPeriod, index: number): DuesPeriod {
  return { index, startsOn: periodStart(anchor, period, index), endsOn: addDays(periodStart(anchor, period, index + 1), -1) };
}

/** What a dues pass knows of one plan assignment (the membership's current plan) and its member. */
export interface DuesSubject {
  billingPeriod: BillingPeriod | null;
  /** The assignment's first and last day (gym dates; `endsOn` inclusive, null = open-ended). */
  startsOn: string;
  endsOn: string | null;
  /** The gym's date on the day the plan was assigned (or imported): periods starting later are billed. */
  assignedOn: string;
  /** The price the member pays per period (the plan's price or the assignment's override), cents. */
  priceCents: number;
  /** The first day the next pass looks at (periods starting before it were dealt with). */
  nextDuesOn: string;
  status: MembershipStatus;
  frozenUntil: string | null;
  /** Another plan replaced this assignment (a newer assignment, a pack sold): it bills no more. */
  superseded: boolean;
}

/**
 * What a pass does with one assignment on the gym's date `today`: `open` the period's dues (full price), `skip` it
 * (frozen on its first day: audited, staff want to know), or nothing (`wait`: not started yet, or the membership is
 * cancelled/pending — passed over silently) — and the day to look again (`next`, null = never: the
 * plan ended, isn't billed per period, is free or was replaced). At most one period per step: a pass that missed
 * several (no node ran for a whole period) opens them one after the other.
 */
export type DuesStep =
  | { do: "open"; period: DuesPeriod; next: string | null }
  | { do: "skip"; period: DuesPeriod; reason: "frozen"; next: string | null }
  | { do: "wait"; next: string | null };

export function duesStep(s: DuesSubject, today: string): DuesStep {
  if (s.superseded || !isRecurring(s.billingPeriod) || s.priceCents <= 0) return { do: "wait", next: null };
  const period = s.billingPeriod;
  // The first period to bill: not the first (charged at assignment), none starting on or before the assignment's day
  // (the assignment charged the period it was made in; imported history isn't billed), none before `nextDuesOn`.
  const from = [s.nextDuesOn, addDays(s.assignedOn, 1)].reduce((a, b) => (a > b ? a : b));
  let index = Math.max(1, periodIndexAt(s.startsOn, period, from));
  if (periodStart(s.startsOn, period, index) < from) index += 1;
  const due = periodOf(s.startsOn, period, index);
  if (s.endsOn !== null && due.startsOn > s.endsOn) return { do: "wait", next: null };
  if (due.startsOn > today) return { do: "wait", next: due.startsOn };
  const after = periodStart(s.startsOn, period, index + 1);
  const next = s.endsOn !== null && after > s.endsOn ? null : after;
  // A cancelled or pending membership moves on without a word: no charge and no audit row (a churned member would
  // write one every period for ever); a membership made active again is billed from its next period.
  if (s.status === "cancelled" || s.status === "pending") return { do: "wait", next };
  // No dues for a period whose first day the membership is frozen (a freeze without a last day freezes every period).
  if (s.status === "frozen" && (s.frozenUntil === null || s.frozenUntil >= due.startsOn))
    return { do: "skip", period: due, reason: "frozen", next };
  return { do: "open", period: due, next };
}

/** The charge's words: "Unlimited monthly, 1 Feb 2027 – 28 Feb 2027". */
export const duesDescription = (planName: string, p: DuesPeriod): string => `${planName.slice(0, 150)}, ${p.startsOn} – ${p.endsOn}`;

/** Most characters of a plan's name in the dues notice (the notice holds 500). */
const NOTICE_PLAN_CHARS = 120;

/** "1 Feb 2027" for a gym date in `locale` (the date is a calendar day: formatted in UTC, never shifted). */
function dayText(date: string, locale: string): string {
  try {
    return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(
      Date.parse(`${date}T00:00:00Z`),
    );
  } catch {
    return date;
  }
}

/** "€89.00" in `locale` and `currency` (an unknown locale or currency falls back to "89.00 XYZ"). */
function moneyText(cents: number, currency: string, locale: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}

/**
 * What a member reads when a period's dues open (issue 18): amount and period in the gym's currency and locale.
 * @example duesNoticeText("Unlimited", { index: 1, startsOn: "2027-02-01", endsOn: "2027-02-28" }, 8900, "EUR", "en-GB")
 * // "Your Unlimited dues for 1 Feb 2027 – 28 Feb 2027 are due: €89.00. Pay at the front desk."
 */
export function duesNoticeText(planName: string, p: DuesPeriod, amountCents: number, currency: string, locale: string): string {
  const plan = planName.trim().slice(0, NOTICE_PLAN_CHARS);
  const span = `${dayText(p.startsOn, locale)} – ${dayText(p.endsOn, locale)}`;
  return `Your ${plan} dues for ${span} are due: ${moneyText(amountCents, currency, locale)}. Pay at the front desk.`;
}
