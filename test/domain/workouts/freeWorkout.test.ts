import { describe, expect, it } from "vitest";
import { activeStreak, distanceOf, streakMilestoneReached, volumeOf, xpForWorkout } from "../../../domain/workouts/freeWorkout.js";
import { periodBounds, totalKey, bestResultKey } from "../../../domain/workouts/gymBoards.js";
import { compareKeys } from "../../../domain/workouts/scores.js";

const DAY = 86_400_000;
const zone = "Europe/Berlin";

describe("free workout totals and XP", () => {
  const workout = {
    exercises: [
      {
        movement: "Back squat",
        sets: [
          { reps: 5, grams: 100_000 },
          { reps: 5, grams: 100_000 },
        ],
      },
      { movement: "Row", sets: [{ meters: 2000, ms: 420_000 }] },
      { movement: "Pull-up", sets: [{ reps: 12 }] },
    ],
  };

  it("adds volume (reps × grams over loaded sets) and distance", () => {
    expect(volumeOf(workout)).toBe(1_000_000_000 / 1_000);
    expect(volumeOf(workout, "back  squat")).toBe(1_000_000);
    expect(distanceOf(workout)).toBe(2000);
  });

  it("earns 10 XP, 1 per set up to 20, and 5 per PR", () => {
    expect(xpForWorkout(workout, 0)).toBe(14);
    expect(xpForWorkout(workout, 2)).toBe(24);
    const long = { exercises: [{ movement: "Row", sets: Array.from({ length: 50 }, () => ({ meters: 100 })) }] };
    expect(xpForWorkout(long, 0)).toBe(30);
  });
});

describe("active-day streak", () => {
  const now = Date.UTC(2026, 10, 21, 12);
  it("counts consecutive local days with a class or a workout, ending today or yesterday", () => {
    expect(activeStreak([now, now - DAY, now - 2 * DAY, now - 4 * DAY], now, zone)).toBe(3);
    expect(activeStreak([now - DAY, now - 2 * DAY], now, zone)).toBe(2);
    expect(activeStreak([now - 2 * DAY], now, zone)).toBe(0);
  });

  it("reports the milestone a streak just reached, once", () => {
    expect(streakMilestoneReached(6, 7)).toBe(7);
    expect(streakMilestoneReached(7, 7)).toBeNull();
    expect(streakMilestoneReached(7, 8)).toBeNull();
    expect(streakMilestoneReached(0, 1)).toBeNull();
  });
});

describe("gym board periods and keys", () => {
  it("bounds weeks Monday to Monday and months on the 1st, in the gym's zone", () => {
    const now = Date.UTC(2026, 10, 21, 12); // Saturday 21 Nov 2026
    const week = periodBounds("week", 0, now, zone);
    expect(new Date(week.from).toISOString()).toBe("2026-11-15T23:00:00.000Z"); // Mon 16 Nov, 00:00 Berlin
    expect(week.to - week.from).toBe(7 * DAY);
    const last = periodBounds("week", 1, now, zone);
    expect(last.to).toBe(week.from);
    const month = periodBounds("month", 0, now, zone);
    expect(new Date(month.from).toISOString()).toBe("2026-10-31T23:00:00.000Z");
    expect(new Date(month.to).toISOString()).toBe("2026-11-30T23:00:00.000Z");
    const jan = periodBounds("month", 10, now, zone);
    expect(new Date(jan.from).toISOString()).toBe("2025-12-31T23:00:00.000Z");
  });

  it("ranks a larger total first, then whoever reached an equal total first, then member id", () => {
    const keys = [totalKey("b", 10, 5), totalKey("a", 10, 5), totalKey("c", 10, 3), totalKey("d", 12, 9)];
    expect([...keys].sort(compareKeys).map((k) => k.memberId)).toEqual(["d", "c", "a", "b"]);
  });

  it("takes a member's best benchmark result: Rx over scaled, then the better score", () => {
    const best = bestResultKey("m", [
      { score: { type: "for_time", ms: 200_000 }, division: "scaled", submittedAt: 1 },
      { score: { type: "for_time", ms: 300_000 }, division: "rx", submittedAt: 2 },
      { score: { type: "for_time", ms: 250_000 }, division: "rx", submittedAt: 3 },
    ]);
    expect(best).toMatchObject({ division: "rx", better: 250_000, submittedAt: 3 });
    expect(bestResultKey("m", [])).toBeNull();
  });
});
