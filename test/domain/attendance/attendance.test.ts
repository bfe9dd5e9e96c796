import { describe, expect, it } from "vitest";
import { weeklyAdherence } from "../../../domain/attendance/adherence.js";
import { currentStreak } from "../../../domain/attendance/streak.js";

const TZ = "Europe/Berlin";
const at = (iso: string) => ({ at: Date.parse(iso) });
const NOW = Date.parse("2025-03-12T18:00:00Z"); // Wednesday

describe("currentStreak", () => {
  it("counts consecutive local days ending today", () => {
    expect(
      currentStreak([at("2025-03-10T06:00Z"), at("2025-03-11T06:00Z"), at("2025-03-12T06:00Z"), at("2025-03-12T17:00Z")], NOW, TZ),
    ).toBe(3);
  });

  it("keeps a streak that ended yesterday alive", () => {
    expect(currentStreak([at("2025-03-10T06:00Z"), at("2025-03-11T06:00Z")], NOW, TZ)).toBe(2);
  });

  it("is zero when neither today nor yesterday has an attendance", () => {
    expect(currentStreak([at("2025-03-09T06:00Z"), at("2025-03-10T06:00Z")], NOW, TZ)).toBe(0);
  });

  it("counts days in the gym's zone, not UTC", () => {
    // 23:30 UTC on the 11th is already the 12th in Berlin.
    expect(currentStreak([at("2025-03-11T23:30Z")], NOW, TZ)).toBe(1);
    expect(currentStreak([at("2025-03-11T23:30Z")], NOW, "UTC")).toBe(1);
    expect(currentStreak([at("2025-03-10T23:30Z")], NOW, TZ)).toBe(1);
    expect(currentStreak([at("2025-03-10T23:30Z")], NOW, "UTC")).toBe(0);
  });
});

describe("weeklyAdherence", () => {
  it("divides attendance in the last complete weeks by the weekly target", () => {
    const a = [at("2025-02-25T06:00Z"), at("2025-03-04T06:00Z"), at("2025-03-06T06:00Z"), at("2025-03-11T06:00Z")];
    const r = weeklyAdherence(a, { now: NOW, timeZone: TZ, weeklyTarget: 2, weeks: 2 });
    expect(r.weeks).toEqual([
      { monday: "2025-02-24", attended: 1 },
      { monday: "2025-03-03", attended: 2 },
    ]);
    expect(r).toMatchObject({ attended: 3, target: 4, ratio: 0.75 });
  });

  it("can include the current week", () => {
    const r = weeklyAdherence([at("2025-03-11T06:00Z")], { now: NOW, timeZone: TZ, weeklyTarget: 3, weeks: 1, includeCurrentWeek: true });
    expect(r).toMatchObject({ attended: 1, target: 3 });
  });

  it("has no ratio when the plan has no weekly target", () => {
    expect(weeklyAdherence([], { now: NOW, timeZone: TZ, weeklyTarget: 0, weeks: 4 }).ratio).toBeNull();
  });
});
