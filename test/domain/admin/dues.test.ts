/** Issue 18: recurring dues — billing periods and which one a pass opens (docs/domain.md "Recurring dues"). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  duesNoticeText,
  duesStep,
  periodIndexAt,
  periodOf,
  periodStart,
  type DuesSubject,
  type RecurringPeriod,
} from "../../../domain/admin/dues.js";
import { addDays, localDate, startOfLocalDay } from "../../../domain/schedule/timeZone.js";

const monthly = (over: Partial<DuesSubject> = {}): DuesSubject => ({
  billingPeriod: "month",
  startsOn: "2027-01-31",
  endsOn: null,
  assignedOn: "2027-01-31",
  priceCents: 8_900,
  nextDuesOn: "2027-01-31",
  status: "active",
  frozenUntil: null,
  superseded: false,
  ...over,
});

describe("billing periods", () => {
  it.each([
    { anchor: "2027-01-31", period: "month", index: 1, start: "2027-02-28", why: "31 Jan → the last day of February" },
    {
      anchor: "2027-01-31",
      period: "month",
      index: 2,
      start: "2027-03-31",
      why: "…and back to the 31st: counted from the start, not the last period",
    },
    { anchor: "2027-01-31", period: "month", index: 3, start: "2027-04-30", why: "a 30-day month" },
    { anchor: "2027-12-31", period: "month", index: 2, start: "2028-02-29", why: "a leap February" },
    { anchor: "2027-11-15", period: "month", index: 2, start: "2028-01-15", why: "across a year end" },
    { anchor: "2027-01-30", period: "month", index: 1, start: "2027-02-28", why: "the 30th in February" },
    { anchor: "2028-02-29", period: "year", index: 1, start: "2029-02-28", why: "29 Feb in a common year" },
    { anchor: "2028-02-29", period: "year", index: 4, start: "2032-02-29", why: "29 Feb in the next leap year" },
    { anchor: "2026-12-28", period: "week", index: 1, start: "2027-01-04", why: "a week across a year end" },
    { anchor: "2027-03-22", period: "week", index: 1, start: "2027-03-29", why: "a week across Europe's clock change (dates, not hours)" },
  ] as const)("$why: $anchor + $index $period → $start", ({ anchor, period, index, start }) => {
    expect(periodStart(anchor, period, index)).toBe(start);
    expect(periodIndexAt(anchor, period, start)).toBe(index);
    expect(periodIndexAt(anchor, period, addDays(start, -1))).toBe(index - 1);
  });

  it("a period runs from its first day to the day before the next: 31 Jan → 27 Feb, 28 Feb → 30 Mar", () => {
    expect(periodOf("2027-01-31", "month", 0)).toEqual({ index: 0, startsOn: "2027-01-31", endsOn: "2027-02-27" });
    expect(periodOf("2027-01-31", "month", 1)).toEqual({ index: 1, startsOn: "2027-02-28", endsOn: "2027-03-30" });
  });

  it("property: every day on or after the start lies in exactly one period, periods follow each other without gaps", () => {
    const day = fc.integer({ min: 0, max: 3_000 });
    const anchor = day.map((n) => addDays("2024-01-01", n));
    const period = fc.constantFrom<RecurringPeriod>("week", "month", "year");
    fc.assert(
      fc.property(anchor, period, fc.integer({ min: 0, max: 2_000 }), (a, p, after) => {
        const date = addDays(a, after);
        const k = periodIndexAt(a, p, date);
        expect(k).toBeGreaterThanOrEqual(0);
        const { startsOn, endsOn } = periodOf(a, p, k);
        expect(startsOn <= date && date <= endsOn).toBe(true);
        expect(addDays(endsOn, 1)).toBe(periodStart(a, p, k + 1));
        // A month's period starts on the start's day of the month, or that month's last day when it is shorter.
        if (p !== "week") {
          const want = Number(a.slice(8));
          const got = Number(startsOn.slice(8));
          expect(got === want || (got < want && addDays(startsOn, 1).slice(8) === "01")).toBe(true);
        }
      }),
    );
  });
});

describe("which period a pass opens", () => {
  it.each([
    { why: "the first period was charged at assignment", s: {}, today: "2027-02-27", want: { do: "wait", next: "2027-02-28" } },
    {
      why: "the second opens on its first day",
      s: {},
      today: "2027-02-28",
      want: { do: "open", period: { startsOn: "2027-02-28", endsOn: "2027-03-30" }, next: "2027-03-31" },
    },
    {
      why: "the plan's last day before the next period: nothing more",
      s: { endsOn: "2027-02-27" },
      today: "2027-02-28",
      want: { do: "wait", next: null },
    },
    {
      why: "a period starting on the plan's last day is billed, the one after is not",
      s: { endsOn: "2027-02-28" },
      today: "2027-02-28",
      want: { do: "open", next: null },
    },
    // Passed over silently (no audit row every period for a churned member), but still moved on to the next period.
    { why: "cancelled: passed over", s: { status: "cancelled" }, today: "2027-02-28", want: { do: "wait", next: "2027-03-31" } },
    { why: "pending: passed over", s: { status: "pending" }, today: "2027-02-28", want: { do: "wait", next: "2027-03-31" } },
    {
      why: "frozen on the period's first day: no dues",
      s: { status: "frozen", frozenUntil: "2027-02-28" },
      today: "2027-02-28",
      want: { do: "skip", reason: "frozen", next: "2027-03-31" },
    },
    { why: "frozen without a last day: no dues", s: { status: "frozen", frozenUntil: null }, today: "2027-02-28", want: { do: "skip" } },
    {
      why: "a freeze that ended the day before (not yet lifted by its job): billed",
      s: { status: "frozen", frozenUntil: "2027-02-27" },
      today: "2027-02-28",
      want: { do: "open" },
    },
    { why: "past due still owes", s: { status: "past_due" }, today: "2027-02-28", want: { do: "open" } },
    { why: "replaced by another plan", s: { superseded: true }, today: "2027-02-28", want: { do: "wait", next: null } },
    { why: "a plan billed once", s: { billingPeriod: "once" }, today: "2027-02-28", want: { do: "wait", next: null } },
    { why: "free", s: { priceCents: 0 }, today: "2027-02-28", want: { do: "wait", next: null } },
    {
      why: "imported with an old start: only periods after the import day",
      s: { startsOn: "2025-06-10", assignedOn: "2027-02-20", nextDuesOn: "2025-06-10" },
      today: "2027-02-20",
      want: { do: "wait", next: "2027-03-10" },
    },
    {
      why: "a future start: its first period was charged at assignment, the second is next",
      s: { startsOn: "2027-03-01", assignedOn: "2027-02-20", nextDuesOn: "2027-03-01" },
      today: "2027-03-01",
      want: { do: "wait", next: "2027-04-01" },
    },
    {
      why: "missed periods (no node ran) open one per pass, oldest first",
      s: { nextDuesOn: "2027-02-28" },
      today: "2027-05-02",
      want: { do: "open", period: { startsOn: "2027-02-28" }, next: "2027-03-31" },
    },
  ] as const)("$why", ({ s, today, want }) => {
    expect(duesStep(monthly(s as Partial<DuesSubject>), today)).toMatchObject(want);
  });

  it("property: stepping day by day opens each period once, on its first day, and nothing after the end", () => {
    const period = fc.constantFrom<RecurringPeriod>("week", "month");
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 800 }), period, fc.option(fc.integer({ min: 0, max: 400 })), (n, p, length) => {
        const startsOn = addDays("2026-01-01", n);
        const endsOn = length === null ? null : addDays(startsOn, length);
        let s = monthly({ billingPeriod: p, startsOn, endsOn, assignedOn: startsOn, nextDuesOn: startsOn });
        const opened: string[] = [];
        for (let today = startsOn; today <= addDays(startsOn, 420); today = addDays(today, 1)) {
          if (s.nextDuesOn > today) continue;
          const step = duesStep(s, today);
          if (step.do === "open") {
            expect(step.period.startsOn).toBe(today);
            opened.push(today);
          }
          if (step.next === null) break;
          s = { ...s, nextDuesOn: step.next };
        }
        const last = addDays(startsOn, 420);
        const want: string[] = [];
        for (let k = 1; periodStart(startsOn, p, k) <= last && (endsOn === null || periodStart(startsOn, p, k) <= endsOn); k++)
          want.push(periodStart(startsOn, p, k));
        expect(opened).toEqual(want);
      }),
      { numRuns: 60 },
    );
  });

  // The job asks on the gym's date at the pass's instant: a period opens at the gym's local midnight, DST or not.
  it.each([
    { tz: "Europe/Berlin", first: "2027-03-28", why: "the spring-forward day" },
    { tz: "America/New_York", first: "2026-11-01", why: "the fall-back day" },
    { tz: "Pacific/Auckland", first: "2027-04-04", why: "southern-hemisphere DST end, UTC+13 → +12" },
    { tz: "Pacific/Kiritimati", first: "2027-01-01", why: "UTC+14: a day before UTC's" },
    { tz: "America/St_Johns", first: "2027-03-14", why: "UTC−3:30 on its DST day" },
    { tz: "Asia/Kathmandu", first: "2027-02-01", why: "UTC+5:45" },
  ])("$tz, $why: opens at local midnight of $first, not a minute before", ({ tz, first }) => {
    const s = monthly({ startsOn: periodStart(first, "month", -1), assignedOn: periodStart(first, "month", -1), nextDuesOn: first });
    const midnight = startOfLocalDay(first, tz);
    expect(duesStep(s, localDate(midnight - 60_000, tz))).toMatchObject({ do: "wait", next: first });
    expect(duesStep(s, localDate(midnight, tz))).toMatchObject({ do: "open", period: { startsOn: first } });
  });
});

describe("the dues notice", () => {
  const p = { index: 1, startsOn: "2027-02-01", endsOn: "2027-02-28" };

  it("words the amount and the period in the gym's currency and locale", () => {
    expect(duesNoticeText("Unlimited", p, 8_900, "EUR", "en-GB")).toBe(
      "Your Unlimited dues for 1 Feb 2027 – 28 Feb 2027 are due: €89.00. Pay at the front desk.",
    );
    expect(duesNoticeText("Unlimited", p, 8_900, "GBP", "de-DE")).toMatch(/1\. Feb\. 2027 – 28\. Feb\. 2027 are due: 89,00\s£/u);
  });

  it("falls back to plain dates and amounts for a locale or currency Intl can't read, and stays within a notice", () => {
    expect(duesNoticeText("X", p, 8_900, "ZZZ", "not a locale!")).toBe(
      "Your X dues for 2027-02-01 – 2027-02-28 are due: 89.00 ZZZ. Pay at the front desk.",
    );
    expect(duesNoticeText("P".repeat(500), p, 1, "EUR", "en-GB").length).toBeLessThanOrEqual(500);
  });
});
