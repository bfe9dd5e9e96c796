/**
 * Check-ins an offline desk sends on reconnect (issue 21): the gym room decides each one again as of the desk's
 * clock clamped to [last sync, receipt] — with the membership's status at that time — records it as `offline_desk`
 * with both clocks, says where it disagrees with what the desk showed, and applies a resent command id once.
 */
import { describe, expect, it } from "vitest";
import type { RoomMessage } from "../../rooms/ports.js";
import { EARLY, MINUTE } from "../support/domainBuilders.js";
import { deskCommand, gymRoomHarness, SESSION_START } from "../support/gymRoomHarness.js";

const LAST_SYNC = EARLY - 90 * MINUTE;

const late = (
  commandId: string,
  memberId: string,
  deviceAt: number,
  admitted = true,
  openGym = true,
): Extract<RoomMessage, { kind: "command" }> =>
  deskCommand(commandId, {
    memberId,
    openGym,
    offline: { deviceAt, lastSyncAt: LAST_SYNC, admitted, reason: admitted ? null : "MEMBERSHIP_FROZEN" },
  });

describe("check-ins an offline desk sends late", () => {
  it("records one as offline_desk at the desk's clock, with the receipt time beside it", async () => {
    const h = gymRoomHarness();
    const at = EARLY - 45 * MINUTE;
    expect(await h.room.send(late("c1", "ann", at))).toMatchObject({
      ok: true,
      result: { status: "checked_in", provisional: true, needsAttention: false },
    });
    expect(h.stored).toContainEqual({
      type: "checkin",
      checkIn: expect.objectContaining({
        memberId: "ann",
        source: "offline_desk",
        result: "accepted",
        at,
        deviceAt: at,
        receivedAt: EARLY,
      }),
    });
    expect(h.stored).toContainEqual({ type: "attendance", attendance: expect.objectContaining({ memberId: "ann", at }) });
  });

  it("clamps a desk clock that ran before its last sync or after the receipt", async () => {
    const h = gymRoomHarness();
    await h.room.send(late("c1", "ann", LAST_SYNC - 86_400_000));
    await h.room.send(late("c2", "bob", EARLY + 86_400_000));
    const at = (m: string) => h.stored.flatMap((c) => (c.type === "checkin" && c.checkIn.memberId === m ? [c.checkIn.at] : []));
    expect(at("ann")).toEqual([LAST_SYNC]);
    expect(at("bob")).toEqual([EARLY]);
  });

  it("says a member frozen while the desk was offline, before its check-in, needs attention", async () => {
    const h = gymRoomHarness();
    h.setStatus("ann", "frozen", EARLY - 30 * MINUTE);
    expect(await h.room.send(late("c1", "ann", EARLY - 10 * MINUTE))).toMatchObject({
      ok: true,
      result: { status: "denied", reason: "MEMBERSHIP_FROZEN", provisional: true, needsAttention: true },
    });
  });

  it("regression: a member frozen after the desk let them in was rightly let in (the status as of the desk's time, not today's)", async () => {
    const h = gymRoomHarness();
    h.setStatus("ann", "frozen", EARLY - 5 * MINUTE);
    expect(await h.room.send(late("c1", "ann", EARLY - 10 * MINUTE))).toMatchObject({
      ok: true,
      result: { status: "checked_in", needsAttention: false },
    });
    expect(h.stored).toContainEqual({
      type: "attendance",
      attendance: expect.objectContaining({ memberId: "ann", at: EARLY - 10 * MINUTE }),
    });
  });

  it("regression: a member unfrozen after a ✘ at the desk was rightly refused then", async () => {
    const h = gymRoomHarness();
    h.status.set("ann", "frozen");
    h.setStatus("ann", "active", EARLY - 5 * MINUTE);
    expect(await h.room.send(late("c1", "ann", EARLY - 10 * MINUTE, false))).toMatchObject({
      ok: true,
      result: { status: "denied", reason: "MEMBERSHIP_FROZEN", needsAttention: false },
    });
  });

  it("applies a resent command id once", async () => {
    const h = gymRoomHarness();
    const first = await h.room.send(late("c1", "ann", EARLY - 10 * MINUTE));
    const again = await h.room.send(late("c1", "ann", EARLY - 10 * MINUTE));
    expect(again).toEqual(first);
    expect(h.stored.filter((c) => c.type === "checkin")).toHaveLength(1);
  });

  it("sends a class check-in to the class room as of the desk's time, with the status then, under an id derived from the desk's", async () => {
    const h = gymRoomHarness();
    const at = SESSION_START - 5 * MINUTE; // the class was open then; it closed before the receipt
    expect(await h.room.send(late("c9", "booked", at, true, false))).toMatchObject({
      ok: true,
      result: { status: "checked_in", className: "WOD", needsAttention: false },
    });
    expect(h.asked).toEqual([
      expect.objectContaining({
        commandId: "desk-c9",
        type: "class:checkIn",
        payload: { sessionId: "session-1", memberId: "booked", source: "offline_desk" },
        offline: { asOf: at, deviceAt: at, receivedAt: EARLY, status: "active" },
      }),
    ]);
  });

  it("finds the class of a member frozen since the desk's time, and tells the class room they were active then", async () => {
    const h = gymRoomHarness();
    const at = SESSION_START - 5 * MINUTE;
    h.setStatus("booked", "frozen", at + MINUTE);
    expect(await h.room.send(late("c9", "booked", at, true, false))).toMatchObject({
      ok: true,
      result: { status: "checked_in", className: "WOD" },
    });
    expect(h.asked).toEqual([expect.objectContaining({ offline: expect.objectContaining({ asOf: at, status: "active" }) })]);
  });
});
