/** One contract for room leases, run against the in-memory directory and the Redis one. */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RoomId } from "../../../domain/protocol/envelope.js";
import { LocalDirectory, type RoomDirectory } from "../../../rooms/coordination.js";
import { keys } from "../../../rooms/keys.js";
import { RedisDirectory } from "../../../server/cluster/redisDirectory.js";
import { createLogger } from "../../../server/logger.js";
import { connectRedis, type RedisClient } from "../../../server/redis.js";
import { requireRedis } from "../../support/services.js";

const redis = await requireRedis();
let client: RedisClient | undefined;
afterAll(async () => {
  await client?.quit();
});

const room = () => `class:${randomUUID()}` as RoomId;

const implementations: { name: string; make: () => Promise<RoomDirectory> }[] = [
  { name: "in memory", make: async () => new LocalDirectory() },
  ...(redis.ok
    ? [
        {
          name: "Redis",
          make: async () => {
            client ??= await connectRedis(redis.url, createLogger("silent", "test"), "test");
            return new RedisDirectory(client, 300);
          },
        },
      ]
    : []),
];

describe.each(implementations)("room leases ($name)", ({ make }) => {
  it("gives a free room to the first claimant and tells later claimants who owns it", async () => {
    const d = await make();
    const r = room();
    expect((await d.claim(r, "a")).owner).toBe("a");
    expect((await d.claim(r, "b")).owner).toBe("a");
    expect(await d.owner(r)).toBe("a");
  });

  it("answers the owners of several rooms in one call, in order", async () => {
    const d = await make();
    const [r1, r2, r3] = [room(), room(), room()];
    await d.claim(r1, "a");
    await d.claim(r3, "b");
    expect(await d.ownersOf([r1, r2, r3])).toEqual(["a", null, "b"]);
    expect(await d.ownersOf([])).toEqual([]);
  });

  it("renews only the owner's leases and reports the others as lost", async () => {
    const d = await make();
    const mine = room();
    const theirs = room();
    await d.claim(mine, "a");
    await d.claim(theirs, "b");
    expect(await d.renew([mine, theirs], "a")).toEqual([theirs]);
  });

  it("takes back on renewal a lease that ran out while nobody else claimed it", async () => {
    const d = await make();
    const r = room();
    await d.claim(r, "a");
    await d.release(r, "a"); // the same state as an expired key: nobody holds it
    expect(await d.renew([r], "a")).toEqual([]);
    expect(await d.owner(r)).toBe("a");
    expect((await d.claim(r, "b")).owner).toBe("a");
  });

  it("lets only the owner release, after which anyone may claim", async () => {
    const d = await make();
    const r = room();
    await d.claim(r, "a");
    await d.release(r, "b");
    expect(await d.owner(r)).toBe("a");
    await d.release(r, "a");
    expect(await d.owner(r)).toBeNull();
    expect((await d.claim(r, "b")).owner).toBe("b");
  });

  it("says a claim was handed over only when another node released the room lately", async () => {
    const d = await make();
    const r = room();
    expect(await d.claim(r, "a")).toEqual({ owner: "a", handedOver: false });
    expect(await d.claim(r, "b")).toEqual({ owner: "a", handedOver: false });
    await d.release(r, "a");
    // A read of the room started before this claim may predate a's last commits.
    expect(await d.claim(r, "b")).toEqual({ owner: "b", handedOver: true });
    await d.release(r, "b");
    // Its own release: everything it committed landed before it let go.
    expect(await d.claim(r, "b")).toEqual({ owner: "b", handedOver: false });
  });
});

describe.skipIf(!redis.ok)("Redis leases", () => {
  beforeAll(async () => {
    client ??= await connectRedis(redis.url!, createLogger("silent", "test"), "test");
  });

  it("lets another node take a room whose lease was not renewed in time", async () => {
    const d = new RedisDirectory(client!, 300);
    const r = room();
    await d.claim(r, "a");
    await new Promise((res) => setTimeout(res, d.leaseMs + 100));
    expect((await d.claim(r, "b")).owner).toBe("b");
    expect(await d.renew([r], "a")).toEqual([r]);
  });

  it("keeps a busy owner's room when its renewal runs late but nobody took the room", async () => {
    const d = new RedisDirectory(client!, 200);
    const r = room();
    await d.claim(r, "a");
    await new Promise((res) => setTimeout(res, d.leaseMs + 100));
    expect(await d.owner(r)).toBeNull();
    expect(await d.renew([r], "a")).toEqual([]);
    expect(await d.owner(r)).toBe("a");
    const ttl = await client!.pTTL(keys.lease(r));
    expect(ttl).toBeGreaterThan(0);
  });
});
