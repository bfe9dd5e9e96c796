/**
 * Taking a room over without writing: a new owner loads with one read (no fence write, no WAL flush; counted at
 * the `pg` client) and answers at once; its first commit
 * compare-and-sets the version it loaded. When the old owner committed in between, the new owner reloads and
 * decides its batch again — never a lost or double write — and the old owner's next commit is refused.
 * Two registries over one PostgreSQL stand in for two nodes that both believe they own the class.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ack, RoomId } from "../../../domain/protocol/envelope.js";
import type { Caller, RoomMessage } from "../../../rooms/ports.js";
import { RoomRegistry } from "../../../rooms/RoomRegistry.js";
import { migrateUp, openDatabase, type Database } from "../../../server/db/orm.js";
import { BookingEntity } from "../../../server/db/entities/index.js";
import { verifyAudit } from "../../../server/audit/verifyAudit.js";
import { settleAnchors } from "../../../server/audit/anchors.js";
import { settleOutbox } from "../../../server/persistence/outbox.js";
import { classStore } from "../../../server/persistence/classStore.js";
import { gymStore } from "../../../server/persistence/gymStore.js";
import { userStore } from "../../../server/persistence/userStore.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { testRuntime } from "../../support/roomRuntime.js";
import { createTestDatabase, requirePostgres, type TestDatabase } from "../../support/services.js";
import { statementsDuring } from "../../support/pgStatements.js";

const pg = await requirePostgres();

const statements = (run: () => Promise<void>) => statementsDuring(run);

/** What a write looks like on the wire: a transaction, a data-changing statement, or a commit statement (`with held …`). */
const writes = /^(with|insert|update|delete|begin)\b/i;

describe.skipIf(!pg.ok)("a new owner whose old owner committed after it loaded", () => {
  let made: TestDatabase;
  let db: Database;
  let gym: GymFixture;
  const registries: RoomRegistry[] = [];

  const node = (nodeId: string) => {
    const deps = { orm: db.orm, nodeId, now: Date.now, idempotencyWindowMs: 60_000 };
    const r = new RoomRegistry(
      { ...testRuntime(Date.now, randomUUID), log: { info() {}, warn: console.warn, error: console.error } },
      { classes: classStore(deps), gyms: gymStore(deps, async () => null), users: userStore(deps) },
      60_000,
    );
    registries.push(r);
    return r;
  };
  const book = (r: RoomRegistry, memberId: string, commandId = randomUUID()): Promise<Ack<unknown>> => {
    const caller: Caller = { userId: memberId, membership: { gymId: gym.gymId, role: "member", status: "active" } };
    const message: RoomMessage = {
      kind: "command",
      caller,
      commandId,
      type: "class:book",
      payload: { sessionId: gym.sessionId, waitlist: true },
      receivedAt: Date.now(),
    };
    return r.send(`class:${gym.sessionId}` as RoomId, message);
  };
  const booked = async () =>
    (await db.orm.em.fork().find(BookingEntity, { sessionId: gym.sessionId, status: "booked" })).map((b) => b.memberId).sort();

  beforeAll(async () => {
    made = await createTestDatabase(pg.url!);
    db = await openDatabase({ kind: "postgres", url: made.url }, 4);
    await migrateUp(db);
    gym = await aGym(db.orm, { capacity: 2, members: 4 });
  }, 120_000);

  afterAll(async () => {
    for (const r of registries) await r.close();
    await settleAnchors(db.orm);
    await db?.close();
    await made?.drop();
  });

  it("reloads and decides again, so the class never holds more than it should, and the old owner is fenced out", async () => {
    const [m1, m2, m3, m4] = gym.members.map((m) => m.id);
    const a = node("a");
    const b = node("b");
    const room = `class:${gym.sessionId}` as RoomId;
    expect(await book(a, m1!)).toMatchObject({ ok: true, result: { status: "booked" } });
    // B takes the room over: one read, nothing written (no fence write, no WAL flush); it knows one booking.
    await settleAnchors(db.orm);
    await settleOutbox(db.orm);
    const sent = await statements(async () => {
      await b.get(room).start();
      expect(b.get(room).join("public")).toMatchObject({ snapshot: { counts: { booked: 1 } } });
    });
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.filter((s) => writes.test(s))).toEqual([]);
    // The old owner commits after B loaded: the class is now full.
    expect(await book(a, m2!)).toMatchObject({ ok: true, result: { status: "booked" } });
    // B decided on one booking and would book m3; its commit finds A's, reloads and decides again: waitlisted.
    expect(await book(b, m3!)).toMatchObject({ ok: true, result: { status: "waitlisted" } });
    expect(await booked()).toEqual([m1, m2].sort());
    // A has committed since it loaded and finds B's commit: it is the stale owner and stores nothing.
    expect(await book(a, m4!)).toMatchObject({ ok: false, error: { code: "UNAVAILABLE" } });
    expect(await db.orm.em.fork().find(BookingEntity, { sessionId: gym.sessionId, memberId: m4! })).toHaveLength(0);
    // B goes on committing from where the database is.
    expect(await book(b, m4!)).toMatchObject({ ok: true, result: { status: "waitlisted" } });
    await settleAnchors(db.orm);
    expect(await verifyAudit(db.orm.em.fork(), gym.gymId)).toMatchObject({ broken: null, unanchored: 0 });
  }, 60_000);

  it("answers a retried command from the old owner's stored answer instead of applying it twice", async () => {
    const fresh = await aGym(db.orm, { capacity: 5, members: 2 });
    gym = fresh;
    const [m1, m2] = fresh.members.map((m) => m.id);
    const a = node("a2");
    const b = node("b2");
    const room = `class:${fresh.sessionId}` as RoomId;
    expect(await book(a, m1!)).toMatchObject({ ok: true });
    await b.get(room).start();
    const commandId = randomUUID();
    // The old owner stores m2's booking after B loaded; the client retries the same command at B.
    const first = await book(a, m2!, commandId);
    expect(first).toMatchObject({ ok: true, result: { status: "booked" } });
    const retried = await book(b, m2!, commandId);
    expect(retried).toEqual(first);
    expect(await db.orm.em.fork().find(BookingEntity, { sessionId: fresh.sessionId, memberId: m2! })).toHaveLength(1);
  }, 60_000);
});
