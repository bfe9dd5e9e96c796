/**
 * The owner's reports (docs/domain.md "Owner reports"): what the numbers mean. The store computes the counts in SQL;
 * these rules turn them into rates and reasons.
 */

/** Days without a visit that make a member at risk, and the windows compared for "visits falling". */
export const AtRiskRules = { noVisitDays: 14, windowDays: 14, fallingFrom: 4 } as const;

/** Counts of one group of sessions (a class type, an hour of the day, a coach, or all). */
export interface SessionCounts {
  sessions: number;
  capacity: number;
  /** Bookings that held a spot: booked, checked in, no-show. */
  taken: number;
  checkedIn: number;
  noShows: number;
  lateCancels: number;
  /** People who joined a waitlist: demand beyond the spots. */
  waitlisted: number;
}

export interface ReportRow extends SessionCounts {
  label: string;
  /** Spots taken ÷ spots offered (null with no spots). */
  fillRate: number | null;
}

/** n ÷ d, or null when there is nothing to divide by. */
export const rate = (n: number, d: number): number | null => (d > 0 ? n / d : null);

export function reportRow(label: string, c: SessionCounts): ReportRow {
  return { label, ...c, fillRate: rate(c.taken, c.capacity) };
}

/** Why a member is at risk, in words; null when they are not. */
export function atRiskReason(
  m: { lastVisitAt: number | null; joinedAt: number; recent: number; before: number },
  now: number,
): string | null {
  const DAY = 86_400_000;
  const quiet = now - AtRiskRules.noVisitDays * DAY;
  if ((m.lastVisitAt ?? 0) < quiet && m.joinedAt < quiet)
    return m.lastVisitAt === null ? "Never visited" : `No visit in ${AtRiskRules.noVisitDays} days`;
  if (m.before >= AtRiskRules.fallingFrom && m.recent * 2 <= m.before)
    return `Visits falling (${m.before} → ${m.recent} in ${AtRiskRules.windowDays} days)`;
  return null;
}

/** The `gym:ownerReport` answer. */
/** A gym's key figures of one gym-local day (stored once the day is over; today's live). */
export interface KpiDay {
  day: string;
  visits: number;
  /** Spots taken in the day's classes (booked, checked in, no-show). */
  bookings: number;
  noShows: number;
  lateCancels: number;
  /** Members who joined that day. */
  joined: number;
  leads: number;
  salesCents: number;
  feesCents: number;
  /** Members active at the end of the day; null when that day was stored later (not known any more). */
  activeMembers: number | null;
}

export interface OwnerReport {
  from: number;
  to: number;
  totals: ReportRow;
  noShowRate: number | null;
  lateCancelRate: number | null;
  byClassType: ReportRow[];
  byHour: ReportRow[];
  byCoach: ReportRow[];
  atRisk: { count: number; members: { memberId: string; name: string; lastVisitAt: number | null; reason: string }[] };
  trials: { leads: number; trialsBooked: number; converted: number; conversionRate: number | null };
  /** Members by the month they joined (gym time) within the period, and how many still hold a membership. */
  cohorts: { month: string; joined: number; stayed: number; retention: number | null }[];
  /** Money by week (Monday, gym time) from the ledger of charges: sales, dues, class fees, and what was paid. */
  moneyByWeek: { week: string; salesCents: number; duesCents: number; feesCents: number; paidCents: number }[];
  /** The period's days from the daily KPI snapshots, today's computed live (docs/domain.md "The owner's reports"). */
  kpi: KpiDay[];
}
