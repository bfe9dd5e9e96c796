/**
 * Issue 19 item 4: the gym room answers a desk check-in with the member's streak from the resident copy — no read —
 * and that copy moves with each committed visit, so the next day's answer counts on from it.
 */
import { describe, expect, it } from "vitest";
import type { RoomId } from "../../domain/protocol/envelope.js";
import type { GymRoomState } from "../../domain/views/gymView.js";
import { GymRoom, type GymChange, type GymStore } from "../../rooms/GymRoom.js";
import type { Caller, RoomMessage } from "../../rooms/ports.js";
import type { ResidentMember, StandingsSource } from "../../rooms/residentMember.js";
import { ResidentStandings } from "../../rooms/residentStandings.js";
import { aPolicy, GYM, sequentialIds } from "../support/domainBuilders.js";
import { testRuntime } from "../support/roomRuntime.js";

const DAY = 86_400_000;
const MONDAY_NOON = Date.UTC(2026, 11, 7, 11, 0);
const desk: Caller = { userId: "desk-1", membership: { gymId: GYM, role: "front_desk", status: "active" } };

const resident = (id: string, streak: ResidentMember["streak"]): ResidentMember => ({
  memberId: id,
  role: "member",
  status: "active",
  planName: "Plan",
  entitlement: { kind: "unlimited" },
  credits: null,
  creditsExpireAt: null,
  missingConsents: [],
  name: `Name ${id}`,
  email: `${id}@example.com`,
  phone: null,
  visible: true,
  notes: "",
  lastOpenGymAt: null,
  frozenUntil: null,
  bookings: [],
  streak,
});

function setup(members: ResidentMember[]) {
  let now = MONDAY_NOON;
  const reads = { gym: 0, members: 0 };
  const source: StandingsSource = {
    async loadGym() {
      reads.gym += 1;
      return { timeZone: "Europe/Berlin", members: members.map((m) => structuredClone(m)) };
    },
    async loadMembers() {
      reads.members += 1;
      return [];
    },
  };
  const standings = new ResidentStandings(source, () => now, 3_600_000, 0);
  const committed: GymChange[] = [];
  const store: GymStore = {
    async loadGym() {
      const state: GymRoomState = {
        gym: { id: GYM, name: "Gym", timeZone: "Europe/Berlin", currency: "EUR" },
        policy: aPolicy(),
        locations: {},
        classTypes: {},
        coaches: {},
        scheduleUntil: now + 7 * DAY,
        schedule: {},
        checkIns: [],
        kpis: { checkIns: 0, bookings: 0, noShows: 0, attendanceRate: null, feesCents: 0 },
      };
      return { state, fence: 1, processed: [] };
    },
    findMember: () => Promise.reject(new Error("the desk must not read the member from the store")),
    findBookings: () => Promise.reject(new Error("the desk must not read bookings from the store")),
    statusChangesAfter: async () => [],
    async commitGym(_room, changes) {
      committed.push(...changes);
    },
  };
  const room = new GymRoom(
    `gym:${GYM}` as RoomId,
    testRuntime(() => now, sequentialIds("g")),
    store,
    GYM,
    () => Promise.reject(new Error("no class")),
    {
      resident: standings,
      userOfCode: () => null,
    },
  );
  let n = 0;
  const visit = (memberId: string) =>
    room.send({
      kind: "command",
      caller: desk,
      commandId: `scan-${++n}`,
      type: "gym:checkIn",
      payload: { memberId, openGym: true },
      receivedAt: now,
    } satisfies RoomMessage);
  return { visit, reads, committed, standings, later: (ms: number) => (now += ms) };
}

describe("the streak in a desk check-in's answer", () => {
  it("is the stored streak plus today, answered from memory, and counts on from each committed visit", async () => {
    const s = setup([
      resident("kept", { streak: 4, lastActiveDay: "2026-12-06" }),
      resident("broken", { streak: 9, lastActiveDay: "2026-12-03" }),
      resident("new", { streak: 0, lastActiveDay: null }),
    ]);
    expect(await s.visit("kept")).toMatchObject({ ok: true, result: { status: "checked_in", streak: 5 } });
    expect(await s.visit("broken")).toMatchObject({ ok: true, result: { status: "checked_in", streak: 1 } });
    expect(await s.visit("new")).toMatchObject({ ok: true, result: { status: "checked_in", streak: 1 } });
    expect(s.committed.filter((c) => c.type === "attendance")).toHaveLength(3);
    s.later(DAY);
    // Tuesday: Monday's visits were committed on this node, so the copy already holds them.
    expect(await s.visit("kept")).toMatchObject({ ok: true, result: { streak: 6 } });
    expect(await s.visit("broken")).toMatchObject({ ok: true, result: { streak: 2 } });
    s.later(2 * DAY);
    // Thursday after a missed Wednesday: the run starts again.
    expect(await s.visit("kept")).toMatchObject({ ok: true, result: { streak: 1 } });
    expect(s.reads).toEqual({ gym: 1, members: 0 });
    s.standings.close();
  });

  it("is not part of a refused visit's answer", async () => {
    const s = setup([]);
    const answer = await s.visit("stranger");
    expect(answer).toMatchObject({ ok: true, result: { status: "denied" } });
    expect(answer.ok && answer.result).not.toHaveProperty("streak");
    s.standings.close();
  });
});
