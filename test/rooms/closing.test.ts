/** Classes nobody watches still close: booked-but-absent members become no-shows with the policy fee. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BookingEntity, FeeEntity } from "../../server/db/entities/index.js";
import { dueSessions } from "../../server/persistence/dueSessions.js";
import { aGym, type GymFixture } from "../support/gymFixture.js";
import { startTestServer, type TestServer } from "../support/services.js";
import { connectAs } from "../support/sockets.js";

describe("closing a class after it ended", () => {
  let t: TestServer;
  let gym: GymFixture;

  beforeAll(async () => {
    t = await startTestServer({ COMMANDS_PER_SECOND: "1000" });
    gym = await aGym(t.server.db.orm, { members: 3, startsInMinutes: 20 });
  }, 60_000);
  afterAll(() => t?.cleanup());

  it("lists a class as due only once it ended, and a tick before the end changes nothing", async () => {
    const [present, absent] = gym.members;
    const room = `class:${gym.sessionId}`;
    for (const m of [present!, absent!]) {
      const s = await connectAs(t.server, m.id);
      expect((await s.command(room, "class:book", { sessionId: gym.sessionId })).ok).toBe(true);
      s.close();
    }
    const desk = await connectAs(t.server, gym.deskId);
    expect(await desk.command(`gym:${gym.gymId}`, "gym:checkIn", { memberId: present!.id })).toMatchObject({
      ok: true,
      result: { status: "checked_in" },
    });
    desk.close();

    const later = gym.session.endsAt + 16 * 60_000;
    expect(await dueSessions(t.server.db.orm, gym.session.startsAt)).not.toContain(gym.sessionId);
    expect(await dueSessions(t.server.db.orm, later)).toContain(gym.sessionId);

    // The room's clock has not reached the end yet: a tick changes nothing.
    expect(await t.server.registry.send(room, { kind: "note", note: { type: "tick" } })).toMatchObject({ ok: true });
    const em = () => t.server.db.orm.em.fork();
    expect(await em().count(BookingEntity, { sessionId: gym.sessionId, status: "no_show" })).toBe(0);
  });

  it("closes through the room timer once the server's clock passes the end", async () => {
    let clock = Date.now();
    const t2 = await startTestServer({ COMMANDS_PER_SECOND: "1000" }, { now: () => clock });
    try {
      const g = await aGym(t2.server.db.orm, { members: 2, startsInMinutes: 60 });
      const s = await connectAs(t2.server, g.members[0]!.id);
      expect((await s.command(`class:${g.sessionId}`, "class:book", { sessionId: g.sessionId })).ok).toBe(true);
      s.close();
      clock = g.session.endsAt + 16 * 60_000;
      expect(await t2.server.registry.send(`class:${g.sessionId}`, { kind: "note", note: { type: "tick" } })).toMatchObject({ ok: true });
      const em = t2.server.db.orm.em.fork();
      expect((await em.findOneOrFail(BookingEntity, { sessionId: g.sessionId })).status).toBe("no_show");
      expect((await em.find(FeeEntity, { sessionId: g.sessionId })).map((f) => [f.kind, f.amountCents])).toEqual([["no_show", 1000]]);
    } finally {
      await t2.cleanup();
    }
  });
});
