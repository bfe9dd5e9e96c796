/**
 * Issue 18 item 2: a freeze made on one node reaches the desk on the other at once — the desk says
 * "Membership frozen until 12 Jan — ask the front desk." — and unfreezing lets the member in again.
 */
import { describe, expect, it } from "vitest";
import { CheckInEntity, ClassSessionEntity } from "../../../server/db/entities/index.js";
import { twoNodes } from "../../support/cluster.js";
import { requirePostgres, requireRedis } from "../../support/services.js";
import { connectAs, eventually } from "../../support/sockets.js";

const pg = await requirePostgres();
const redis = await requireRedis();

describe.skipIf(!pg.ok || !redis.ok)("freezes on two nodes", () => {
  const nodes = twoNodes(pg, redis, "freeze", 3);

  it("makes the desk on the other node say 'Membership frozen until 12 Jan' at once, and unfreezing lets the member in", async () => {
    const { a, b, gym, sockets } = nodes;
    const room = `gym:${gym.gymId}`;
    const member = gym.members[0]!.id;
    const deskB = await connectAs(b.server, gym.deskId);
    const ownerA = await connectAs(a.server, gym.ownerId);
    sockets.push(deskB, ownerA);
    // The gym room (and the member's resident standing) lives on node B; the freeze is made on node A.
    expect(await deskB.join(room)).toMatchObject({ ok: true });
    expect(b.server.router.isLocal(room)).toBe(true);
    expect(await deskB.command(room, "gym:checkIn", { memberId: member, openGym: true })).toMatchObject({
      ok: true,
      result: { status: "checked_in" },
    });

    const until = `${new Date().getUTCFullYear() + 1}-01-12`;
    expect(await ownerA.command(room, "gym:freezeMember", { memberId: member, until, reason: "Knee surgery" })).toMatchObject({
      ok: true,
      result: { status: "frozen", frozenUntil: until },
    });
    await eventually(async () =>
      expect(await deskB.command(room, "gym:checkIn", { memberId: member, openGym: true })).toMatchObject({
        ok: true,
        result: {
          status: "denied",
          reason: "MEMBERSHIP_FROZEN",
          message: "Membership frozen until 12 Jan — ask the front desk.",
          frozenUntil: until,
        },
      }),
    );
    expect(await a.server.db.orm.em.fork().count(CheckInEntity, { memberId: member, reason: "MEMBERSHIP_FROZEN" })).toBeGreaterThan(0);

    expect(await ownerA.command(room, "gym:unfreezeMember", { memberId: member })).toMatchObject({
      ok: true,
      result: { status: "active" },
    });
    // Past the 10-minute double-scan window is not needed: an unfrozen member checks in (or is told they already did).
    await eventually(async () =>
      expect(await deskB.command(room, "gym:checkIn", { memberId: member, openGym: true })).toMatchObject({
        ok: true,
        result: { status: expect.stringMatching(/checked_in/) },
      }),
    );
  }, 60_000);

  it("hands a settings change made on one node to the gym room on the other at once: the next class scheduled copies it", async () => {
    const { a, b, gym, sockets } = nodes;
    const room = `gym:${gym.gymId}`;
    const ownerB = await connectAs(b.server, gym.ownerId);
    const ownerA = await connectAs(a.server, gym.ownerId);
    sockets.push(ownerA, ownerB);
    expect(await ownerB.join(room)).toMatchObject({ ok: true });
    expect(b.server.router.isLocal(room)).toBe(true);
    expect(
      await ownerA.command(room, "gym:setPolicy", { waitlistLimit: 3, lateCancelFeeCents: 700, bookingOpensMinutes: 2 * 24 * 60 }),
    ).toMatchObject({
      ok: true,
      result: { changed: ["lateCancelFeeCents", "bookingOpensMinutes", "waitlistLimit"] },
    });
    expect(await ownerA.command(room, "gym:setPolicy", { bookingClosesMinutes: 5000 })).toMatchObject({
      ok: false,
      error: { fields: { bookingClosesMinutes: expect.any(String) } },
    });
    const created = await ownerA.command(room, "schedule:createSession", {
      classTypeId: gym.session.classTypeId,
      locationId: gym.session.locationId,
      capacity: 8,
      durationMinutes: 45,
      startsAt: Date.now() + 3 * 86_400_000,
    });
    expect(created).toMatchObject({ ok: true });
    const [sessionId] = (created as { result: { sessionIds: string[] } }).result.sessionIds;
    const session = await a.server.db.orm.em.fork().findOneOrFail(ClassSessionEntity, { id: sessionId! });
    expect(session).toMatchObject({ waitlistLimit: 3, bookingOpensMinutes: 2 * 24 * 60 });
    // Classes scheduled before keep what they copied.
    expect(await a.server.db.orm.em.fork().findOneOrFail(ClassSessionEntity, { id: gym.sessionId })).toMatchObject({
      waitlistLimit: gym.session.waitlistLimit,
    });
  }, 60_000);
});
