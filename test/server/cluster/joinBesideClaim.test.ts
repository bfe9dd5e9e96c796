/**
 * A cold class room's first join reads the room beside the claim of its lease (one round trip in a row, not two).
 * The read may then predate the last commits of a node that gave the room up just before the claim: the claim says
 * so (`handedOver`) and the room is read again, so the joiner never sees a roster older than what was committed, and
 * the new owner's commits build on the old owner's. Two routers over one PostgreSQL and Redis stand in for two nodes;
 * node B's claim is held back so that the old owner commits and lets go between B's read and B's claim.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RoomId } from "../../../domain/protocol/envelope.js";
import type { RoomDirectory } from "../../../rooms/coordination.js";
import type { ClassStore } from "../../../rooms/ClassRoom.js";
import type { RoomMessage } from "../../../rooms/ports.js";
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
import { connectRedis } from "../../../server/redis.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { testRuntime } from "../../support/roomRuntime.js";
import { createTestDatabase, requirePostgres, requireRedis, type TestDatabase } from "../../support/services.js";

const pg = await requirePostgres();
const redis = await requireRedis();

/** A node whose lease claims wait for `open()`, and whose class reads are counted (`reads` resolve as each lands). */
interface Node {
  router: RoomRouter;
  registry: RoomRegistry;
  reads: { started: number; landed: Promise<void>[] };
  open(): void;
}

describe.skipIf(!pg.ok || !redis.ok)("a cold room's first join, read beside its lease claim", () => {
  let made: TestDatabase;
  let db: Database;
  const closers: (() => Promise<unknown>)[] = [];
  const log = createLogger("silent", "test");

  const node = async (nodeId: string, holdClaims: boolean): Promise<Node> => {
    const deps = { orm: db.orm, nodeId, now: Date.now, idempotencyWindowMs: 60_000 };
    const store = classStore(deps);
    const reads: Node["reads"] = { started: 0, landed: [] };
    const classes: ClassStore = {
      ...store,
      loadClass: (...args) => {
        reads.started += 1;
        const read = store.loadClass(...args);
        reads.landed.push(read.then(() => undefined));
        return read;
      },
    };
    const registry = new RoomRegistry(
      { ...testRuntime(Date.now, randomUUID) },
      { classes, gyms: gymStore(deps, async () => null), users: userStore(deps) },
      600_000,
    );
    const client = await connectRedis(redis.url!, log, nodeId);
    const leases = new RedisDirectory(client, 60_000);
    let open = () => {};
    const gate = holdClaims ? new Promise<void>((r) => (open = r)) : Promise.resolve();
    const directory: RoomDirectory = {
      leaseMs: leases.leaseMs,
      claim: async (room, n) => {
        await gate;
        return leases.claim(room, n);
      },
      owner: (room) => leases.owner(room),
      ownersOf: (rooms) => leases.ownersOf(rooms),
      renew: (rooms, n) => leases.renew(rooms, n),
      release: (room, n) => leases.release(room, n),
    };
    const router = new RoomRouter({
      node: nodeId,
      directory,
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
    return { router, registry, reads, open };
  };
  const book = (gym: GymFixture, memberId: string): RoomMessage => ({
    kind: "command",
    caller: { userId: memberId, membership: { gymId: gym.gymId, role: "member", status: "active" } },
    commandId: randomUUID(),
    type: "class:book",
    payload: { sessionId: gym.sessionId },
    receivedAt: Date.now(),
  });
  const booked = async (gym: GymFixture) =>
    (await db.orm.em.fork().find(BookingEntity, { sessionId: gym.sessionId, status: "booked" })).map((b) => b.memberId).sort();
  const joinOf = (n: Node, room: RoomId) => n.router.join(room, "public", undefined, () => undefined);

  beforeAll(async () => {
    made = await createTestDatabase(pg.url!);
    db = await openDatabase({ kind: "postgres", url: made.url }, 4);
    await migrateUp(db);
  }, 120_000);

  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    await settleAnchors(db.orm);
    await db?.close();
    await made?.drop();
  });

  it("answers from the read that ran while the claim was in flight: one read, before the claim came back", async () => {
    const gym = await aGym(db.orm, { capacity: 5, members: 1 });
    const room = `class:${gym.sessionId}` as RoomId;
    const b = await node(`b-${randomUUID()}`, true);
    const joined = joinOf(b, room);
    // The claim has not come back, yet the room's read is under way and lands.
    await new Promise((r) => setTimeout(r, 0));
    expect(b.reads.started).toBe(1);
    await Promise.all(b.reads.landed);
    b.open();
    expect(await joined).toMatchObject({ ok: true, result: { snapshot: { counts: { booked: 0 } } } });
    expect(b.reads.started).toBe(1);
    expect(await b.router.send(room, book(gym, gym.members[0]!.id))).toMatchObject({ ok: true, result: { status: "booked" } });
  }, 60_000);

  it("reads again when another node released the room between that read and the claim, and books on top of its commits", async () => {
    const gym = await aGym(db.orm, { capacity: 2, members: 3 });
    const [m1, m2, m3] = gym.members.map((m) => m.id) as [string, string, string];
    const room = `class:${gym.sessionId}` as RoomId;
    const a = await node(`a-${randomUUID()}`, false);
    const b = await node(`b-${randomUUID()}`, true);
    expect(await a.router.send(room, book(gym, m1))).toMatchObject({ ok: true, result: { status: "booked" } });
    // B's first join reads the room (one booking) while its claim waits.
    const joined = joinOf(b, room);
    await new Promise((r) => setTimeout(r, 0));
    await Promise.all(b.reads.landed);
    // A commits after B's read, then hands the room over gracefully (drains, gives the lease back).
    expect(await a.router.send(room, book(gym, m2))).toMatchObject({ ok: true, result: { status: "booked" } });
    await a.router.close();
    b.open();
    // B's claim says the room was handed over: it read the room again, and shows A's last booking.
    expect(await joined).toMatchObject({ ok: true, result: { snapshot: { counts: { booked: 2 } } } });
    expect(b.reads.started).toBe(2);
    // B decides on the full class: m3 waits, nothing lost or booked twice.
    const waitlisted = { ...book(gym, m3), payload: { sessionId: gym.sessionId, waitlist: true } };
    expect(await b.router.send(room, waitlisted)).toMatchObject({ ok: true, result: { status: "waitlisted" } });
    expect(await booked(gym)).toEqual([m1, m2].sort());
  }, 60_000);

  it("drops the read when another node owns the room, and answers the join from that owner", async () => {
    const gym = await aGym(db.orm, { capacity: 5, members: 1 });
    const room = `class:${gym.sessionId}` as RoomId;
    const a = await node(`a-${randomUUID()}`, false);
    const b = await node(`b-${randomUUID()}`, false);
    expect(await a.router.send(room, book(gym, gym.members[0]!.id))).toMatchObject({ ok: true });
    expect(await joinOf(b, room)).toMatchObject({ ok: true, result: { snapshot: { counts: { booked: 1 } } } });
    expect(b.registry.peek(room)).toBeUndefined();
    expect(b.router.isLocal(room)).toBe(false);
  }, 60_000);
});
