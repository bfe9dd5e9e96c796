import { describe, expect, it } from "vitest";
import type { RecurringSchedule } from "../../../domain/model.js";
import { generateSessions } from "../../../domain/schedule/generateSessions.js";
import { isoWeekBounds, localDate, zonedInstant } from "../../../domain/schedule/timeZone.js";
import { aPolicy, sequentialIds } from "../../support/domainBuilders.js";

const aSchedule = (overrides: Partial<RecurringSchedule> = {}): RecurringSchedule => ({
  id: "sched-1",
  gymId: "gym-1",
  locationId: "loc-1",
  classTypeId: "type-1",
  coachId: null,
  weekdays: [1, 3, 5],
  startTime: "07:00",
  durationMinutes: 60,
  capacity: 12,
  startDate: "2025-03-24",
  endDate: "2025-04-06",
  exceptions: [],
  ...overrides,
});
const berlin = { timeZone: "Europe/Berlin", policy: aPolicy() };
const all = { from: 0, to: Date.UTC(2100, 0, 1) };

describe("generateSessions", () => {
  it("creates a session on every listed weekday at the local start time, across a DST change", () => {
    const sessions = generateSessions(aSchedule(), berlin, all, sequentialIds("s"));
    expect(sessions.map((s) => new Date(s.startsAt).toISOString())).toEqual([
      "2025-03-24T06:00:00.000Z",
      "2025-03-26T06:00:00.000Z",
      "2025-03-28T06:00:00.000Z",
      // Summer time from Sunday 30 March: 07:00 local is now 05:00 UTC.
      "2025-03-31T05:00:00.000Z",
      "2025-04-02T05:00:00.000Z",
      "2025-04-04T05:00:00.000Z",
    ]);
    expect(sessions.map((s) => s.id)).toEqual(["s-1", "s-2", "s-3", "s-4", "s-5", "s-6"]);
    expect(sessions[0]).toMatchObject({
      endsAt: Date.UTC(2025, 2, 24, 7),
      capacity: 12,
      scheduleId: "sched-1",
      status: "scheduled",
      lateCancelMinutes: 720,
    });
  });

  it("skips exception dates", () => {
    const sessions = generateSessions(aSchedule({ exceptions: ["2025-03-26", "2025-04-04"] }), berlin, all, sequentialIds());
    expect(sessions.map((s) => localDate(s.startsAt, "Europe/Berlin"))).toEqual(["2025-03-24", "2025-03-28", "2025-03-31", "2025-04-02"]);
  });

  it("returns only sessions starting inside the requested range", () => {
    const range = { from: Date.UTC(2025, 2, 26, 6), to: Date.UTC(2025, 2, 31, 5) };
    const sessions = generateSessions(aSchedule(), berlin, range, sequentialIds());
    expect(sessions.map((s) => localDate(s.startsAt, "Europe/Berlin"))).toEqual(["2025-03-26", "2025-03-28"]);
  });

  it("uses the class type's promotion mode over the gym's", () => {
    const [first] = generateSessions(aSchedule(), { ...berlin, promotionMode: "offer" }, all, sequentialIds());
    expect(first?.promotionMode).toBe("offer");
  });

  it("follows the zone's own calendar (New York changes DST on another date)", () => {
    const sessions = generateSessions(
      aSchedule({ weekdays: [0], startTime: "09:30", startDate: "2025-03-02", endDate: "2025-03-16" }),
      { ...berlin, timeZone: "America/New_York" },
      all,
      sequentialIds(),
    );
    expect(sessions.map((s) => new Date(s.startsAt).toISOString())).toEqual([
      "2025-03-02T14:30:00.000Z",
      "2025-03-09T13:30:00.000Z",
      "2025-03-16T13:30:00.000Z",
    ]);
  });
});

describe("time zone helpers", () => {
  it("moves a wall time inside the spring-forward gap forward by the gap", () => {
    expect(new Date(zonedInstant("2025-03-30", "02:30", "Europe/Berlin")).toISOString()).toBe("2025-03-30T01:30:00.000Z");
  });

  it("takes the earlier instant for an ambiguous fall-back wall time", () => {
    expect(new Date(zonedInstant("2025-10-26", "02:30", "Europe/Berlin")).toISOString()).toBe("2025-10-26T00:30:00.000Z");
  });

  it("gives the local ISO week, Monday to Monday", () => {
    const w = isoWeekBounds(Date.UTC(2025, 2, 30, 20), "Europe/Berlin");
    expect(w.monday).toBe("2025-03-24");
    expect(new Date(w.start).toISOString()).toBe("2025-03-23T23:00:00.000Z");
    expect(new Date(w.end).toISOString()).toBe("2025-03-30T22:00:00.000Z");
  });
});

describe("zonedInstant round trip", () => {
  it("maps every local wall time that exists back to the same wall time", async () => {
    const fc = (await import("fast-check")).default;
    const { wallClock } = await import("../../../domain/schedule/timeZone.js");
    fc.assert(
      fc.property(
        fc.constantFrom("Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"),
        fc.date({ min: new Date(Date.UTC(2020, 0, 1)), max: new Date(Date.UTC(2035, 0, 1)), noInvalidDate: true }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        (zone, day, hour, minute) => {
          const date = day.toISOString().slice(0, 10);
          const time = `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
          const t = zonedInstant(date, time, zone);
          const w = wallClock(t, zone);
          const inGap = w.hour * 60 + w.minute !== hour * 60 + minute;
          if (!inGap) expect(localDate(t, zone)).toBe(date);
          // Gap times move forward by at most one hour.
          else expect((w.hour * 60 + w.minute - (hour * 60 + minute) + 1440) % 1440).toBeLessThanOrEqual(60);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
