/**
 * The front desk's gym room must not queue scans behind a class room's commit: a check-in into a
 * booked class is decided and stored by the class room, and the gym room's mailbox moves on at once.
 * Regression: the gym room awaited the class room's commit inside its mailbox (desk p99 341 ms at 50/s).
 */
import { describe, expect, it } from "vitest";
import type { Ack, RoomId } from "../../domain/protocol/envelope.js";
import type { GymRoomState } from "../../domain/views/gymView.js";
import { GymRoom, type DeskMember, type GymStore } from "../../rooms/GymRoom.js";
import type { Caller, RoomMessage } from "../../rooms/ports.js";
import { aMember, aPolicy, EARLY, GYM, sequentialIds } from "../support/domainBuilders.js";
import { testRuntime } from "../support/roomRuntime.js";

const desk: Caller = { userId: "desk-1", membership: { gymId: GYM, role: "front_desk", status: "active" } };

function member(memberId: string): DeskMember {
  return {
    standing: aMember({ memberId }),
    person: { name: memberId, email: `${memberId}@example.com`, phone: "", visible: true, membershipStatus: "active", notes: "" },
    lastOpenGymAt: null,
  };
}

function gymRoom(ask: (room: RoomId, message: RoomMessage) => Promise<Ack<unknown>>) {
  const lookups: string[] = [];
  const store: GymStore = {
    async loadGym() {
      const state: GymRoomState = {
        gym: { id: GYM, name: "Gym", timeZone: "Europe/Berlin", currency: "EUR" },
        policy: aPolicy(),
        locations: {},
        classTypes: {},
        coaches: {},
        scheduleUntil: EARLY + 86_400_000,
        schedule: {},
        checkIns: [],
        kpis: { checkIns: 0, bookings: 0, noShows: 0, attendanceRate: null, feesCents: 0 },
      };
      return { state, fence: 1, processed: [] };
    },
    async findMember(_gym, who) {
      const id = "memberId" in who ? who.memberId : who.code;
      lookups.push(id);
      return member(id);
    },
    async findBookings(_gym, memberId) {
      return memberId === "booked"
        ? [
            {
              sessionId: "session-1",
              className: "WOD",
              sessionStatus: "scheduled",
              bookingStatus: "booked",
              startsAt: EARLY,
              checkInOpensAt: EARLY - 3_600_000,
              checkInClosesAt: EARLY + 3_600_000,
            },
          ]
        : [];
    },
    statusChangesAfter: async () => [],
    async commitGym() {},
  };
  const rt = testRuntime(() => EARLY, sequentialIds("g"));
  return { room: new GymRoom(`gym:${GYM}` as RoomId, rt, store, GYM, ask), lookups };
}

let n = 0;
const scan = (memberId: string, extra: Record<string, unknown> = {}): Extract<RoomMessage, { kind: "command" }> => ({
  kind: "command",
  caller: desk,
  commandId: `scan-${++n}`,
  type: "gym:checkIn",
  payload: { memberId, ...extra },
  receivedAt: EARLY,
});

describe("front desk check-ins in the gym room", () => {
  it("answers the next scan while a class check-in waits for its class room's commit", async () => {
    let finish: (a: Ack<unknown>) => void = () => {};
    const asked: RoomId[] = [];
    const { room } = gymRoom((target) => {
      asked.push(target);
      return new Promise((r) => (finish = r));
    });
    const intoClass = room.send(scan("booked"));
    const openGym = await room.send(scan("walk-in", { openGym: true }));
    expect(openGym).toMatchObject({ ok: true, result: { status: "checked_in", memberName: "walk-in" } });
    expect(asked).toEqual(["class:session-1"]);
    let answered = false;
    void intoClass.then(() => (answered = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(answered).toBe(false); // acknowledged only when the class room has stored it
    finish({ ok: true, result: { status: "checked_in" } });
    // memberId too, as every desk result carries it: a refusal relayed from the class room offers "Check in anyway" for that member.
    expect(await intoClass).toEqual({
      ok: true,
      result: { status: "checked_in", memberName: "booked", memberId: "booked", className: "WOD" },
    });
  });

  it("relays the class room's refusal unchanged", async () => {
    const { room } = gymRoom(async () => ({ ok: false, error: { code: "UNAVAILABLE", message: "try again", retryAfterMs: 500 } }));
    expect(await room.send(scan("booked"))).toEqual({ ok: false, error: { code: "UNAVAILABLE", message: "try again", retryAfterMs: 500 } });
  });

  it("looks nobody up for a caller who may not check members in", async () => {
    const { room, lookups } = gymRoom(async () => ({ ok: true, result: null }));
    const member: Caller = { userId: "m-1", membership: { gymId: GYM, role: "member", status: "active" } };
    expect(await room.send({ ...scan("booked"), caller: member })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(lookups).toEqual([]);
  });
});
