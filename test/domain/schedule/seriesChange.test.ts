import { describe, expect, it } from "vitest";
import { planSeriesChange, seriesTargets, type SeriesSession } from "../../../domain/schedule/seriesChange.js";
import { zonedInstant } from "../../../domain/schedule/timeZone.js";

const TZ = "Europe/Berlin";
const at = (date: string, time: string) => zonedInstant(date, time, TZ);
const aClass = (
  id: string,
  date: string,
  o: Partial<SeriesSession["session"]> & { booked?: number; waitlisted?: number } = {},
): SeriesSession => {
  const startsAt = at(date, "18:00");
  return {
    session: { id, scheduleId: "s1", startsAt, endsAt: startsAt + 3_600_000, capacity: 10, coachId: null, status: "scheduled", ...o },
    booked: o.booked ?? 0,
    waitlisted: o.waitlisted ?? 0,
  };
};
const week = [
  aClass("a", "2027-03-22"),
  aClass("b", "2027-03-24", { booked: 10, waitlisted: 3 }),
  aClass("c", "2027-03-29", { status: "cancelled" }),
  aClass("d", "2027-03-31", { booked: 4 }),
];
const now = at("2027-03-20", "12:00");

describe("series changes", () => {
  it("'this and following' takes the chosen class and the later live ones of its series, never cancelled ones", () => {
    const change = { action: "edit" as const, sessionId: "b", scope: "following" as const, startTime: "19:30" };
    expect(seriesTargets(change, week, week[1]!, TZ).map((t) => t.session.id)).toEqual(["b", "d"]);
    expect(seriesTargets({ ...change, scope: "this" }, week, week[1]!, TZ).map((t) => t.session.id)).toEqual(["b"]);
    // A cancelled class changes nothing, whatever the scope.
    expect(seriesTargets({ ...change, sessionId: "c" }, week, week[2]!, TZ)).toEqual([]);
  });

  it("moves each class to the new local time on its own date, across the spring daylight-saving change, keeping bookings", () => {
    const plan = planSeriesChange(
      { action: "edit", sessionId: "a", scope: "following", startTime: "19:30" },
      [week[0]!, week[3]!],
      TZ,
      now,
    );
    expect(plan.steps.map((s) => s.newStartsAt)).toEqual([at("2027-03-22", "19:30"), at("2027-03-31", "19:30")]);
    expect(plan.steps.map((s) => s.effect)).toEqual(["moved", "moved"]);
    expect(plan.totals).toEqual({ classes: 2, bookings: 4, waitlisted: 0, cancelled: 0, told: 4 });
  });

  it("a smaller class removes nobody (over capacity shown); a larger one moves the waitlist up", () => {
    const smaller = planSeriesChange({ action: "edit", sessionId: "b", scope: "this", capacity: 8 }, [week[1]!], TZ, now);
    expect(smaller.steps[0]).toMatchObject({ effect: "changed", overCapacity: 2, promoted: 0 });
    const larger = planSeriesChange({ action: "edit", sessionId: "b", scope: "this", capacity: 12 }, [week[1]!], TZ, now);
    expect(larger.steps[0]).toMatchObject({ overCapacity: 0, promoted: 2 });
  });

  it("ending a series cancels the live classes after the last date; classes already started or moved into the past are skipped", () => {
    const end = { action: "end" as const, scheduleId: "s1", lastDate: "2027-03-24" };
    const targets = seriesTargets(end, week, null, TZ);
    expect(targets.map((t) => t.session.id)).toEqual(["d"]);
    expect(planSeriesChange(end, targets, TZ, now).steps[0]).toMatchObject({ effect: "cancelled", command: { type: "class:cancel" } });
    const started = planSeriesChange(end, targets, TZ, at("2027-03-31", "18:30"));
    expect(started.steps[0]).toMatchObject({ effect: "skipped", command: null });
    const past = planSeriesChange(
      { action: "edit", sessionId: "a", scope: "this", startTime: "08:00" },
      [week[0]!],
      TZ,
      at("2027-03-22", "12:00"),
    );
    expect(past.steps[0]).toMatchObject({ effect: "skipped", note: "The new time is in the past" });
  });
});
