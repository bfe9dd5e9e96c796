import { describe, expect, it } from "vitest";
import { detectPrs, prFeedEvent, type LoggedWorkout } from "../../../domain/workouts/prs.js";

const squat = (sets: { reps: number; grams: number }[]) => ({ movement: "Back Squat", sets });

describe("PR detection", () => {
  it("marks the heaviest set at a rep count that beats the previous best, once per rep count", () => {
    const workout: LoggedWorkout = {
      exercises: [
        squat([
          { reps: 5, grams: 100_000 },
          { reps: 5, grams: 105_000 },
          { reps: 3, grams: 110_000 },
        ]),
      ],
    };
    const d = detectPrs(workout, { "back squat|load|5": 102_500, "back squat|load|3": 115_000 });
    expect(d.marks).toEqual([[false, true, false]]);
    expect(d.prs).toMatchObject([{ key: "back squat|load|5", value: 105_000, previous: 102_500, kind: "load" }]);
    expect(d.bests).toMatchObject({ "back squat|load|5": 105_000, "back squat|load|3": 115_000 });
  });

  it("marks a first record of a movement, and never a tie with the previous best", () => {
    const d = detectPrs(
      {
        exercises: [
          { movement: "pull-up", sets: [{ reps: 12 }] },
          { movement: "Deadlift", sets: [{ reps: 1, grams: 180_000 }] },
        ],
      },
      { "deadlift|load|1": 180_000 },
    );
    expect(d.marks).toEqual([[true], [false]]);
    expect(d.prs.map((p) => p.key)).toEqual(["pull-up|reps"]);
    expect(d.prs[0]!.previous).toBeNull();
  });

  it("counts a lower time as a PR, per distance, and most reps without load", () => {
    const d = detectPrs(
      {
        exercises: [
          {
            movement: "Row",
            sets: [
              { meters: 2000, ms: 430_000 },
              { meters: 500, ms: 95_000 },
            ],
          },
          { movement: "Push-up", sets: [{ reps: 40 }, { reps: 45 }] },
        ],
      },
      { "row|time|2000": 440_000, "row|time|500": 90_000, "push-up|reps": 42 },
    );
    expect(d.marks).toEqual([
      [true, false],
      [false, true],
    ]);
  });

  it("takes the first of two equal best sets, and matches movements regardless of case and spacing", () => {
    const d = detectPrs(
      { exercises: [{ movement: "back  squat", sets: [{ reps: 5, grams: 110_000 }] }, squat([{ reps: 5, grams: 110_000 }])] },
      {},
    );
    expect(d.marks).toEqual([[true], [false]]);
  });

  it("ignores sets that compete for no record and leaves the given bests untouched", () => {
    const bests = { "run|time|0": 1 };
    const d = detectPrs({ exercises: [{ movement: "Run", sets: [{ meters: 5000 }] }] }, bests);
    expect(d.prs).toEqual([]);
    expect(bests).toEqual({ "run|time|0": 1 });
  });

  it("creates one PR feed event per workout however many PRs it holds, and none without PRs", () => {
    const many = detectPrs(
      {
        exercises: [
          squat([
            { reps: 1, grams: 1 },
            { reps: 2, grams: 1 },
            { reps: 3, grams: 1 },
          ]),
          { movement: "Row", sets: [{ ms: 1 }] },
        ],
      },
      {},
    );
    expect(prFeedEvent(many)).toEqual({ type: "pr", count: 4, movements: ["back squat", "row"] });
    expect(prFeedEvent(detectPrs({ exercises: [squat([{ reps: 1, grams: 1 }])] }, { "back squat|load|1": 2 }))).toBeNull();
  });
});
