/**
 * The Redis adapter hears its own broadcasts back from Redis; a node with sockets in the room decoded every one of
 * them (msgpack of the whole packet) only to drop it by its uid. With the echo-free adapter a node decodes only the
 * other nodes' broadcasts, and still delivers those.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Server } from "socket.io";
import { createEchoFreeAdapter, echoPrefix, isEcho } from "../../../server/cluster/echoFreeAdapter.js";
import { connectRedis, type RedisClient } from "../../../server/redis.js";
import { createLogger } from "../../../server/logger.js";
import { eventually } from "../../support/sockets.js";
import { requireRedis } from "../../support/services.js";

const redis = await requireRedis();

type Counted = { parser: { decode(msg: unknown): unknown; encode(msg: unknown): unknown }; addAll(id: string, rooms: Set<string>): void };

describe.skipIf(!redis.ok)("echo-free Redis adapter", () => {
  const key = `test-echo-${randomUUID().slice(0, 8)}`;
  const clients: RedisClient[] = [];
  const servers: Server[] = [];
  const decoded = { a: 0, b: 0 };
  const heard = { a: [] as unknown[], b: [] as unknown[] };
  let a: Server;
  let b: Server;

  const node = async (name: "a" | "b") => {
    const pub = await connectRedis(redis.url!, createLogger("silent", "test"), "test");
    const sub = pub.duplicate();
    sub.on("error", () => undefined);
    await sub.connect();
    clients.push(pub, sub);
    const io = new Server();
    io.adapter(createEchoFreeAdapter(pub, sub, { key }) as never);
    servers.push(io);
    const adapter = io.of("/").adapter as unknown as Counted;
    // Count this node's decodes, and what reaches its room (a socket id with no socket: the broadcast is applied to nobody).
    const decode = adapter.parser.decode;
    adapter.parser = {
      encode: adapter.parser.encode,
      decode: (msg) => {
        decoded[name]++;
        const out = decode(msg) as [string, { data: unknown }, unknown];
        heard[name].push(out[1].data);
        return out;
      },
    };
    adapter.addAll(`socket-${name}`, new Set(["class:1:staff"]));
    return io;
  };

  beforeAll(async () => {
    a = await node("a");
    b = await node("b");
    // Both adapters are subscribed once a broadcast from each reaches the other.
    await eventually(async () => {
      a.to("class:1:staff").emit("ping", "a");
      b.to("class:1:staff").emit("ping", "b");
      await new Promise((r) => setTimeout(r, 50));
      expect(heard.a.length * heard.b.length).toBeGreaterThan(0);
    });
  });
  afterAll(async () => {
    // No engine is attached (nothing listens): close the adapters, then their clients.
    for (const io of servers) await io.of("/").adapter.close();
    await Promise.allSettled(clients.map((c) => c.quit()));
  });

  it("decodes the other node's broadcasts to a room it has sockets in, never its own", async () => {
    decoded.a = decoded.b = 0;
    heard.a.length = heard.b.length = 0;
    for (let i = 0; i < 5; i++) a.to("class:1:staff").emit("room:delta", { seq: i });
    b.to("class:1:staff").emit("room:delta", { seq: 100 });
    await eventually(() => expect(heard.b).toHaveLength(5));
    await eventually(() => expect(heard.a).toHaveLength(1));
    // A marker broadcast from each side, after the counted ones (Redis keeps one publisher's order on a connection).
    a.to("class:1:staff").emit("room:delta", { seq: "end-a" });
    b.to("class:1:staff").emit("room:delta", { seq: "end-b" });
    await eventually(() => expect(heard.a.at(-1)).toEqual(["room:delta", { seq: "end-b" }]));
    await eventually(() => expect(heard.b.at(-1)).toEqual(["room:delta", { seq: "end-a" }]));
    expect(heard.b.slice(0, 5)).toEqual([0, 1, 2, 3, 4].map((seq) => ["room:delta", { seq }]));
    expect(heard.a[0]).toEqual(["room:delta", { seq: 100 }]);
    // Each node decoded exactly what the other sent: 6 and 2, none of its own 6 and 2 echoes.
    expect(decoded).toEqual({ a: 2, b: 6 });
  });

  it("recognises an echo by its first bytes only", () => {
    const echo = echoPrefix("AbC-_9")!;
    expect(isEcho(Buffer.concat([echo, Buffer.from([0x83])]), echo)).toBe(true);
    expect(isEcho(Buffer.concat([echoPrefix("AbC-_8")!, Buffer.from([0x83])]), echo)).toBe(false);
    expect(isEcho(echo, echo)).toBe(false);
    expect(isEcho("not a buffer", echo)).toBe(false);
    expect(echoPrefix("seven77")).toBeNull();
  });
});
