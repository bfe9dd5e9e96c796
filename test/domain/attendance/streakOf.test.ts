/** One streak definition (issue 19 item 4: Me said "2 days in a row" beside "best streak 1 day"). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { activeOn, currentStreak, nextStreak, storedStreakOf, streakOf } from "../../../domain/attendance/streak.js";
import { localDate } from "../../../domain/schedule/timeZone.js";

const TZ = "Europe/Berlin";
const DAY = 86_400_000;
const now = Date.UTC(2026, 11, 6, 11, 0);

describe("streakOf", () => {
  it("counts the current run ending today or yesterday and the longest run ever", () => {
    const at = (daysAgo: number) => now - daysAgo * DAY;
    expect(streakOf([at(0), at(1), at(5), at(6), at(7), at(8)], now, TZ)).toEqual({ current: 2, best: 4 });
    expect(streakOf([at(1), at(2)], now, TZ)).toEqual({ current: 2, best: 2 });
    expect(streakOf([at(3)], now, TZ)).toEqual({ current: 0, best: 1 });
    expect(streakOf([], now, TZ)).toEqual({ current: 0, best: 0 });
    // Two moments on one day are one day; a future moment counts for nothing yet.
    expect(streakOf([at(0), at(0) - 3_600_000, now + DAY], now, TZ)).toEqual({ current: 1, best: 1 });
  });

  it("property: best ≥ current always, and current is the attendance streak's rule", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3 * DAY, max: 40 * DAY }), { maxLength: 60 }), (offsets) => {
        const activeAt = offsets.map((o) => now - o);
        const s = streakOf(activeAt, now, TZ);
        expect(s.best).toBeGreaterThanOrEqual(s.current);
        expect(s.current).toBe(
          currentStreak(
            activeAt.map((at) => ({ at })),
            now,
            TZ,
          ),
        );
      }),
    );
  });

  it("property: the stored streak stepped day by day (nextStreak) is streakOf's current run on each active day", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 * DAY }), { maxLength: 60 }), (offsets) => {
        const moments = [...offsets.map((o) => now - o)].sort((a, b) => a - b);
        let stored = { streak: 0, lastActiveDay: null as string | null };
        for (const [i, at] of moments.entries()) {
          const today = localDate(at, TZ);
          stored = { streak: nextStreak(stored, today), lastActiveDay: today };
          expect(stored.streak).toBe(streakOf(moments.slice(0, i + 1), at, TZ).current);
        }
      }),
    );
  });

  it("property: a resident copy read from history (storedStreakOf) then stepped (activeOn) answers streakOf's current run", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 * DAY }), { maxLength: 60 }), fc.integer({ min: 0, max: 60 }), (offsets, split) => {
        const moments = [...offsets.map((o) => now - o)].sort((a, b) => a - b);
        const loaded = moments.slice(0, split);
        // Loaded from the history before `split`; the rest are check-ins decided with it in memory.
        let stored = storedStreakOf(loaded.map((at) => localDate(at, TZ)));
        for (const [i, at] of moments.entries()) {
          if (i < split) continue;
          const today = localDate(at, TZ);
          expect(nextStreak(stored, today)).toBe(streakOf(moments.slice(0, i + 1), at, TZ).current);
          stored = activeOn(stored, today);
        }
      }),
    );
  });
});
