/**
 * Issue 18 (reviewer): a class room kept the fees it loaded with, so after the owner changed them an open class charged
 * the old late-cancel fee and a closed-and-reloaded one the new. A fee change now reaches every open class room of the
 * gym on every node: the next late cancel charges the new fee wherever the class runs.
 */
import { describe, expect, it } from "vitest";
import { FeeEntity } from "../../../server/db/entities/index.js";
import { twoNodes } from "../../support/cluster.js";
import { requirePostgres, requireRedis } from "../../support/services.js";
import { connectAs, eventually, watchRoom } from "../../support/sockets.js";

const pg = await requirePostgres();
const redis = await requireRedis();

describe.skipIf(!pg.ok || !redis.ok)("fee changes on two nodes", () => {
  const nodes = twoNodes(pg, redis, "fees", 3);

  it("charges the new late-cancel fee in a class open on the other node, and the fee decided before the change keeps its amount", async () => {
    const { a, b, gym, sockets } = nodes;
    const [m1, m2] = gym.members;
    const other = await gym.addSession({ startsAt: Date.now() + 48 * 3_600_000, endsAt: Date.now() + 49 * 3_600_000, capacity: 5 });
    const room = `class:${other.id}`;
    const coachB = await connectAs(b.server, gym.coachId);
    const ownerA = await connectAs(a.server, gym.ownerId);
    sockets.push(coachB, ownerA);
    // The class room loads on node B with the gym's fee; the owner changes it on node A.
    const view = await watchRoom<unknown>(coachB, room);
    expect(b.server.router.isLocal(room)).toBe(true);
    for (const m of [m1!, m2!])
      expect(await coachB.command(room, "class:book", { sessionId: other.id, memberId: m.id })).toMatchObject({ ok: true });
    expect(await coachB.command(room, "class:cancelBooking", { sessionId: other.id, memberId: m1!.id, withFee: true })).toMatchObject({
      ok: true,
    });

    expect(await ownerA.command(`gym:${gym.gymId}`, "gym:setPolicy", { lateCancelFeeCents: 1234 })).toMatchObject({
      ok: true,
      result: { changed: ["lateCancelFeeCents"] },
    });
    // The staff view of the open class shows the new fee as soon as the note arrives; the next cancel charges it.
    await eventually(() => expect(JSON.stringify(view())).toContain('"lateCancelFeeCents":1234'));
    expect(await coachB.command(room, "class:cancelBooking", { sessionId: other.id, memberId: m2!.id, withFee: true })).toMatchObject({
      ok: true,
    });
    const charged = await a.server.db.orm.em.fork().find(FeeEntity, { sessionId: other.id }, { orderBy: { createdAt: "asc" } });
    expect(charged.map((f) => [f.memberId, f.kind, f.amountCents])).toEqual([
      [m1!.id, "late_cancel", 500],
      [m2!.id, "late_cancel", 1234],
    ]);
    expect(b.server.router.isLocal(room)).toBe(true);
  }, 60_000);
});
