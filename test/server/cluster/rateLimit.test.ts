/** One contract for the per-user rate limit store, run against the in-memory store and the Redis one. */
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { RedisBudgetLeases, RedisRateLimits } from "../../../server/cluster/redisRateLimits.js";
import { LeasedRateLimits } from "../../../server/cluster/leasedRateLimits.js";
import { createLogger } from "../../../server/logger.js";
import { FallbackRateLimits, LocalRateLimits, type RateLimit, type RateLimitStore } from "../../../server/cluster/rateLimit.js";
import { connectRedis, type RedisClient } from "../../../server/redis.js";
import { requireRedis, startTestServer } from "../../support/services.js";
import { connectAs } from "../../support/sockets.js";

const redis = await requireRedis();
const clients: RedisClient[] = [];
afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.quit()));
});
const redisClient = async () => {
  const c = await connectRedis(redis.url!, createLogger("silent", "test"), "test");
  clients.push(c);
  return c;
};

/** One node's view of the leased per-user budget: its own Redis connection and its own leases. */
const leasedNode = async (limit: RateLimit) => new LeasedRateLimits(new RedisBudgetLeases(await redisClient(), "user", limit), limit);

/** Two handles on one store, as two nodes would hold. */
type Make = (limit: RateLimit) => Promise<[RateLimitStore, RateLimitStore]>;
const implementations: { name: string; make: Make }[] = [
  {
    name: "in memory",
    make: async (limit) => {
      const store = new LocalRateLimits(limit);
      return [store, store];
    },
  },
  ...(redis.ok
    ? [
        {
          name: "Redis",
          make: (async (limit) => [
            new RedisRateLimits(await redisClient(), "user", limit),
            new RedisRateLimits(await redisClient(), "user", limit),
          ]) as Make,
        },
        { name: "Redis, leased by each node", make: (async (limit) => [await leasedNode(limit), await leasedNode(limit)]) as Make },
      ]
    : []),
];

const t0 = 1_800_000_000_000;
const takeMany = async (store: RateLimitStore, key: string, n: number, now: number) => {
  const waits: number[] = [];
  for (let i = 0; i < n; i++) waits.push(await store.take(key, now));
  return waits;
};

describe.each(implementations)("per-user rate limits ($name)", ({ make }) => {
  it("allows a burst, then refuses saying how long to wait", async () => {
    const [store] = await make({ rate: 2, burst: 3 });
    const key = randomUUID();
    expect(await takeMany(store, key, 3, t0)).toEqual([0, 0, 0]);
    expect(await store.take(key, t0)).toBe(500);
  });

  it("refills at the rate over time, never beyond the burst", async () => {
    const [store] = await make({ rate: 2, burst: 3 });
    const key = randomUUID();
    await takeMany(store, key, 3, t0);
    expect(await store.take(key, t0 + 500)).toBe(0);
    expect(await store.take(key, t0 + 500)).toBeGreaterThan(0);
    expect(await takeMany(store, key, 4, t0 + 60_000)).toEqual([0, 0, 0, 500]);
  });

  it("keeps each key's budget apart", async () => {
    const [store] = await make({ rate: 1, burst: 1 });
    const a = randomUUID();
    const b = randomUUID();
    expect(await store.take(a, t0)).toBe(0);
    expect(await store.take(a, t0)).toBe(1_000);
    expect(await store.take(b, t0)).toBe(0);
  });

  it("spends one budget from every handle on the store (every node)", async () => {
    const [nodeA, nodeB] = await make({ rate: 1, burst: 4 });
    const key = randomUUID();
    expect(await takeMany(nodeA, key, 2, t0)).toEqual([0, 0]);
    expect(await takeMany(nodeB, key, 2, t0)).toEqual([0, 0]);
    expect(await nodeA.take(key, t0)).toBe(1_000);
    expect(await nodeB.take(key, t0)).toBe(1_000);
  });

  it("never grants more than the burst to concurrent takers", async () => {
    const [nodeA, nodeB] = await make({ rate: 1, burst: 5 });
    const key = randomUUID();
    const waits = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? nodeA : nodeB).take(key, t0)));
    expect(waits.filter((w) => w === 0)).toHaveLength(5);
  });

  it("answers each of many concurrent takers of many keys from its own key's budget", async () => {
    const [store] = await make({ rate: 1, burst: 3 });
    const keys = [randomUUID(), randomUUID(), randomUUID()];
    const calls = Array.from({ length: 30 }, (_, i) => ({ key: keys[i % 3]!, wait: store.take(keys[i % 3]!, t0) }));
    const answered = await Promise.all(calls.map(async (c) => ({ key: c.key, wait: await c.wait })));
    for (const key of keys) {
      const mine = answered.filter((a) => a.key === key).map((a) => a.wait);
      expect(mine.filter((w) => w === 0)).toHaveLength(3);
      expect(mine.filter((w) => w > 0).every((w) => w >= 1_000)).toBe(true);
    }
  });
});

describe.skipIf(!redis.ok)("the leased per-user budget across nodes", () => {
  it("grants a member at most one take per node beyond the shared budget, then refuses everywhere", async () => {
    const limit = { rate: 1, burst: 4 };
    const nodes = [await leasedNode(limit), await leasedNode(limit), await leasedNode(limit)];
    const key = randomUUID();
    // All of the budget on node A, then each node hammers the key at once.
    expect(await takeMany(nodes[0]!, key, 5, t0)).toEqual([0, 0, 0, 0, 1_000]);
    const waits = await Promise.all(Array.from({ length: 30 }, (_, i) => nodes[i % 3]!.take(key, t0)));
    // Nodes B and C never saw the key: one take each on trust, then the shared bucket refuses them.
    expect(waits.filter((w) => w === 0)).toHaveLength(2);
    expect(waits.filter((w) => w > 0).every((w) => w >= 1_000)).toBe(true);
  });

  it("charges takes granted on trust, so the member waits them off before the next grant", async () => {
    const limit = { rate: 1, burst: 2 };
    const [a, b] = [await leasedNode(limit), await leasedNode(limit)];
    const key = randomUUID();
    expect(await takeMany(a, key, 2, t0)).toEqual([0, 0]);
    expect(await b.take(key, t0)).toBe(0); // on trust: the shared bucket is now at -1
    expect(await b.take(key, t0)).toBe(2_000);
    // One token a second: 1 s only repays the debt; the next grant comes at 2 s.
    expect(await a.take(key, t0 + 1_000)).toBeGreaterThan(0);
    expect(await a.take(key, t0 + 2_000)).toBe(0);
  });

  it("charges takes on trust after the turn that granted them, all of that turn's in one script call", async () => {
    // Regression: the charge's script call was built and encoded from the microtask queue, ahead of the command it let through.
    const limit = { rate: 10, burst: 80 };
    const client = await redisClient();
    const calls: { keys: number; reply: Promise<unknown> }[] = [];
    const evaluate = client.eval.bind(client) as (script: string, options: { keys: string[]; arguments: string[] }) => Promise<unknown>;
    (client as unknown as { eval: typeof evaluate }).eval = (script, options) => {
      const reply = evaluate(script, options);
      calls.push({ keys: options.keys.length, reply });
      return reply;
    };
    const node = new LeasedRateLimits(new RedisBudgetLeases(client, "user", limit), limit);
    const keys = [randomUUID(), randomUUID(), randomUUID()];
    for (const key of keys) {
      expect(node.tryTake(key, t0)).toBe(0); // a member's first take: granted at once, on trust
      for (let i = 0; i < 5; i++) await Promise.resolve(); // the command goes on awaiting: no charge runs ahead of it
      expect(calls).toEqual([]);
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls.map((c) => c.keys)).toEqual([3]);
    await Promise.all(calls.map((c) => c.reply));
    await new Promise((resolve) => setImmediate(resolve)); // the replies handed out (promise continuations)
    // Charged, and a chunk leased to this node: the next takes are answered here.
    for (const key of keys) expect(node.tryTake(key, t0)).toBe(0);
    expect(calls).toHaveLength(1);
  });

  it("spends its leased budget without a round trip", async () => {
    const limit = { rate: 10, burst: 80 };
    let trips = 0;
    const shared = new RedisBudgetLeases(await redisClient(), "user", limit);
    const node = new LeasedRateLimits({ lease: (...a) => ((trips += 1), shared.lease(...a)) }, limit);
    const key = randomUUID();
    expect(await takeMany(node, key, 20, t0)).toEqual(Array(20).fill(0));
    expect(trips).toBeLessThanOrEqual(3); // one charge of the trusted take, then chunks of burst / 8
    expect(await takeMany(node, key, 61, t0)).toEqual([...Array(60).fill(0), 100]);
  });
  it("leases the next chunk before this one runs out: a member within the limit never waits for the shared bucket", async () => {
    const limit = { rate: 10, burst: 80 };
    const shared = new RedisBudgetLeases(await redisClient(), "user", limit);
    const trips: Promise<unknown>[] = [];
    const node = new LeasedRateLimits(
      {
        lease: (...a) => {
          const p = shared.lease(...a);
          trips.push(p);
          return p;
        },
      },
      limit,
    );
    const key = randomUUID();
    // One take every 100 ms is the limit's own rate: each must be answered from this node's lease, never by waiting.
    for (let i = 0; i < 200; i += 1) {
      expect(node.tryTake(key, t0 + i * 100)).toBe(0);
      await Promise.all(trips); // a background lease is back before the member's next command
    }
    expect(trips.length).toBeGreaterThan(1);
    expect(trips.length).toBeLessThan(200 / 5); // chunks of burst / 8 = 10, leased ahead at half a chunk
  });
});

describe("a shared store that fails", () => {
  const failing: RateLimitStore = { take: () => Promise.reject(new Error("connection lost")) };
  const hanging: RateLimitStore = { take: () => new Promise<number>(() => undefined) };

  it("falls back to this node's own buckets when the store errors, and says so once", async () => {
    const warnings: unknown[] = [];
    const store = new FallbackRateLimits(failing, new LocalRateLimits({ rate: 1, burst: 2 }), (e) => warnings.push(e));
    const key = randomUUID();
    expect(await takeMany(store, key, 3, t0)).toEqual([0, 0, 1_000]);
    expect(warnings).toHaveLength(1);
  });

  it("answers within its deadline when the store hangs", async () => {
    const store = new FallbackRateLimits(hanging, new LocalRateLimits({ rate: 1, burst: 1 }), () => undefined, 50);
    const started = performance.now();
    expect(await store.take(randomUUID(), t0)).toBe(0);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it.skipIf(!redis.ok)("falls back when the Redis client is disconnected", async () => {
    const client = await connectRedis(redis.url!, createLogger("silent", "test"), "test");
    await client.quit();
    const store = new FallbackRateLimits(
      new RedisRateLimits(client, "user", { rate: 1, burst: 1 }),
      new LocalRateLimits({ rate: 1, burst: 1 }),
      () => undefined,
    );
    const key = randomUUID();
    expect(await takeMany(store, key, 2, t0)).toEqual([0, 1_000]);
  });
});

describe.skipIf(!redis.ok)("two nodes sharing Redis", () => {
  it("refuse a user on node B once they spent their budget on node A (beyond one take on trust), with retryAfterMs", async () => {
    const fixed = Date.now();
    const env = { REDIS_URL: redis.url, COMMANDS_PER_SECOND: "1" }; // per socket: burst 2; per user: burst 4
    const [a, b] = await Promise.all([startTestServer(env, { now: () => fixed }), startTestServer(env, { now: () => fixed })]);
    const user = randomUUID();
    const sockets = await Promise.all([connectAs(a.server, user), connectAs(a.server, user), connectAs(b.server, user)]);
    try {
      const send = (i: number) => sockets[i]!.command(`user:${user}`, "no:such", {});
      for (const i of [0, 0, 1, 1]) expect(await send(i)).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
      // Node B has not seen the user: its first take is on trust (one per node), charged to the shared budget.
      expect(await send(2)).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
      const refused = await send(2);
      expect(refused).toMatchObject({ ok: false, error: { code: "RATE_LIMITED" } });
      expect((refused as { error: { retryAfterMs: number } }).error.retryAfterMs).toBeGreaterThan(0);
    } finally {
      for (const s of sockets) s.close();
      await Promise.all([a.cleanup(), b.cleanup()]);
    }
  });
});
