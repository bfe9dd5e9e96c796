import { describe, expect, it } from "vitest";
import { boardRows, parseScore, parseTime } from "../../../web/shared/scoreEntry.js";

describe("score entry", () => {
  it("reads times as mm:ss, with tenths or hours, into milliseconds", () => {
    expect(parseTime("12:34")).toBe(754_000);
    expect(parseTime("12:34.5")).toBe(754_500);
    expect(parseTime("1:02:03")).toBe(3_723_000);
    expect(parseTime(" 0:59 ")).toBe(59_000);
    for (const bad of ["4 min", "12", "12:60", "1:75:00", ""]) expect(parseTime(bad)).toBeNull();
  });

  it("turns each score type into the protocol's whole units", () => {
    expect(parseScore("for_time", { time: "4:05" })).toEqual({ ok: true, score: { type: "for_time", ms: 245_000 } });
    expect(parseScore("load", { kg: "102.5" })).toEqual({ ok: true, score: { type: "load", grams: 102_500 } });
    expect(parseScore("load", { kg: "60,25" })).toEqual({ ok: true, score: { type: "load", grams: 60_250 } });
    expect(parseScore("rounds_reps", { rounds: "7", reps: "12" })).toEqual({
      ok: true,
      score: { type: "rounds_reps", rounds: 7, reps: 12 },
    });
    expect(parseScore("rounds_reps", { rounds: "7" })).toEqual({ ok: true, score: { type: "rounds_reps", rounds: 7, reps: 0 } });
    expect(parseScore("distance", { meters: "5000" })).toEqual({ ok: true, score: { type: "distance", meters: 5000 } });
    expect(parseScore("reps", { count: "150" })).toEqual({ ok: true, score: { type: "reps", reps: 150 } });
    expect(parseScore("calories", { count: "84" })).toEqual({ ok: true, score: { type: "calories", calories: 84 } });
  });

  it("names the wrong field in words", () => {
    expect(parseScore("for_time", { time: "0:00" })).toMatchObject({ ok: false, field: "time" });
    expect(parseScore("load", { kg: "-5" })).toMatchObject({ ok: false, field: "kg", message: "Load: kilograms, e.g. 102.5" });
    expect(parseScore("load", { kg: "1200" })).toMatchObject({ ok: false, field: "kg" });
    expect(parseScore("rounds_reps", { rounds: "7", reps: "1.5" })).toMatchObject({ ok: false, field: "reps" });
    expect(parseScore("reps", { count: "" })).toMatchObject({ ok: false, field: "count", message: "Reps: enter a whole number" });
  });

  it("orders board lines by rank and marks equal scores in the same division as ties", () => {
    const line = (rank: number, ms: number, division: "rx" | "scaled") => ({
      rank,
      division,
      score: { type: "for_time" as const, ms },
      display: String(ms),
    });
    const rows = boardRows([line(3, 245_000, "rx"), line(1, 239_000, "rx"), line(2, 245_000, "rx"), line(4, 245_000, "scaled")], (l) => ({
      key: String(l.rank),
      name: "x",
    }));
    expect(rows.map((r) => [r.rank, r.tied])).toEqual([
      [1, false],
      [2, true],
      [3, true],
      [4, false],
    ]);
  });
});
