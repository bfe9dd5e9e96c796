/** The TV board rotates between classes running at the same time (issue 19 item 10). */
import { describe, expect, it } from "vitest";
import { concurrentSessions } from "../../web-admin/src/boardRotation.js";
import type { ScheduleEntry } from "../../domain/views/gymView.js";

const HOUR = 3_600_000;
function entry(id: string, startsAt: number, locationName: string, status: ScheduleEntry["status"] = "scheduled"): ScheduleEntry {
  return {
    id,
    locationId: locationName,
    classTypeId: "t",
    coachId: null,
    startsAt,
    endsAt: startsAt + HOUR,
    capacity: 10,
    status,
    className: id,
    color: "#000",
    locationName,
    coachName: null,
    booked: 0,
    checkedIn: 0,
    waitlist: 0,
    spotsLeft: 10,
  };
}

describe("concurrentSessions", () => {
  it("lists the classes that overlap the shown one, by start then location, leaving out cancelled and later ones", () => {
    const schedule = Object.fromEntries(
      [
        entry("spin", 0, "Riverside"),
        entry("strength", 0, "Downtown"),
        entry("yoga-late-start", HOUR / 2, "Annex"),
        entry("cancelled", 0, "Annex", "cancelled"),
        entry("next-hour", HOUR, "Downtown"),
      ].map((e) => [e.id, e]),
    );
    expect(concurrentSessions(schedule, "spin")).toEqual(["strength", "spin", "yoga-late-start"]);
    expect(concurrentSessions(schedule, "next-hour")).toEqual(["yoga-late-start", "next-hour"]);
    expect(concurrentSessions(schedule, "unknown")).toEqual(["unknown"]);
  });
});
