/**
 * A gym room that loads (a desk or staff screen opened the gym) starts the class rooms open for check-in with members
 * still to check in, soonest first and at most CHECK_IN_WARM_MAX: the desk's first scan into each then finds its
 * class room in memory. Classes not open for check-in, cancelled or with nobody booked are not started.
 */
import { describe, expect, it } from "vitest";
import type { RoomId } from "../../domain/protocol/envelope.js";
import type { GymRoomState, ScheduleEntry } from "../../domain/views/gymView.js";
import { GymRoom, type GymStore } from "../../rooms/GymRoom.js";
import { CHECK_IN_WARM_MAX } from "../../rooms/gymWarmClasses.js";
import { aPolicy, EARLY, GYM, sequentialIds } from "../support/domainBuilders.js";
import { testRuntime } from "../support/roomRuntime.js";

const MINUTE = 60_000;

/** A schedule line starting `inMinutes` from EARLY, check-in open from 60 min before to 30 min after its start. */
function line(id: string, inMinutes: number, extra: Partial<ScheduleEntry> = {}): ScheduleEntry {
  const startsAt = EARLY + inMinutes * MINUTE;
  return {
    id,
    startsAt,
    endsAt: startsAt + 60 * MINUTE,
    status: "scheduled",
    booked: 3,
    checkedIn: 0,
    waitlist: 0,
    spotsLeft: 7,
    capacity: 10,
    checkInOpensAt: startsAt - 60 * MINUTE,
    checkInClosesAt: startsAt + 30 * MINUTE,
    ...extra,
  } as ScheduleEntry;
}

function loadWith(schedule: ScheduleEntry[]) {
  const warmed: RoomId[] = [];
  const store: GymStore = {
    async loadGym() {
      const state: GymRoomState = {
        gym: { id: GYM, name: "Gym", timeZone: "Europe/Berlin", currency: "EUR" },
        policy: aPolicy(),
        locations: {},
        classTypes: {},
        coaches: {},
        scheduleUntil: EARLY + 7 * 86_400_000,
        schedule: Object.fromEntries(schedule.map((s) => [s.id, s])),
        checkIns: [],
        kpis: { checkIns: 0, bookings: 0, noShows: 0, attendanceRate: null, feesCents: 0 },
      };
      return { state, fence: 1, processed: [] };
    },
    findMember: async () => null,
    findBookings: async () => [],
    statusChangesAfter: async () => [],
    async commitGym() {},
  };
  const rt = { ...testRuntime(() => EARLY, sequentialIds("g")), warm: (room: RoomId) => void warmed.push(room) };
  const room = new GymRoom(`gym:${GYM}` as RoomId, rt, store, GYM, async () => ({ ok: true, result: null }));
  return { room, warmed };
}

describe("a gym room's load", () => {
  it("starts the class rooms open for check-in with members to check in, soonest first", async () => {
    const { room, warmed } = loadWith([
      line("later", 30),
      line("soon", 10),
      line("started", -20),
      line("not-open-yet", 120),
      line("closed", -45),
      line("nobody-booked", 5, { booked: 0, checkedIn: 0 }),
      line("all-checked-in", -10, { booked: 3, checkedIn: 3 }),
      line("cancelled", 15, { status: "cancelled" }),
    ]);
    await room.start();
    expect(warmed).toEqual(["class:started", "class:soon", "class:later"]);
    await room.stop();
  });

  it("starts at most CHECK_IN_WARM_MAX of them", async () => {
    const { room, warmed } = loadWith(Array.from({ length: CHECK_IN_WARM_MAX + 5 }, (_, i) => line(`c${String(i).padStart(2, "0")}`, i)));
    await room.start();
    expect(warmed).toHaveLength(CHECK_IN_WARM_MAX);
    expect(warmed[0]).toBe("class:c00");
    await room.stop();
  });
});
