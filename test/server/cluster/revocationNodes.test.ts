/**
 * Revocation across two nodes sharing PostgreSQL and Redis: the class room runs on node A, the revoked coach
 * watches from node B. After the room's revocation note, not one more delta of the room reaches the coach's
 * socket on B (raw frames), while a desk on B keeps receiving them; and "sign out everywhere" sent on A closes
 * the user's socket on B.
 */
import { describe, expect, it } from "vitest";
import { signToken } from "../../../server/auth.js";
import { twoNodes } from "../../support/cluster.js";
import { connectError, deltasAfterReset, resetIndex } from "../../support/revocation.js";
import { requirePostgres, requireRedis } from "../../support/services.js";
import { connectAs, eventually } from "../../support/sockets.js";

const pg = await requirePostgres();
const redis = await requireRedis();

describe.skipIf(!pg.ok || !redis.ok)("revocation on two nodes sharing Redis", () => {
  const nodes = twoNodes(pg, redis, "revoke", 2);

  it("regression: a demoted coach on node B kept the staff deltas of a room on node A — none after the revocation reaches them", async () => {
    const { a, b, gym, sockets } = nodes;
    const session = await gym.addSession();
    const room = `class:${session.id}`;
    const owner = await connectAs(a.server, gym.ownerId);
    sockets.push(owner);
    // The owner's join on A makes A the room's owner node.
    expect(await owner.join(room)).toMatchObject({ ok: true });
    expect(a.server.router.isLocal(room)).toBe(true);
    const coach = await connectAs(b.server, gym.coachId);
    const desk = await connectAs(b.server, gym.deskId);
    sockets.push(coach, desk);
    for (const s of [coach, desk]) expect(await s.join(room)).toMatchObject({ ok: true, result: { audience: "staff" } });

    const changes = [21, 22, 23, 24, 25].map((capacity) => owner.command(room, "class:setCapacity", { sessionId: session.id, capacity }));
    expect(await owner.command(`gym:${gym.gymId}`, "gym:setMembership", { memberId: gym.coachId, role: "member" })).toMatchObject({ ok: true });
    await Promise.all(changes);
    await eventually(() => expect(resetIndex(coach, room)).toBeGreaterThanOrEqual(0));

    const before = desk.deltas.length;
    expect(await owner.command(room, "class:setCapacity", { sessionId: session.id, capacity: 30 })).toMatchObject({ ok: true });
    await eventually(() => expect(desk.deltas.length).toBeGreaterThan(before));
    expect(deltasAfterReset(coach, room)).toEqual([]);
    expect(await coach.join(room)).toMatchObject({ ok: true, result: { audience: "public" } });
  });

  it("signs a user out on every node: the socket on B closes when A takes the request", async () => {
    const { a, b, gym, sockets } = nodes;
    const memberId = gym.members[0]!.id;
    const token = await signToken(a.server.jwtSecret!, memberId, 3_600);
    const onA = await connectAs(a.server, memberId);
    const onB = await connectAs(b.server, memberId);
    sockets.push(onA, onB);
    expect(await onA.command(`user:${memberId}`, "user:signOutEverywhere", {})).toMatchObject({ ok: true });
    await eventually(() => expect(onB.socket.connected).toBe(false));
    expect(onB.frames.join("\n")).toContain("signed out on every device");
    expect(await connectError(b.server.url, token)).toMatchObject({ code: "UNAUTHENTICATED" });
  });
});
