/**
 * A command caught by a takeover is routed to the new owner instead of answered UNAVAILABLE. Node A runs a class
 * room and has committed in it; node B takes the room's lease (A's renewal was late) and commits there. A's next
 * command for the room is fenced out at commit (nothing stored) and A stops the room: the router sends that command
 * on to B (same commandId), which decides and stores it. Before, the member got UNAVAILABLE although the room's owner
 * was alive — the 3-node bench's "every member got a durable answer" failed on a starved machine.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RoomId } from "../../../domain/protocol/envelope.js";
import type { RoomMessage } from "../../../rooms/ports.js";
import { RoomRegistry } from "../../../rooms/RoomRegistry.js";
import { RoomRouter } from "../../../rooms/RoomRouter.js";
import { keys } from "../../../rooms/keys.js";
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

describe.skipIf(!pg.ok || !redis.ok)("a command fenced out by a takeover", () => {
  let made: TestDatabase;
  let db: Database;
  let gym: GymFixture;
  let admin: RedisClient;
  const closers: (() => Promise<unknown>)[] = [];
  const log = createLogger("silent", "test");

  // A minute's lease: no renewal runs during the test (it would notice the takeover and stop the room first).
  const node = async (nodeId: string) => {
    const deps = { orm: db.orm, nodeId, now: Date.now, idempotencyWindowMs: 60_000 };
    const registry = new RoomRegistry(
      { ...testRuntime(Date.now, randomUUID) },
      { classes: classStore(deps), gyms: gymStore(deps, async () => null), users: userStore(deps) },
      600_000,
    );
    const client = await connectRedis(redis.url!, log, nodeId);
    const router = new RoomRouter({
      node: nodeId,
      directory: new RedisDirectory(client, 60_000),
      bus: new RedisBus(client, nodeId, log),
      registry,
      log: { info() {}, warn() {}, error() {} },
      now: Date.now,
      requestTimeoutMs: 5_000,
    });
    await router.start();
    closers.push(async () => {
      await router.close();
      await client.quit().catch(() => undefined);
    });
    return router;
  };
  const book = (memberId: string): RoomMessage => ({
    kind: "command",
    caller: { userId: memberId, membership: { gymId: gym.gymId, role: "member", status: "active" } },
    commandId: randomUUID(),
    type: "class:book",
    payload: { sessionId: gym.sessionId },
    receivedAt: Date.now(),
  });
  const stored = async (memberId: string) =>
    db.orm.em.fork().count(BookingEntity, { sessionId: gym.sessionId, memberId, status: "booked" });

  beforeAll(async () => {
    made = await createTestDatabase(pg.url!);
    db = await openDatabase({ kind: "postgres", url: made.url }, 4);
    await migrateUp(db);
    gym = await aGym(db.orm, { capacity: 5, members: 3 });
    admin = await connectRedis(redis.url!, log, "admin");
  }, 120_000);

  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    await admin?.quit().catch(() => undefined);
    await settleAnchors(db.orm);
    await db?.close();
    await made?.drop();
  });

  it("goes on to the new owner, which stores it once", async () => {
    const room = `class:${gym.sessionId}` as RoomId;
    const [m1, m2, m3] = gym.members.map((m) => m.id) as [string, string, string];
    const aId = `a-${randomUUID()}`;
    const bId = `b-${randomUUID()}`;
    const a = await node(aId);
    const b = await node(bId);
    expect(await a.send(room, book(m1))).toMatchObject({ ok: true, result: { status: "booked" } });
    // B takes the lease (A's renewal ran late) and commits in the room.
    await admin.set(keys.lease(room), bId, { expiration: { type: "PX", value: 60_000 } });
    expect(await b.send(room, book(m2))).toMatchObject({ ok: true, result: { status: "booked" } });
    // A still believes it owns the room: its commit is fenced out, and the command goes on to B.
    const answer = await a.send(room, book(m3));
    expect(answer).toMatchObject({ ok: true, result: { status: "booked" } });
    expect(await stored(m3)).toBe(1);
    expect([await stored(m1), await stored(m2)]).toEqual([1, 1]);
  }, 60_000);
});
