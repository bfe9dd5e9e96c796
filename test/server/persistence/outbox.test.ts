/**
 * Side effects off the critical path, but durable: a check-in's streak, milestone and board update are an
 * outbox row in the class commit, applied after it. A node that dies between the commit and the apply (here:
 * stores that leave applying to the sweep) loses nothing: the sweep after a restart applies each row exactly
 * once, also when two nodes sweep at the same time.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RoomId } from "../../../domain/protocol/envelope.js";
import type { Caller } from "../../../rooms/ports.js";
import { RoomRegistry } from "../../../rooms/RoomRegistry.js";
import { settleAnchors } from "../../../server/audit/anchors.js";
import {
  AttendanceEventEntity,
  BookingEntity,
  FeedEventEntity,
  MemberProgressEntity,
  RoomOutboxEntity,
} from "../../../server/db/entities/index.js";
import { migrateUp, openDatabase, type Database } from "../../../server/db/orm.js";
import { classStore } from "../../../server/persistence/classStore.js";
import { gymStore } from "../../../server/persistence/gymStore.js";
import { applyOutboxRow, applyOutboxRows, sweepOutbox } from "../../../server/persistence/outbox.js";
import { userStore } from "../../../server/persistence/userStore.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { testRuntime } from "../../support/roomRuntime.js";
import { createTestDatabase, requirePostgres, type TestDatabase } from "../../support/services.js";

const pg = await requirePostgres();
const DAY = 86_400_000;
const MIN = 60_000;

describe.skipIf(!pg.ok)("the room outbox", () => {
  let made: TestDatabase;
  let db: Database;
  let gym: GymFixture;
  const registries: RoomRegistry[] = [];

  /** A node whose stores commit side effects to the outbox and leave them there (it dies before applying). */
  const dyingNode = () => {
    const deps = { orm: db.orm, nodeId: "dying", now: Date.now, idempotencyWindowMs: 60_000, sweepOnly: true };
    const r = new RoomRegistry(
      testRuntime(Date.now, randomUUID),
      { classes: classStore(deps), gyms: gymStore(deps, async () => null), users: userStore(deps) },
      60_000,
    );
    registries.push(r);
    return r;
  };
  /** A class whose check-in window is open, the member booked, with nine earlier attendances (the next is the 10th). */
  const bookedWithHistory = async (memberId: string) => {
    const now = Date.now();
    const session = await gym.addSession({ startsAt: now + 10 * MIN, endsAt: now + 70 * MIN });
    const em = db.orm.em.fork();
    em.create(BookingEntity, {
      id: randomUUID(),
      gymId: gym.gymId,
      sessionId: session.id,
      memberId,
      status: "booked",
      createdAt: now - DAY,
      updatedAt: now - DAY,
      creditUsed: false,
      promotedFromWaitlist: false,
    });
    for (let d = 20; d < 29; d++)
      em.create(AttendanceEventEntity, { id: randomUUID(), gymId: gym.gymId, memberId, sessionId: null, at: now - d * DAY });
    await em.flush();
    return session.id;
  };
  const checkIn = (r: RoomRegistry, sessionId: string, memberId: string) => {
    const caller: Caller = { userId: gym.coachId, membership: { gymId: gym.gymId, role: "coach", status: "active" } };
    return r.send(`class:${sessionId}` as RoomId, {
      kind: "command",
      caller,
      commandId: randomUUID(),
      type: "class:checkIn",
      payload: { sessionId, memberId, source: "desk" },
      receivedAt: Date.now(),
    });
  };
  const milestones = (memberId: string) => db.orm.em.fork().find(FeedEventEntity, { actorId: memberId, kind: "checkin_milestone" });

  beforeAll(async () => {
    made = await createTestDatabase(pg.url!);
    db = await openDatabase({ kind: "postgres", url: made.url }, 4);
    await migrateUp(db);
    gym = await aGym(db.orm, { members: 6 });
  }, 120_000);

  afterAll(async () => {
    for (const r of registries) await r.close();
    await settleAnchors(db.orm);
    await db?.close();
    await made?.drop();
  });

  it("keeps a check-in's side effects through a crash between commit and apply, and applies them exactly once on restart", async () => {
    const m = gym.members[0]!.id;
    const sessionId = await bookedWithHistory(m);
    expect(await checkIn(dyingNode(), sessionId, m)).toMatchObject({ ok: true, result: { status: "checked_in" } });
    // Committed: the attendance and its outbox row; not yet applied: no milestone, no progress.
    expect(await db.orm.em.fork().count(AttendanceEventEntity, { memberId: m })).toBe(10);
    expect(await db.orm.em.fork().count(RoomOutboxEntity, { room: `class:${sessionId}` })).toBe(1);
    expect(await milestones(m)).toHaveLength(0);
    expect(await db.orm.em.fork().findOne(MemberProgressEntity, { gymId: gym.gymId, memberId: m })).toBeNull();
    // Restart: two nodes sweep at once, then once more.
    const swept = await Promise.all([sweepOutbox(db.orm, Date.now()), sweepOutbox(db.orm, Date.now())]);
    expect(swept[0] + swept[1]).toBe(1);
    expect(await sweepOutbox(db.orm, Date.now())).toBe(0);
    expect((await milestones(m)).map((e) => e.payload)).toEqual([{ count: 10 }]);
    expect(await db.orm.em.fork().findOneOrFail(MemberProgressEntity, { gymId: gym.gymId, memberId: m })).toMatchObject({ streak: 1 });
    expect(await db.orm.em.fork().count(RoomOutboxEntity, {})).toBe(0);
  }, 60_000);

  it("applies a row once when two appliers race for it", async () => {
    const m = gym.members[1]!.id;
    const sessionId = await bookedWithHistory(m);
    expect(await checkIn(dyingNode(), sessionId, m)).toMatchObject({ ok: true });
    const [row] = await db.orm.em.fork().find(RoomOutboxEntity, { room: `class:${sessionId}` });
    const results = await Promise.all([applyOutboxRow(db.orm, row!.id), applyOutboxRow(db.orm, row!.id), applyOutboxRow(db.orm, row!.id)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await milestones(m)).toHaveLength(1);
  }, 60_000);

  it("applies rows queued together in one transaction, each exactly once, also when a single apply races the batch", async () => {
    const dying = dyingNode();
    const members = gym.members.slice(2, 5).map((m) => m.id);
    const ids: string[] = [];
    for (const m of members) {
      const sessionId = await bookedWithHistory(m);
      expect(await checkIn(dying, sessionId, m)).toMatchObject({ ok: true });
      const [row] = await db.orm.em.fork().find(RoomOutboxEntity, { room: `class:${sessionId}` });
      ids.push(row!.id);
    }
    const [batch, single] = await Promise.all([applyOutboxRows(db.orm, ids), applyOutboxRow(db.orm, ids[1]!)]);
    expect(batch + (single ? 1 : 0)).toBe(3);
    expect(await applyOutboxRows(db.orm, ids)).toBe(0);
    for (const m of members) expect((await milestones(m)).map((e) => e.payload)).toEqual([{ count: 10 }]);
  }, 60_000);
});
