/**
 * Segments (docs/domain.md "Segments"): a saved filter over a gym's members. Pure: what a filter means, in words and
 * as the dates it compares against; `server/persistence/segmentQuery.ts` turns it into one SQL statement.
 */
import type { MembershipStatus } from "../model.js";
import { addDays, isoWeekBounds, localDate, startOfLocalDay } from "../schedule/timeZone.js";

/** Every condition is optional; a member is in the segment when they meet all that are given. */
export interface SegmentFilter {
  /** On one of these plans. */
  planIds?: string[] | undefined;
  /** Membership status is one of these (default: any). */
  statuses?: MembershipStatus[] | undefined;
  /** Has at least one of these tags. */
  tags?: string[] | undefined;
  /** No check-in in the last N days (and a member for at least that long). */
  noVisitDays?: number | undefined;
  /** Between `min` and `max` check-ins (inclusive) in the last `days` days. */
  visits?: { days: number; min?: number | undefined; max?: number | undefined } | undefined;
  /** Owes money: an open charge or an unsettled class fee. Owners and admins only. */
  feesOwed?: boolean | undefined;
  /** Still on the trial plan with the trial used up or expired and no trial class still booked ahead: tried, didn't join. */
  trialEndedNotConverted?: boolean | undefined;
  /** Birthday within the next 7 days (today included, gym time zone). */
  birthdayThisWeek?: boolean | undefined;
  /** An active-day streak of at least {@link StreakBrokenFrom} days ended (no activity yesterday or today). */
  streakBroken?: boolean | undefined;
  /** Fewer visits in the last 4 complete weeks than the plan's weekly target × 4. */
  adherenceBelowTarget?: boolean | undefined;
  /** Has not signed the waiver version in force (the gym's latest published version whose effective time has come). */
  waiverMissing?: boolean | undefined;
}

/** The shortest streak whose end counts as "streak broken". */
export const StreakBrokenFrom = 3;
/** Complete weeks adherence is measured over. */
export const AdherenceWeeks = 4;

const DAY = 86_400_000;

/** The instants and dates a filter compares against at `now` in the gym's zone. */
export function filterClock(now: number, timeZone: string) {
  const today = localDate(now, timeZone);
  const monday = isoWeekBounds(now, timeZone).monday;
  return {
    /** The gym's date yesterday: a streak whose last active day is before it has ended. */
    yesterday: addDays(today, -1),
    /** The last {@link AdherenceWeeks} complete ISO weeks (gym zone), as instants [from, to). */
    adherence: { from: startOfLocalDay(addDays(monday, -7 * AdherenceWeeks), timeZone), to: startOfLocalDay(monday, timeZone) },
    /** "MM-DD" of today and the six days after it; in a year without 29 February, "02-29" celebrates with the 28th. */
    birthdayDays: birthdayDays(today),
    since: (days: number) => now - days * DAY,
  };
}

function birthdayDays(today: string): string[] {
  const days = Array.from({ length: 7 }, (_, i) => addDays(today, i).slice(5));
  const leap = addDays(`${today.slice(0, 4)}-02-28`, 1).endsWith("02-29");
  return !leap && days.includes("02-28") ? [...days, "02-29"] : days;
}

/** Whether a filter asks about money (refused to staff who see no money). */
export const asksAboutMoney = (f: SegmentFilter): boolean => f.feesOwed === true;

/** The filter in words, for the screen and the preview ("Active · no visit in 14 days"). */
export function describeFilter(f: SegmentFilter, planNames: ReadonlyMap<string, string> = new Map()): string {
  const parts: string[] = [];
  if (f.statuses?.length) parts.push(f.statuses.map((s) => s.replace("_", " ")).join(" or "));
  if (f.planIds?.length) parts.push(`on ${f.planIds.map((id) => planNames.get(id) ?? "a plan").join(" or ")}`);
  if (f.tags?.length) parts.push(`tagged ${f.tags.join(" or ")}`);
  if (f.noVisitDays !== undefined) parts.push(`no visit in ${f.noVisitDays} days`);
  if (f.visits) {
    const { min, max, days } = f.visits;
    const range = min !== undefined && max !== undefined ? `${min}–${max}` : min !== undefined ? `at least ${min}` : `at most ${max ?? 0}`;
    parts.push(`${range} visits in ${days} days`);
  }
  if (f.feesOwed) parts.push("owes money");
  if (f.trialEndedNotConverted) parts.push("trial ended, not a member");
  if (f.birthdayThisWeek) parts.push("birthday this week");
  if (f.streakBroken) parts.push("streak broken");
  if (f.adherenceBelowTarget) parts.push("below their weekly target");
  if (f.waiverMissing) parts.push("waiver not signed");
  return parts.length ? parts.join(" · ") : "Every member";
}
