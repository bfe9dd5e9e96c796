/**
 * `room:join` tells the client which node runs the room (issue 15: "clients can be told which node owns a room"),
 * end to end over Socket.IO on two real nodes sharing PostgreSQL and Redis: the owner's opaque hint (equal on
 * every node, naming no node id) and, when the owner has `NODE_PUBLIC_URL`, its URL — also when the join lands
 * on the other node and is forwarded.
 */
import { describe, expect, it } from "vitest";
import type { Ack, JoinResult, RoomId } from "../../../domain/protocol/envelope.js";
import { twoNodes } from "../../support/cluster.js";
import { requirePostgres, requireRedis } from "../../support/services.js";
import { connectAs } from "../../support/sockets.js";

const pg = await requirePostgres();
const redis = await requireRedis();

const URL_A = "https://node-a.gym.example";
const ownerOf = (ack: Ack<JoinResult>) => {
  if (!ack.ok) throw new Error(`join refused: ${JSON.stringify(ack.error)}`);
  return ack.result.owner;
};

describe.skipIf(!pg.ok || !redis.ok)("room:join owner hints on two nodes", () => {
  const nodes = twoNodes(pg, redis, "ownerhint", 1, { a: { NODE_PUBLIC_URL: URL_A } });

  it("names the owner the same way on both nodes, with its public URL when it has one", async () => {
    const { a, b, gym, sockets } = nodes;
    const onA = await connectAs(a.server, gym.coachId);
    const onB = await connectAs(b.server, gym.coachId);
    sockets.push(onA, onB);
    const ofA = `class:${gym.sessionId}` as RoomId;
    const ofB = `class:${(await gym.addSession()).id}` as RoomId;
    // Each node claims the room it is asked for first.
    const aOwn = ownerOf(await onA.join(ofA));
    const bOwn = ownerOf(await onB.join(ofB));
    expect(a.server.router.isLocal(ofA) && b.server.router.isLocal(ofB)).toBe(true);
    expect(aOwn).toEqual({ hint: expect.any(String), url: URL_A });
    expect(bOwn).toEqual({ hint: expect.any(String) });
    expect(bOwn!.hint).not.toBe(aOwn!.hint);
    for (const o of [aOwn!, bOwn!]) expect(o.hint).not.toMatch(/ownerhint/);
    // Joins that land on the other node are forwarded and answered with the owner's hint, not the forwarder's.
    expect(ownerOf(await onB.join(ofA))).toEqual(aOwn);
    expect(ownerOf(await onA.join(ofB))).toEqual(bOwn);
    expect(a.server.router.isLocal(ofB) || b.server.router.isLocal(ofA)).toBe(false);
  }, 60_000);
});
