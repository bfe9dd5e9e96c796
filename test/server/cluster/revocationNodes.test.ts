/**
 * Revocation across two nodes sharing PostgreSQL and Redis: the class room runs on node A, the revoked coach
 * watches from node B. After the room's revocation note, not one more delta of the room reaches the coach's
 * socket on B (raw frames), while a desk on B keeps receiving them; and "sign out everywhere" sent on A closes
 * the user's socket on B.
 */
import { io, type Socket } from "socket.io-client";
import { describe, expect, it } from "vitest";
import { signToken } from "../../../server/auth.js";
import { aGym } from "../../support/gymFixture.js";
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
    expect(await owner.command(`gym:${gym.gymId}`, "gym:setMembership", { memberId: gym.coachId, role: "member" })).toMatchObject({
      ok: true,
    });
    await Promise.all(changes);
    await eventually(() => expect(resetIndex(coach, room)).toBeGreaterThanOrEqual(0));

    const before = desk.deltas.length;
    expect(await owner.command(room, "class:setCapacity", { sessionId: session.id, capacity: 30 })).toMatchObject({ ok: true });
    await eventually(() => expect(desk.deltas.length).toBeGreaterThan(before));
    expect(deltasAfterReset(coach, room)).toEqual([]);
    expect(await coach.join(room)).toMatchObject({ ok: true, result: { audience: "public" } });
  });

  it("a coach deactivated on node A loses the class room's stream on node B at once, the desk on B keeps it", async () => {
    const { a, b, sockets } = nodes;
    const gym = await aGym(a.server.db.orm, { members: 1 });
    const session = await gym.addSession();
    const room = `class:${session.id}`;
    const owner = await connectAs(a.server, gym.ownerId);
    sockets.push(owner);
    expect(await owner.join(room)).toMatchObject({ ok: true });
    const admin = await connectAs(b.server, gym.deskId);
    const coach = await connectAs(b.server, gym.coachId);
    sockets.push(admin, coach);
    for (const s of [coach, admin]) expect(await s.join(room)).toMatchObject({ ok: true, result: { audience: "staff" } });
    expect(await owner.command(`gym:${gym.gymId}`, "gym:deactivateStaff", { memberId: gym.coachId })).toMatchObject({
      ok: true,
      result: { status: "cancelled" },
    });
    await eventually(() => expect(coach.socket.connected).toBe(false), 2_000);
    const before = admin.deltas.length;
    expect(await owner.command(room, "class:setCapacity", { sessionId: session.id, capacity: 31 })).toMatchObject({ ok: true });
    await eventually(() => expect(admin.deltas.length).toBeGreaterThan(before));
    expect(coach.deltas.filter((d) => d.room === room && d.seq >= admin.deltas[before]!.seq)).toEqual([]);
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

  it("ends one sign-in session on every node: its socket on B closes when A signs the device out, another session stays", async () => {
    const { a, b, gym } = nodes;
    const memberId = gym.members[1]!.id;
    const request = { ip: "127.0.0.1", userAgent: "test" };
    const phone = await a.server.sessions!.completeSignIn({ userId: memberId, method: "email_code", request });
    const laptop = await a.server.sessions!.completeSignIn({ userId: memberId, method: "email_code", request });
    const open = (url: string, token: string) =>
      new Promise<Socket>((resolve, reject) => {
        const s = io(url, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true });
        s.once("connect", () => resolve(s));
        s.once("connect_error", reject);
      });
    const phoneOnB = await open(b.server.url, phone.accessToken);
    const laptopOnB = await open(b.server.url, laptop.accessToken);
    try {
      const out = await fetch(`${a.server.url}/api/auth/sign-out`, {
        method: "POST",
        headers: { "x-spotter": "1", cookie: `spotter_refresh=${phone.refreshToken}` },
      });
      expect(out.status).toBe(200);
      await eventually(() => expect(phoneOnB.connected).toBe(false));
      expect(laptopOnB.connected).toBe(true);
      expect(await connectError(b.server.url, phone.accessToken)).toMatchObject({ code: "UNAUTHENTICATED" });
    } finally {
      phoneOnB.close();
      laptopOnB.close();
    }
  });
});
