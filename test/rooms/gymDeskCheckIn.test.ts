/**
 * Open-gym check-ins at the desk, decided in the gym room with the domain's one desk function and recorded there
 * (what the removed `checkInToGym` promised, now asserted on the path the desk really takes).
 */
import { describe, expect, it } from "vitest";
import type { ScheduleEntry, StaffGymView } from "../../domain/views/gymView.js";
import { EARLY, HOUR, MINUTE } from "../support/domainBuilders.js";
import { deskCommand, gymRoomHarness } from "../support/gymRoomHarness.js";

const openGym = (commandId: string, memberId: string) => deskCommand(commandId, { memberId, openGym: true, source: "desk" });
const records = (stored: ReturnType<typeof gymRoomHarness>["stored"]) => stored.flatMap((c) => (c.type === "checkin" ? [c.checkIn] : []));

describe("open gym at the desk", () => {
  it("accepts an active member and records the check-in and attendance without a session", async () => {
    const h = gymRoomHarness();
    expect(await h.room.send(openGym("c1", "ann"))).toMatchObject({ ok: true, result: { status: "checked_in", memberId: "ann" } });
    expect(records(h.stored)).toEqual([
      expect.objectContaining({ result: "accepted", sessionId: null, memberId: "ann", source: "desk", byUserId: "desk-1", at: EARLY }),
    ]);
    expect(h.stored).toContainEqual({
      type: "attendance",
      attendance: expect.objectContaining({ memberId: "ann", sessionId: null, at: EARLY }),
    });
  });

  it("records a denial with the reason for a frozen member, by the staff member who scanned", async () => {
    const h = gymRoomHarness();
    h.status.set("ann", "frozen");
    expect(await h.room.send(openGym("c1", "ann"))).toMatchObject({
      ok: true,
      result: { status: "denied", reason: "MEMBERSHIP_FROZEN", message: "Membership frozen — ask the front desk." },
    });
    expect(records(h.stored)).toEqual([expect.objectContaining({ result: "denied", reason: "MEMBERSHIP_FROZEN", byUserId: "desk-1" })]);
    expect(h.stored.some((c) => c.type === "attendance")).toBe(false);
  });

  it("records UNKNOWN_MEMBER without a member id for nobody found or another gym's member", async () => {
    const h = gymRoomHarness();
    for (const [id, who] of [
      ["c1", "nobody"],
      ["c2", "stranger"],
    ] as const)
      expect(await h.room.send(openGym(id, who))).toMatchObject({ ok: true, result: { status: "denied", reason: "UNKNOWN_MEMBER" } });
    expect(records(h.stored).map((c) => [c.memberId, c.reason])).toEqual([
      [null, "UNKNOWN_MEMBER"],
      [null, "UNKNOWN_MEMBER"],
    ]);
  });

  it("swallows a double scan within ten minutes", async () => {
    const h = gymRoomHarness();
    h.lastOpenGym.set("ann", EARLY - 9 * MINUTE);
    h.lastOpenGym.set("bob", EARLY - 10 * MINUTE);
    expect(await h.room.send(openGym("c1", "ann"))).toMatchObject({ ok: true, result: { status: "already_checked_in" } });
    expect(await h.room.send(openGym("c2", "bob"))).toMatchObject({ ok: true, result: { status: "checked_in" } });
    expect(records(h.stored).map((c) => c.memberId)).toEqual(["bob"]);
  });

  it("lists an accepted visit, a member's new status and a changed booking in the staff view's desk changes", async () => {
    const h = gymRoomHarness();
    await h.room.send(openGym("c1", "ann"));
    h.status.set("bob", "frozen");
    await h.room.send({ kind: "note", note: { type: "member", memberId: "bob" } });
    const entry = { id: "session-1", startsAt: EARLY + HOUR } as ScheduleEntry;
    await h.room.send({
      kind: "note",
      note: { type: "session", entry, kpis: { bookings: 1, noShows: 0, feesCents: 0 }, roster: [{ memberId: "cat", status: "booked" }] },
    });
    const view = (h.room.join("staff") as { snapshot: StaffGymView }).snapshot;
    expect(Object.values(view.desk)).toEqual([
      expect.objectContaining({ seq: 1, kind: "openGym", memberId: "ann", at: EARLY }),
      expect.objectContaining({ seq: 2, kind: "member", memberId: "bob", status: "frozen" }),
      expect.objectContaining({
        seq: 3,
        kind: "roster",
        sessionId: "session-1",
        startsAt: EARLY + HOUR,
        memberId: "cat",
        status: "booked",
      }),
    ]);
  });
});
