/**
 * Bug 6 (docs/benchmarks.md): on 3 nodes under load, forwarded bookings were answered UNAVAILABLE although they
 * were stored. The forwarding node's Redis request timed out while the owner, far behind, still had the command in
 * its mailbox and committed it; UNAVAILABLE promises nothing happened. Two nodes over real PostgreSQL and Redis:
 * the owner's commits take longer than the forward timeout, and the forwarded command must still be answered with
 * what was committed — and a retry with the same commandId with the same answer, never applied twice.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ack, RoomId } from "../../../domain/protocol/envelope.js";
import type { ClassStore } from "../../../rooms/ClassRoom.js";
import type { Caller, RoomMessage } from "../../../rooms/ports.js";
import { RoomRegistry } from "../../../rooms/RoomRegistry.js";
import { RoomRouter } from "../../../rooms/RoomRouter.js";
import { settleAnchors } from "../../../server/audit/anchors.js";
import { RedisBus } from "../../../server/cluster/redisBus.js";
import { RedisDirectory } from "../../../server/cluster/redisDirectory.js";
import { BookingEntity } from "../../../server/db/entities/index.js";
import { migrateUp, openDatabase, type Database } from "../../../server/db/orm.js";
import { createLogger } from "../../../server/logger.js";
import { classStore } from "../../../server/persistence/classStore.js";
import { gymStore } from "../../../server/persistence/gymStore.js";
import { userStore } from "../../../server/persistence/userStore.js";
import { connectRedis, type RedisClient } from "../../../server/redis.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { testRuntime } from "../../support/roomRuntime.js";
import { createTestDatabase, requirePostgres, requireRedis, type TestDatabase } from "../../support/services.js";

const pg = await requirePostgres();
const redis = await requireRedis();

describe.skipIf(!pg.ok || !redis.ok)("a command forwarded to an owner that answers after the forward timeout", () => {
  let made: TestDatabase;
  let db: Database;
  let gym: GymFixture;
  const closers: (() => Promise<unknown>)[] = [];
  const log = createLogger("silent", "test");

  /** A node: registry + router over real Redis; its class commits take `commitDelayMs` longer (an owner far behind). */
  const node = async (nodeId: string, commitDelayMs: number) => {
    const deps = { orm: db.orm, nodeId, now: Date.now, idempotencyWindowMs: 60_000 };
    const real = classStore(deps);
    const classes: ClassStore = {
      ...real,
      commitClass: async (...args) => {
        await new Promise((r) => setTimeout(r, commitDelayMs));
        return real.commitClass(...args);
      },
    };
    const registry = new RoomRegistry(
      { ...testRuntime(Date.now, randomUUID) },
      { classes, gyms: gymStore(deps, async () => null), users: userStore(deps) },
      60_000,
    );
    const client: RedisClient = await connectRedis(redis.url!, log, nodeId);
    const router = new RoomRouter({
      node: nodeId,
      directory: new RedisDirectory(client, 5_000),
      bus: new RedisBus(client, nodeId, log),
      registry,
      log: { info() {}, warn() {}, error() {} },
      now: Date.now,
      requestTimeoutMs: 150,
    });
    await router.start();
    closers.push(async () => {
      await router.close();
      await client.quit().catch(() => undefined);
    });
    return router;
  };
  const book = (router: RoomRouter, memberId: string, commandId: string): Promise<Ack<unknown>> => {
    const caller: Caller = { userId: memberId, membership: { gymId: gym.gymId, role: "member", status: "active" } };
    const message: RoomMessage = {
      kind: "command",
      caller,
      commandId,
      type: "class:book",
      payload: { sessionId: gym.sessionId, waitlist: true },
      receivedAt: Date.now(),
    };
    return router.send(`class:${gym.sessionId}` as RoomId, message);
  };
  const stored = async (memberId: string) => db.orm.em.fork().find(BookingEntity, { sessionId: gym.sessionId, memberId, status: "booked" });

  beforeAll(async () => {
    made = await createTestDatabase(pg.url!);
    db = await openDatabase({ kind: "postgres", url: made.url }, 4);
    await migrateUp(db);
    gym = await aGym(db.orm, { capacity: 5, members: 3 });
  }, 120_000);

  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    await settleAnchors(db.orm);
    await db?.close();
    await made?.drop();
  });

  it("answers the committed result, not UNAVAILABLE, and a retry with the same commandId gets the same answer", async () => {
    const [m1, m2] = gym.members.map((m) => m.id) as [string, string];
    const owner = await node(`owner-${randomUUID()}`, 600);
    const other = await node(`other-${randomUUID()}`, 0);
    // The owner takes the room (its lease) with a first booking.
    expect(await book(owner, m1, randomUUID())).toMatchObject({ ok: true, result: { status: "booked" } });
    // Forwarded: the owner's commit takes 600 ms, four times the forward timeout.
    const commandId = randomUUID();
    const answer = await book(other, m2, commandId);
    expect(answer).toMatchObject({ ok: true, result: { status: "booked" } });
    expect(await stored(m2)).toHaveLength(1);
    // The same command again, through either node: the stored answer, applied once.
    expect(await book(other, m2, commandId)).toEqual(answer);
    expect(await book(owner, m2, commandId)).toEqual(answer);
    expect(await stored(m2)).toHaveLength(1);
  }, 60_000);

  // Regression: after 8 asks (8 × the forward timeout) the forward gave up with UNAVAILABLE ("outcome unknown")
  // while the owner, alive and holding its lease, went on to commit the command.
  it("waits for the owner's verdict however long it takes while the owner holds the lease", async () => {
    const own = await aGym(db.orm, { capacity: 5, members: 1 });
    const first = own.members[0]!.id;
    const bookIn = (router: RoomRouter, memberId: string, commandId: string) =>
      router.send(`class:${own.sessionId}` as RoomId, {
        kind: "command",
        caller: { userId: memberId, membership: { gymId: own.gymId, role: "member", status: "active" } },
        commandId,
        type: "class:book",
        payload: { sessionId: own.sessionId, waitlist: true },
        receivedAt: Date.now(),
      });
    const owner = await node(`owner-${randomUUID()}`, 4_500);
    const other = await node(`other-${randomUUID()}`, 0);
    // The owner takes the room's lease by running it for a watcher (no commit).
    expect(await owner.join(`class:${own.sessionId}` as RoomId, "staff", undefined, () => undefined)).toMatchObject({ ok: true });
    // Forwarded: the owner's commit takes 4.5 s, 30 forward timeouts of 150 ms (the old limit: 8 asks on each of 3 routes).
    const started = Date.now();
    const answer = await bookIn(other, first, randomUUID());
    expect(answer).toMatchObject({ ok: true, result: { status: "booked" } });
    expect(Date.now() - started).toBeGreaterThan(4_000);
    const rows = await db.orm.em.fork().find(BookingEntity, { sessionId: own.sessionId, memberId: first, status: "booked" });
    expect(rows).toHaveLength(1);
  }, 60_000);
});
