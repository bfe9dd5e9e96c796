/**
 * Gym leaderboards per week or month: total attendance, total volume, or the best result of a
 * benchmark class workout. Every board orders by one {@link RankKey}, so the tie-breaks are the
 * class board's: better total first, then whoever got there first, then member id. Pure.
 */
import type { Instant } from "../model.js";
import { addDays, isoWeekBounds, localDate, startOfLocalDay } from "../schedule/timeZone.js";
import { compareKeys, rankKey, type Division, type RankKey, type Score } from "./scores.js";

export type BoardPeriod = "week" | "month";

/** [from, to) of the current period (`offset` 0) or `offset` periods earlier, in the gym's zone. Weeks run Monday to Sunday. */
export function periodBounds(period: BoardPeriod, offset: number, now: Instant, timeZone: string): { from: Instant; to: Instant } {
  if (period === "week") {
    const { monday } = isoWeekBounds(now, timeZone);
    const first = addDays(monday, -7 * offset);
    return { from: startOfLocalDay(first, timeZone), to: startOfLocalDay(addDays(first, 7), timeZone) };
  }
  const [y, m] = localDate(now, timeZone).split("-").map(Number) as [number, number];
  const index = y * 12 + (m - 1) - offset;
  const month = (i: number) => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}-01`;
  return { from: startOfLocalDay(month(index), timeZone), to: startOfLocalDay(month(index + 1), timeZone) };
}

/**
 * A total's key (attendance count, volume): more is better; an equal total ranks whoever reached it
 * first (`lastAt`, the member's last counted activity) higher.
 */
export function totalKey(memberId: string, total: number, lastAt: Instant): RankKey {
  return { memberId, division: "rx", better: -total, submittedAt: lastAt };
}

/** A member's best key among their results of a benchmark (same score type), or null without any. */
export function bestResultKey(
  memberId: string,
  results: readonly { score: Score; division: Division; submittedAt: Instant }[],
): RankKey | null {
  let best: RankKey | null = null;
  for (const r of results) {
    const key = rankKey(memberId, r.score, r.division, r.submittedAt);
    if (best === null || compareKeys(key, best) < 0) best = key;
  }
  return best;
}
