import { describe, expect, it } from "vitest";
import { describeFilter, filterClock } from "../../../domain/segments/filter.js";

describe("segment filters", () => {
  it("say what they find, in words", () => {
    expect(describeFilter({})).toBe("Every member");
    expect(describeFilter({ statuses: ["active", "past_due"], noVisitDays: 14 })).toBe("active or past due · no visit in 14 days");
    expect(describeFilter({ planIds: ["p1"], tags: ["vip"], visits: { days: 30, min: 2, max: 5 } }, new Map([["p1", "Unlimited"]]))).toBe(
      "on Unlimited · tagged vip · 2–5 visits in 30 days",
    );
    expect(describeFilter({ visits: { days: 7, max: 0 }, feesOwed: true, trialEndedNotConverted: true, birthdayThisWeek: true })).toBe(
      "at most 0 visits in 7 days · owes money · trial ended, not a member · birthday this week",
    );
  });

  it("take this week's birthdays in the gym's time zone, across the new year", () => {
    // 23:30 UTC on 28 December is already 29 December in Berlin.
    const clock = filterClock(Date.UTC(2026, 11, 28, 23, 30), "Europe/Berlin");
    expect(clock.birthdayDays).toEqual(["12-29", "12-30", "12-31", "01-01", "01-02", "01-03", "01-04"]);
    // Regression: someone born on 29 February had no birthday week in three years of four.
    expect(filterClock(Date.UTC(2027, 1, 24, 12), "Europe/Berlin").birthdayDays).toEqual([
      "02-24",
      "02-25",
      "02-26",
      "02-27",
      "02-28",
      "03-01",
      "03-02",
      "02-29",
    ]);
    expect(filterClock(Date.UTC(2028, 1, 24, 12), "Europe/Berlin").birthdayDays).toEqual([
      "02-24",
      "02-25",
      "02-26",
      "02-27",
      "02-28",
      "02-29",
      "03-01",
    ]);
  });
});
