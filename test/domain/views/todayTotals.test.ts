/** One count of "booked today" (issue 19 item 3: the dashboard said 107 bookings while today's classes held 113). */
import { describe, expect, it } from "vitest";
import type { ScheduleEntry } from "../../../domain/views/gymView.js";
import { todayTotals } from "../../../domain/views/todayTotals.js";

const TZ = "Europe/Berlin";
const now = Date.UTC(2026, 11, 6, 10, 0);
const HOUR = 3_600_000;

function entry(
  id: string,
  startsAt: number,
  booked: number,
  capacity: number,
  status: ScheduleEntry["status"] = "scheduled",
): ScheduleEntry {
  return {
    id,
    locationId: "l",
    classTypeId: "t",
    coachId: null,
    startsAt,
    endsAt: startsAt + HOUR,
    capacity,
    status,
    className: id,
    color: "#000",
    locationName: "Downtown",
    coachName: null,
    booked,
    checkedIn: 0,
    waitlist: 0,
    spotsLeft: Math.max(0, capacity - booked),
  };
}

describe("todayTotals", () => {
  it("sums the spots taken in today's classes (gym zone), leaving out cancelled classes and other days", () => {
    const schedule = Object.fromEntries(
      [
        entry("early", Date.UTC(2026, 11, 5, 23, 30), 5, 10), // 00:30 in Berlin: today
        entry("noon", now + 2 * HOUR, 12, 12),
        entry("cancelled", now + 3 * HOUR, 4, 10, "cancelled"),
        entry("tomorrow", Date.UTC(2026, 11, 6, 23, 30), 7, 10), // 00:30 tomorrow in Berlin
      ].map((e) => [e.id, e]),
    );
    const t = todayTotals(schedule, TZ, now);
    expect(t.classes.map((c) => c.id)).toEqual(["early", "noon", "cancelled"]);
    expect(t.booked).toBe(17);
    expect(t.capacity).toBe(22);
    // The dashboard card and the table are the same list: the card is the table's sum.
    expect(t.booked).toBe(t.classes.filter((c) => c.status !== "cancelled").reduce((n, c) => n + c.booked, 0));
  });
});
