import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkNewChallenge,
  completesNow,
  contributionOf,
  inWindow,
  isOpen,
  MaxPerSubmission,
  progressOf,
  resultContribution,
  submissionStatus,
  type SubmissionStatus,
} from "../../../domain/challenges/challenge.js";

const DAY = 86_400_000;
const row = (sets: { reps?: number; grams?: number; meters?: number; ms?: number }[], movement = "Row") => ({
  exercises: [{ movement, sets }],
});

describe("challenge rules", () => {
  it("counts distance of the challenge's movement only, compared without case or extra spaces", () => {
    const workout = {
      exercises: [
        { movement: "  ROW ", sets: [{ meters: 2000, ms: 420_000 }, { meters: 500 }] },
        { movement: "Run", sets: [{ meters: 5000 }] },
      ],
    };
    expect(contributionOf({ kind: "distance", movement: "row" }, workout)).toBe(2500);
    expect(contributionOf({ kind: "distance", movement: null }, workout)).toBe(7500);
  });

  it("counts volume in whole kilograms (reps × load), and nothing for attendance challenges", () => {
    const workout = row([{ reps: 5, grams: 100_500 }, { reps: 3, grams: 60_000 }, { reps: 10 }], "Squat");
    expect(contributionOf({ kind: "volume", movement: null }, workout)).toBe(682); // 502.5 + 180 kg
    expect(contributionOf({ kind: "attendance", movement: null }, workout)).toBe(0);
  });

  it("holds a submission above the per-kind maximum for review and counts one at the maximum; attendance is never held", () => {
    expect(submissionStatus("distance", MaxPerSubmission.distance)).toBe("counted");
    expect(submissionStatus("distance", MaxPerSubmission.distance + 1)).toBe("held");
    expect(submissionStatus("volume", MaxPerSubmission.volume + 1)).toBe("held");
    expect(submissionStatus("attendance", 1_000)).toBe("counted");
  });

  it("progress is the sum of counted and approved submissions only (property)", () => {
    const sub = fc.record({
      amount: fc.integer({ min: 1, max: 100_000 }),
      status: fc.constantFrom<SubmissionStatus>("counted", "held", "approved", "rejected"),
    });
    fc.assert(
      fc.property(fc.array(sub, { maxLength: 40 }), (subs) => {
        const expected = subs.filter((s) => s.status === "counted" || s.status === "approved").reduce((n, s) => n + s.amount, 0);
        expect(progressOf(subs)).toBe(expected);
        // Holding or rejecting more never adds progress.
        expect(progressOf([...subs, { amount: 99, status: "held" }, { amount: 7, status: "rejected" }])).toBe(expected);
      }),
    );
  });

  it("completes a joined participant at the target, never one who left or already completed", () => {
    expect(completesNow({ status: "joined" }, 12, 12)).toBe(true);
    expect(completesNow({ status: "joined" }, 11, 12)).toBe(false);
    expect(completesNow({ status: "left" }, 20, 12)).toBe(false);
    expect(completesNow({ status: "completed" }, 20, 12)).toBe(false);
  });

  it("is open until its end; its window includes the start and excludes the end", () => {
    const c = { startsAt: 1_000, endsAt: 2_000 };
    expect(isOpen(c, 1_999)).toBe(true);
    expect(isOpen(c, 2_000)).toBe(false);
    expect([inWindow(c, 999), inWindow(c, 1_000), inWindow(c, 1_999), inWindow(c, 2_000)]).toEqual([false, true, true, false]);
  });

  it("refuses an end before the start, in the past, longer than a year, or a movement on an attendance challenge", () => {
    const now = 10 * DAY;
    const base = { title: "12 in 4", kind: "attendance" as const, target: 12, startsAt: now, endsAt: now + 28 * DAY };
    expect(checkNewChallenge(base, now)).toBeNull();
    expect(checkNewChallenge({ ...base, endsAt: now - 1 }, now)?.fields).toEqual({ endsAt: "The end must be after the start" });
    expect(checkNewChallenge({ ...base, startsAt: 0, endsAt: now }, now)?.fields).toEqual({ endsAt: "The end must be in the future" });
    expect(checkNewChallenge({ ...base, endsAt: now + 400 * DAY }, now)?.code).toBe("VALIDATION_FAILED");
    expect(checkNewChallenge({ ...base, movement: "Row" }, now)?.fields).toEqual({
      movement: "Attendance challenges count classes, not a movement",
    });
  });

  it("counts a distance-scored class result for distance challenges whose movement the workout's title names as a word", () => {
    const score = { type: "distance" as const, meters: 5000 };
    expect(resultContribution({ kind: "distance", movement: null }, "Long chipper", score)).toBe(5000);
    expect(resultContribution({ kind: "distance", movement: "Row" }, "5k ROW for distance", score)).toBe(5000);
    expect(resultContribution({ kind: "distance", movement: "row" }, "Row/Bike relay", score)).toBe(5000);
    expect(resultContribution({ kind: "distance", movement: "Row" }, "Rower intervals", score)).toBe(0);
    expect(resultContribution({ kind: "distance", movement: null }, "Fran", { type: "for_time", ms: 300_000 })).toBe(0);
    expect(resultContribution({ kind: "volume", movement: null }, "Max deadlift", { type: "load", grams: 200_000 })).toBe(0);
    expect(resultContribution({ kind: "attendance", movement: null }, "5k row", score)).toBe(0);
  });
});
