/**
 * A desk check-in goes from the gym room to its class room. On a cluster the class room may be owned by another
 * node: the check-in must go there (the router), not start a second copy of the class room beside the gym room —
 * bug: the gym room asked the local registry, so the node running the gym room ran every class room a desk
 * checked into, unleased, beside its owner (the commits stayed safe only through the version check).
 * Two nodes over real PostgreSQL and Redis.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RoomId } from "../../../domain/protocol/envelope.js";
import type { Caller, RoomMessage } from "../../../rooms/ports.js";
import { RoomRegistry } from "../../../rooms/RoomRegistry.js";
import { RoomRouter } from "../../../rooms/RoomRouter.js";
import { settleAnchors } from "../../../server/audit/anchors.js";
import { RedisBus } from "../../../server/cluster/redisBus.js";
import { RedisDirectory } from "../../../server/cluster/redisDirectory.js";
import { CheckInEntity } from "../../../server/db/entities/index.js";
import { migrateUp, openDatabase, type Database } from "../../../server/db/orm.js";
import { createLogger } from "../../../server/logger.js";
import { classStore } from "../../../server/persistence/classStore.js";
import { gymStore } from "../../../server/persistence/gymStore.js";
import { userStore } from "../../../server/persistence/userStore.js";
import { connectRedis } from "../../../server/redis.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { testRuntime } from "../../support/roomRuntime.js";
import { createTestDatabase, requirePostgres, requireRedis, type TestDatabase } from "../../support/services.js";

const pg = await requirePostgres();
const redis = await requireRedis();

describe.skipIf(!pg.ok || !redis.ok)("a desk check-in on a node that does not own the class room", () => {
  let made: TestDatabase;
  let db: Database;
  let gym: GymFixture;
  const closers: (() => Promise<unknown>)[] = [];
  const log = createLogger("silent", "test");

  const node = async (nodeId: string) => {
    const deps = { orm: db.orm, nodeId, now: Date.now, idempotencyWindowMs: 60_000 };
    const registry = new RoomRegistry(
      { ...testRuntime(Date.now, randomUUID) },
      { classes: classStore(deps), gyms: gymStore(deps, async () => null), users: userStore(deps) },
      60_000,
    );
    const client = await connectRedis(redis.url!, log, nodeId);
    const router = new RoomRouter({
      node: nodeId,
      directory: new RedisDirectory(client, 5_000),
      bus: new RedisBus(client, nodeId, log),
      registry,
      log: { info() {}, warn() {}, error() {} },
      now: Date.now,
      requestTimeoutMs: 2_000,
    });
    await router.start();
    closers.push(async () => {
      await router.close();
      await client.quit().catch(() => undefined);
    });
    return { registry, router };
  };
  const command = (caller: Caller, type: string, payload: unknown): RoomMessage => ({
    kind: "command",
    caller,
    commandId: randomUUID(),
    type,
    payload,
    receivedAt: Date.now(),
  });

  beforeAll(async () => {
    made = await createTestDatabase(pg.url!);
    db = await openDatabase({ kind: "postgres", url: made.url }, 4);
    await migrateUp(db);
    gym = await aGym(db.orm, { capacity: 5, members: 1, startsInMinutes: 10 });
  }, 120_000);

  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    await settleAnchors(db.orm);
    await db?.close();
    await made?.drop();
  });

  it("is forwarded to the class room's owner, and the gym room's node runs no copy of it", async () => {
    const member = gym.members[0]!.id;
    const classRoom = `class:${gym.sessionId}` as RoomId;
    const a = await node(`a-${randomUUID()}`);
    const b = await node(`b-${randomUUID()}`);
    // B owns the class room (the member booked through B); A owns the gym room (the desk is on A).
    const booked = await b.router.send(
      classRoom,
      command({ userId: member, membership: { gymId: gym.gymId, role: "member", status: "active" } }, "class:book", {
        sessionId: gym.sessionId,
      }),
    );
    expect(booked).toMatchObject({ ok: true, result: { status: "booked" } });
    const desk: Caller = { userId: gym.deskId, membership: { gymId: gym.gymId, role: "front_desk", status: "active" } };
    const answer = await a.router.send(`gym:${gym.gymId}` as RoomId, command(desk, "gym:checkIn", { memberId: member }));
    expect(answer).toMatchObject({ ok: true, result: { status: "checked_in" } });
    expect(a.registry.peek(`gym:${gym.gymId}` as RoomId)).toBeDefined();
    expect(a.registry.peek(classRoom)).toBeUndefined();
    expect(b.registry.peek(classRoom)).toBeDefined();
    expect(await db.orm.em.fork().count(CheckInEntity, { sessionId: gym.sessionId, memberId: member, result: "accepted" })).toBe(1);
  }, 60_000);
});
