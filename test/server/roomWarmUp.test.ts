/**
 * The start-up warm-up of rooms (server/roomWarmUp.ts) runs real class and user rooms on a synthetic gym: it must
 * send PostgreSQL no write (only the access check's and the member load's reads of ids that exist nowhere), change
 * no row or sequence, publish only on channels of rooms that exist nowhere (never another gym's), and still have
 * exercised what it claims: each synthetic command answered ok, the promoted member's notice delivered, deltas built.
 */
import { Server as IoServer } from "socket.io";
import { describe, expect, it } from "vitest";
import type { RoomDelta } from "../../domain/protocol/envelope.js";
import { accessReads } from "../../server/persistence/accessReads.js";
import { AccessControl } from "../../server/realtime/access.js";
import { cpuSpent, WARM_WALL_FACTOR, warmRooms } from "../../server/roomWarmUp.js";
import { adapterEncoder, warmUp } from "../../server/warmUp.js";
import { statementsDuring } from "../support/pgStatements.js";
import { requirePostgres } from "../support/services.js";
import { databaseFingerprint } from "../support/dbFingerprint.js";
import { withMigratedGym } from "../support/migratedGym.js";

const pg = await requirePostgres();

describe.skipIf(!pg.ok)("the start-up warm-up of rooms", () => {
  const t = withMigratedGym(pg, { capacity: 2, members: 6, startsInMinutes: 10 });
  const everything = () => databaseFingerprint(t.db.orm);

  it("answers every synthetic command, delivers the promoted notice, and writes nothing nor publishes to a real room", async () => {
    const before = await everything();
    const published: { channel: string; delta: RoomDelta }[] = [];
    const access = new AccessControl(accessReads(t.db.orm));
    let rounds = 0;
    const sent = await statementsDuring(async () => {
      rounds = await warmRooms(t.db.orm, {
        access,
        connections: 4,
        rounds: 3,
        budgetMs: 60_000,
        broadcast: { delta: (channel, delta) => published.push({ channel, delta }), reset: () => undefined },
      });
    });
    expect(rounds).toBe(3);
    // Reads only: the access check's (a session and a user that exist nowhere) and the gym member load's, per connection.
    expect(sent.length).toBeGreaterThanOrEqual(5);
    for (const text of sent) expect(text).not.toMatch(/\b(insert|update|delete|merge|nextval|begin|commit|truncate|lock)\b/i);
    expect(await everything()).toEqual(before);

    // What the rounds exercised: class deltas for staff and public, and each round's promoted member heard it.
    const channels = published.map((p) => p.channel);
    expect(channels.some((c) => c.startsWith("class:") && c.endsWith("#staff"))).toBe(true);
    expect(channels.some((c) => c.startsWith("class:") && c.endsWith("#public"))).toBe(true);
    const promoted = published.filter((p) => p.channel.startsWith("user:") && JSON.stringify(p.delta.ops).includes('"promoted"'));
    expect(promoted).toHaveLength(3);
    // Nothing of the real gym: its rooms, sessions and members appear in no channel and no delta.
    const real = [t.gym.gymId, t.gym.sessionId, ...t.gym.members.map((m) => m.id)];
    const all = JSON.stringify(published);
    for (const id of real) expect(all).not.toContain(id);
  }, 60_000);

  it("counts its budget in the process's CPU, not wall time, and still stops at 3 × the budget of wall time", async () => {
    // The measure is asked before each round after the first; spending nothing, the rounds run to their count…
    let calls = 0;
    expect(await warmRooms(t.db.orm, { budgetMs: 60_000, rounds: 4, spent: () => (calls++, 0) })).toBe(4);
    expect(calls).toBe(3);
    // …while CPU spent at the budget stops them after the first round, however little wall time has passed.
    expect(await warmRooms(t.db.orm, { budgetMs: 60_000, rounds: 4, spent: () => 60_000 })).toBe(1);
    // And a node whose core is shared spends little CPU while wall time passes: the rounds go on past the budget's wall
    // time, and it serves after 3 × the budget (the rounds' cap, WARM_WALL_FACTOR).
    const budgetMs = 40;
    const started = performance.now();
    const capped = await warmRooms(t.db.orm, { budgetMs, rounds: 400, spent: () => 0 });
    expect(capped).toBeLessThan(400);
    expect(performance.now() - started).toBeGreaterThanOrEqual(WARM_WALL_FACTOR * budgetMs);
    // The default measure is the process's CPU: it grows while this process works.
    const cpu = cpuSpent();
    let x = 0;
    for (let i = 0; i < 5_000_000; i++) x += i % 7;
    expect(x).toBeGreaterThan(0);
    expect(cpu()).toBeGreaterThan(0);
  }, 60_000);

  it("lets the node serve after its cap when a part of the rooms' warm-up hangs (an access check that never answers)", async () => {
    const errors: string[] = [];
    const hangs = { check: () => new Promise<never>(() => undefined) } as unknown as AccessControl;
    const took = await warmUp(t.db, (err) => errors.push(String(err)), { access: hangs, budgetMs: 0 });
    expect(took.roomRounds).toBe(0);
    expect(errors).toEqual([expect.stringContaining("room warm-up still running after 2000 ms")]);
  }, 30_000);
  it("lets the node serve after its cap when PostgreSQL stalls its database parts (snapshot reads, commits)", async () => {
    // A real stall: another transaction holds class_session exclusively, so the warm-up's reads of it wait.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = t.db.orm.em.fork().transactional(async (em) => {
      await (em as unknown as { execute(sql: string): Promise<unknown> }).execute("lock table class_session in access exclusive mode");
      locked();
      await held;
    });
    try {
      await isLocked;
      const errors: string[] = [];
      await warmUp(t.db, (err) => errors.push(String(err)), { budgetMs: 0 });
      expect(errors).toContainEqual(expect.stringContaining("warm-up snapshot reads still running after 2000 ms"));
    } finally {
      release();
      await holder;
    }
  }, 30_000);
  it("encodes each synthetic delta as the cluster adapter would for the other nodes, and publishes nothing", async () => {
    const local: string[] = [];
    const encoded: unknown[] = [];
    // An adapter with only an encoder: a publish (or any other use of it) would throw and fail the warm-up.
    const adapter = { uid: "warm-test", parser: { encode: (msg: unknown) => encoded.push(msg) } };
    const io = {
      local: { to: (channel: string) => ({ emit: () => local.push(channel) }) },
      of: () => ({ adapter }),
    } as unknown as IoServer;
    const errors: unknown[] = [];
    const access = new AccessControl(accessReads(t.db.orm));
    const took = await warmUp(t.db, (err) => errors.push(err), { access, io, budgetMs: 0 });
    expect(errors).toEqual([]);
    expect(took.roomRounds).toBe(1);
    expect(local.length).toBeGreaterThan(0);
    expect(encoded).toHaveLength(local.length);
    const [uid, packet, opts] = encoded[0] as [string, { type: number; data: [string, unknown] }, { rooms: string[] }];
    expect(uid).toBe("warm-test");
    expect(packet.type).toBe(2);
    expect(["room:delta", "room:reset"]).toContain(packet.data[0]);
    expect(encoded.map((m) => (m as [string, unknown, { rooms: string[] }])[2].rooms[0])).toEqual(local);
    expect(opts.rooms).toEqual([local[0]]);
    // The in-memory adapter (a single node) encodes nothing: no encoder to warm.
    // (An io server attached to nothing: nothing opened, nothing to close.)
    expect(adapterEncoder(new IoServer())).toBeUndefined();
  }, 30_000);
});
