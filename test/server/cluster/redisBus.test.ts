/**
 * Forwarded requests travel to each node in one message per event-loop turn (real Redis). Regression: a storm of
 * commands forwarded to one owner was one publish (and one decode on every hop) per command.
 */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { RoomId } from "../../../domain/protocol/envelope.js";
import type { RemoteRequest } from "../../../rooms/coordination.js";
import { keys } from "../../../rooms/keys.js";
import { RedisBus } from "../../../server/cluster/redisBus.js";
import { createLogger } from "../../../server/logger.js";
import { connectRedis, type RedisClient } from "../../../server/redis.js";
import { requireRedis } from "../../support/services.js";
import { eventually } from "../../support/sockets.js";

const redis = await requireRedis();
const log = createLogger("silent", "test");

describe.skipIf(!redis.ok)("node-to-node requests over Redis", () => {
  const clients: RedisClient[] = [];
  const buses: RedisBus[] = [];
  afterEach(async () => {
    for (const b of buses.splice(0)) await b.close();
    for (const c of clients.splice(0)) await c.quit();
  });
  const client = async () => {
    const c = await connectRedis(redis.url!, log, "test");
    clients.push(c);
    return c;
  };

  it("sends one turn's requests to a node as one message, answers them in one, and every answer reaches its asker", async () => {
    const [a, b] = [`bus-a-${randomUUID()}`, `bus-b-${randomUUID()}`];
    const onA = new RedisBus(await client(), a, log);
    const onB = new RedisBus(await client(), b, log);
    buses.push(onA, onB);
    const told: RoomId[] = [];
    await onA.serve(a, async () => ({ ok: true, result: null }));
    await onB.serve(b, async (request) => {
      if (request.kind === "tell") told.push(request.room);
      return { ok: true, result: request.room };
    });
    const heard = { requests: 0, replies: 0 };
    const spy = await client();
    const watcher = spy.duplicate();
    clients.push(watcher);
    await watcher.connect();
    await watcher.subscribe(keys.nodeRequests(b), () => void (heard.requests += 1));
    await watcher.subscribe(keys.nodeReplies(a), () => void (heard.replies += 1));

    const rooms = Array.from({ length: 20 }, () => `class:${randomUUID()}` as RoomId);
    const send = (room: RoomId): RemoteRequest => ({ kind: "send", room, message: { kind: "note", note: { type: "warm" } } });
    const tellRoom = `user:${randomUUID()}` as RoomId;
    const answers = Promise.all(rooms.map((room) => onA.request(b, send(room), 5_000)));
    onA.notify(b, { kind: "tell", room: tellRoom, message: { kind: "note", note: { type: "warm" } } });
    expect(await answers).toEqual(rooms.map((room) => ({ ok: true, result: room })));
    expect(told).toEqual([tellRoom]);
    await eventually(() => expect(heard).toEqual({ requests: 1, replies: 1 }));

    // A lone request still travels (bare, as before) and is answered.
    expect(await onA.request(b, send(rooms[0]!), 5_000)).toEqual({ ok: true, result: rooms[0] });
    await eventually(() => expect(heard).toEqual({ requests: 2, replies: 2 }));
  });
});
