/**
 * Issue 18 "Walk-ins": a member who isn't booked in a class now is refused with the class the desk would check them
 * into (open for check-in now), so staff can book and check them in in one step; nothing is offered to nobody.
 */
import { describe, expect, it } from "vitest";
import type { ScheduleEntry } from "../../domain/views/gymView.js";
import { EARLY, MINUTE } from "../support/domainBuilders.js";
import { deskCommand, gymRoomHarness } from "../support/gymRoomHarness.js";

const entry = (id: string, startsAt: number, spotsLeft: number) =>
  ({
    id,
    className: "Yoga",
    status: "scheduled",
    startsAt,
    checkInOpensAt: startsAt - 30 * MINUTE,
    checkInClosesAt: startsAt + 30 * MINUTE,
    spotsLeft,
  }) as ScheduleEntry;

async function withClass(h: ReturnType<typeof gymRoomHarness>, e: ScheduleEntry) {
  await h.room.send({ kind: "note", note: { type: "schedule", entry: e } });
}

describe("the desk's walk-in offer", () => {
  it("refuses an unbooked member with the class open for check-in now, full or not", async () => {
    const h = gymRoomHarness();
    await withClass(h, entry("yoga-now", EARLY + 10 * MINUTE, 0));
    await withClass(h, entry("yoga-tonight", EARLY + 300 * MINUTE, 5));
    expect(await h.room.send(deskCommand("c1", { memberId: "ann", source: "desk" }))).toMatchObject({
      ok: true,
      result: {
        status: "denied",
        reason: "NO_BOOKING",
        walkIn: { sessionId: "yoga-now", className: "Yoga", startsAt: EARLY + 10 * MINUTE, full: true },
      },
    });
  });

  it("offers nothing when no class is open for check-in, or when nobody was found", async () => {
    const h = gymRoomHarness();
    await withClass(h, entry("yoga-tonight", EARLY + 300 * MINUTE, 5));
    const later = await h.room.send(deskCommand("c1", { memberId: "ann", source: "desk" }));
    expect(later).toMatchObject({ ok: true, result: { reason: "NO_BOOKING" } });
    expect((later as { result: object }).result).not.toHaveProperty("walkIn");
    await withClass(h, entry("yoga-now", EARLY, 5));
    const nobody = await h.room.send(deskCommand("c2", { memberId: "nobody", source: "desk" }));
    expect(nobody).toMatchObject({ ok: true, result: { reason: "UNKNOWN_MEMBER" } });
    expect((nobody as { result: object }).result).not.toHaveProperty("walkIn");
  });
});
