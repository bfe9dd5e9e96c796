import { describe, expect, it } from "vitest";
import { compareKeys, formatScore, rankKey, type Division, type Score } from "../../../domain/workouts/scores.js";

const order = (entries: [string, Score, Division, number][]) =>
  entries
    .map(([id, score, division, at]) => rankKey(id, score, division, at))
    .sort(compareKeys)
    .map((k) => k.memberId);

describe("class leaderboard order", () => {
  it("ranks a faster time above a slower one for a for-time workout", () => {
    expect(
      order([
        ["slow", { type: "for_time", ms: 600_000 }, "rx", 1],
        ["fast", { type: "for_time", ms: 480_000 }, "rx", 2],
      ]),
    ).toEqual(["fast", "slow"]);
  });

  it.each<[string, Score, Score]>([
    ["reps", { type: "reps", reps: 150 }, { type: "reps", reps: 120 }],
    ["load", { type: "load", grams: 102_500 }, { type: "load", grams: 100_000 }],
    ["rounds + reps", { type: "rounds_reps", rounds: 7, reps: 3 }, { type: "rounds_reps", rounds: 6, reps: 40 }],
    ["distance", { type: "distance", meters: 5_000 }, { type: "distance", meters: 4_800 }],
    ["calories", { type: "calories", calories: 84 }, { type: "calories", calories: 80 }],
  ])("ranks the higher %s score first", (_name, better, worse) => {
    expect(
      order([
        ["worse", worse, "rx", 1],
        ["better", better, "rx", 2],
      ]),
    ).toEqual(["better", "worse"]);
  });

  it("puts every Rx result above every scaled one, however good the scaled score", () => {
    expect(
      order([
        ["scaledFast", { type: "for_time", ms: 300_000 }, "scaled", 1],
        ["rxSlow", { type: "for_time", ms: 900_000 }, "rx", 2],
      ]),
    ).toEqual(["rxSlow", "scaledFast"]);
  });

  it("breaks a tie by the earlier submission, then by member id", () => {
    const same: Score = { type: "reps", reps: 100 };
    expect(
      order([
        ["b", same, "rx", 20],
        ["late", same, "rx", 30],
        ["a", same, "rx", 20],
        ["early", same, "rx", 10],
      ]),
    ).toEqual(["early", "a", "b", "late"]);
  });

  it("treats equal keys as the same member only", () => {
    const k = rankKey("m", { type: "reps", reps: 1 }, "rx", 1);
    expect(compareKeys(k, { ...k })).toBe(0);
    expect(compareKeys(k, { ...k, memberId: "n" })).toBeLessThan(0);
  });

  it("formats scores for people", () => {
    expect(formatScore({ type: "for_time", ms: 754_500 })).toBe("12:34.5");
    expect(formatScore({ type: "for_time", ms: 60_000 })).toBe("1:00");
    expect(formatScore({ type: "load", grams: 102_500 })).toBe("102.5 kg");
    expect(formatScore({ type: "rounds_reps", rounds: 7, reps: 12 })).toBe("7 + 12");
  });
});
