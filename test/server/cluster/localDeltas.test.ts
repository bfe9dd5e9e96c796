/**
 * A room's deltas go through Redis only when another node may have a watcher: with every watcher on the owner's
 * node, the owner emits to its own sockets and publishes nothing (the other nodes' adapters decoded every
 * delta of every room for nobody). A watcher that joins through another node gets every delta from its join on.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { twoNodes } from "../../support/cluster.js";
import { connectAs, eventually } from "../../support/sockets.js";
import { connectRedis, type RedisClient } from "../../../server/redis.js";
import { createLogger } from "../../../server/logger.js";
import { PRESENCE_HELLO_MS } from "../../../server/cluster/watchPresence.js";
import { keys } from "../../../rooms/keys.js";
import { requirePostgres, requireRedis } from "../../support/services.js";

const pg = await requirePostgres();
const redis = await requireRedis();

describe.skipIf(!pg.ok || !redis.ok)("room deltas across two nodes sharing Redis", () => {
  const nodes = twoNodes(pg, redis, "localdeltas", 2);
  let sub: RedisClient;
  const published: Buffer[] = [];
  /** Watch announcements of node B, in order. */
  const fromB: { channels: string[] }[] = [];
  beforeAll(async () => {
    sub = await connectRedis(redis.url!, createLogger("silent", "test"), "test");
    await sub.pSubscribe(`${keys.ioAdapter}#*`, (message: Buffer) => void published.push(message), true);
    await sub.subscribe(keys.watchPresence, (raw) => {
      const note = JSON.parse(raw) as { from: string; channels: string[] };
      if (note.from === "localdeltas-b") fromB.push(note);
    });
    // Past the nodes' start-up window, in which every channel counts as watched everywhere.
    await new Promise((r) => setTimeout(r, PRESENCE_HELLO_MS + 200));
  });
  afterAll(async () => {
    await sub?.quit();
  });
  const publishedFor = (room: string) => published.filter((m) => m.includes(Buffer.from(room))).length;

  it("publishes no delta while every watcher is on the owner's node, and every delta once one watches from another node", async () => {
    const { a, b, gym, sockets } = nodes;
    const session = await gym.addSession();
    const room = `class:${session.id}`;
    const owner = await connectAs(a.server, gym.ownerId);
    const desk = await connectAs(a.server, gym.deskId);
    sockets.push(owner, desk);
    expect(await owner.join(room)).toMatchObject({ ok: true });
    expect(a.server.router.isLocal(room)).toBe(true);
    expect(await desk.join(room)).toMatchObject({ ok: true });

    // (Two servers in one test process: a uWS app does not deliver to its own sockets here, so only the publishes are counted.)
    for (const capacity of [21, 22])
      expect(await owner.command(room, "class:setCapacity", { sessionId: session.id, capacity })).toMatchObject({ ok: true });

    const coach = await connectAs(b.server, gym.coachId);
    sockets.push(coach);
    const joined = await coach.join(room);
    expect(joined).toMatchObject({ ok: true, result: { audience: "staff" } });
    const seq = (joined as { result: { seq: number } }).result.seq;
    for (const capacity of [23, 24])
      expect(await owner.command(room, "class:setCapacity", { sessionId: session.id, capacity })).toMatchObject({ ok: true });
    await eventually(() => expect(coach.deltas.filter((d) => d.room === room).map((d) => d.seq)).toContain(seq + 2));
    expect(coach.deltas.filter((d) => d.room === room).map((d) => d.seq)).toContain(seq + 1);
    // Only the two staff deltas after B's join went through Redis (the public audience has no watcher anywhere).
    await eventually(() => expect(publishedFor(room)).toBe(2));
  });

  it("stops publishing a room's deltas once its last watcher on another node left (not a presence TTL later)", async () => {
    const { a, b, gym, sockets } = nodes;
    const session = await gym.addSession();
    const room = `class:${session.id}`;
    const owner = await connectAs(a.server, gym.ownerId);
    sockets.push(owner);
    expect(await owner.join(room)).toMatchObject({ ok: true });
    const coach = await connectAs(b.server, gym.coachId);
    expect(await coach.join(room)).toMatchObject({ ok: true });
    expect(await owner.command(room, "class:setCapacity", { sessionId: session.id, capacity: 21 })).toMatchObject({ ok: true });
    await eventually(() => expect(publishedFor(room)).toBe(1));
    // The coach's socket goes: B announces (soon, on its own) that it no longer watches the room; A hears it too.
    const before = fromB.length;
    coach.close();
    await eventually(() => expect(fromB.slice(before).some((n) => !n.channels.includes(`${room}#staff`))).toBe(true), 5_000);
    await new Promise((r) => setTimeout(r, 200));
    for (const capacity of [22, 23])
      expect(await owner.command(room, "class:setCapacity", { sessionId: session.id, capacity })).toMatchObject({ ok: true });
    // A watcher from B again: its join goes through A, whose next delta is published (after the two above, in order).
    const again = await connectAs(b.server, gym.coachId);
    sockets.push(again);
    expect(await again.join(room)).toMatchObject({ ok: true });
    expect(await owner.command(room, "class:setCapacity", { sessionId: session.id, capacity: 24 })).toMatchObject({ ok: true });
    await eventually(() => expect(again.deltas.some((d) => d.room === room)).toBe(true));
    // Published after B heard that delta, so it reaches this subscriber after every publish of A before it.
    const marker = `${keys.ioAdapter}#marker-${session.id}`;
    const pub = await connectRedis(redis.url!, createLogger("silent", "test"), "test");
    await pub.publish(marker, marker);
    await pub.quit();
    await eventually(() => expect(publishedFor(marker)).toBe(1));
    expect(publishedFor(room)).toBe(2);
  });
});
