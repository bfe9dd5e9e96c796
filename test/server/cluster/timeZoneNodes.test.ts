/**
 * Issue 18: a time-zone change was not recomputed in the live rooms until they reloaded — the gym room kept the old
 * zone's "today" (its schedule window), a class room wrote its times in the old zone. Now the change, made on node A,
 * restarts the gym's live rooms on node B at once: watchers rejoin and see the new zone's day and times.
 */
import { describe, expect, it } from "vitest";
import { formatWhen } from "../../../domain/format.js";
import { localDate, startOfLocalDay } from "../../../domain/schedule/timeZone.js";
import { twoNodes } from "../../support/cluster.js";
import { requirePostgres, requireRedis } from "../../support/services.js";
import { connectAs, eventually } from "../../support/sockets.js";

const pg = await requirePostgres();
const redis = await requireRedis();

const HOUR = 3_600_000;
const OLD = "Europe/Berlin";
// 13 hours ahead of Berlin: a different "today" and different clock times in words.
const NEW = "Pacific/Kiritimati";
const Hours = { "0": [], "1": [{ opens: "06:00", closes: "21:00" }], "2": [], "3": [], "4": [], "5": [], "6": [] };

type Joined = { ok: true; result: { snapshot: { gym: { timeZone: string }; schedule: Record<string, unknown> } } };

describe.skipIf(!pg.ok || !redis.ok)("a time-zone change on two nodes", () => {
  const nodes = twoNodes(pg, redis, "tzone", 2);

  it("restarts the gym room and class rooms on the other node at once: the new zone's today and times", async () => {
    const { a, b, gym, sockets } = nodes;
    const room = `gym:${gym.gymId}`;
    const now = Date.now();
    const dayStart = (tz: string) => startOfLocalDay(localDate(now, tz), tz);
    // A class at the start of the earlier of the two "todays": on the schedule in one zone's week, not the other's.
    const edge = Math.min(dayStart(OLD), dayStart(NEW)) + 60_000;
    const shownInOld = dayStart(OLD) <= dayStart(NEW);
    const edgeClass = await gym.addSession({ startsAt: edge, endsAt: edge + HOUR });
    // A class a month out: booking isn't open yet, and the class room says when in the gym's zone.
    const far = await gym.addSession({ startsAt: now + 30 * 24 * HOUR, endsAt: now + 30 * 24 * HOUR + HOUR });
    const opensAt = far.startsAt - far.bookingOpensMinutes * 60_000;

    const deskB = await connectAs(b.server, gym.deskId);
    const memberB = await connectAs(b.server, gym.members[0]!.id);
    const ownerA = await connectAs(a.server, gym.ownerId);
    sockets.push(deskB, memberB, ownerA);
    const before = (await deskB.join(room)) as Joined;
    expect(b.server.router.isLocal(room)).toBe(true);
    expect(before.result.snapshot.gym.timeZone).toBe(OLD);
    expect(edgeClass.id in before.result.snapshot.schedule).toBe(shownInOld);
    const classRoom = `class:${far.id}`;
    expect(await memberB.join(classRoom)).toMatchObject({ ok: true });
    expect(await memberB.command(classRoom, "class:book", { sessionId: far.id })).toMatchObject({
      ok: false,
      error: { code: "BOOKING_NOT_OPEN", message: `Booking opens ${formatWhen(opensAt, OLD)}.` },
    });

    const reset = new Promise<unknown>((resolve) => deskB.socket.once("room:reset", resolve));
    expect(
      await ownerA.command(room, "gym:saveSetup", {
        name: "Moved Gym",
        timeZone: NEW,
        currency: "EUR",
        locale: "en-GB",
        openingHours: Hours,
      }),
    ).toMatchObject({ ok: true });
    expect(await reset).toMatchObject({ room, reason: "room_restarted" });
    const after = (await deskB.join(room)) as Joined;
    expect(after.result.snapshot.gym.timeZone).toBe(NEW);
    expect(edgeClass.id in after.result.snapshot.schedule).toBe(!shownInOld);
    await eventually(async () =>
      expect(await memberB.command(classRoom, "class:book", { sessionId: far.id })).toMatchObject({
        ok: false,
        error: { code: "BOOKING_NOT_OPEN", message: `Booking opens ${formatWhen(opensAt, NEW)}.` },
      }),
    );
  });
});
