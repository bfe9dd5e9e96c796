/**
 * The protocol fuzzer, short form (CI): seeded malformed frames against a real server on PostgreSQL,
 * with a staff bystander working in the attacked class. The long form is `npm run fuzz` (same generator,
 * `test/support/fuzzFrames.ts`). Replay a run with `FUZZ_SEED=<seed> FUZZ_FRAMES=<n> npx vitest run test/server/fuzz.test.ts`.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BookingEntity } from "../../server/db/entities/index.js";
import type { Ack } from "../../domain/protocol/envelope.js";
import { signToken } from "../../server/auth.js";
import { describeOutcome, fuzzServer, WireClient, type FuzzOutcome } from "../support/fuzzFrames.js";
import { aGym, type GymFixture } from "../support/gymFixture.js";
import { createTestDatabase, requirePostgres, startTestServer, type TestDatabase, type TestServer } from "../support/services.js";
import { connectAs } from "../support/sockets.js";

const pg = await requirePostgres();
const SEED = Number(process.env.FUZZ_SEED ?? 20_250_611);
const FRAMES = Number(process.env.FUZZ_FRAMES ?? 5_000);
const COMMANDS_PER_SECOND = 300;
const MAX_PAYLOAD_BYTES = 16_384;

describe.skipIf(!pg.ok)("the protocol under seeded hostile frames (PostgreSQL)", () => {
  let t: TestServer;
  let db: TestDatabase;
  let gym: GymFixture;
  let outsiderId: string;
  let outcome: FuzzOutcome;

  beforeAll(async () => {
    db = await createTestDatabase(pg.url!);
    t = await startTestServer({
      DATABASE_URL: db.url, SPOTTER_MODE: "embedded", JWT_SECRET: "f".repeat(40),
      COMMANDS_PER_SECOND: String(COMMANDS_PER_SECOND), MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD_BYTES), TRANSPORT: process.env.FUZZ_TRANSPORT ?? "auto",
    });
    gym = await aGym(t.server.db.orm, { members: 6, capacity: 12 });
    outsiderId = (await aGym(t.server.db.orm, { members: 1 })).members[0]!.id;
    // Some bookings, so the attacked class has a roster to leak if anything leaked.
    const em = t.server.db.orm.em.fork();
    for (const m of gym.members.slice(4, 6)) {
      em.create(BookingEntity, { id: randomUUID(), gymId: gym.gymId, sessionId: gym.sessionId, memberId: m.id, status: "booked", createdAt: Date.now(), updatedAt: Date.now(), creditUsed: false, promotedFromWaitlist: false });
    }
    await em.flush();
  }, 120_000);

  afterAll(async () => {
    await t?.cleanup();
    await db?.drop();
  });

  it(`survives ${FRAMES.toLocaleString("en")} seeded malformed frames (seed ${SEED}) with typed answers, bounded memory, an undisturbed bystander and no row changed`, async () => {
    const ids = gym.members.map((m) => m.id);
    outcome = await fuzzServer(
      {
        server: t.server, gymId: gym.gymId, sessionId: gym.sessionId, coachId: gym.coachId, memberIds: [ids[0]!, ids[1]!, ids[2]!, ids[3]!], outsiderId,
        maxPayloadBytes: MAX_PAYLOAD_BYTES, commandsPerSecond: COMMANDS_PER_SECOND,
      },
      SEED,
      FRAMES,
    );
    const summary = describeOutcome(outcome);
    if (process.env.FUZZ_VERBOSE) console.log(summary);
    const { totals, bystander } = outcome;
    expect(totals.violations, summary).toEqual([]);
    expect(totals.frames).toBe(FRAMES);
    expect(outcome.health).toBe(200);
    expect(outcome.rowsAfter, summary).toEqual(outcome.rowsBefore);
    expect(bystander.failed, summary).toEqual([]);
    expect(bystander.commands).toBeGreaterThan(5);
    expect(bystander.gaps, summary).toBe(0);
    expect(bystander.staffDeltas).toBeGreaterThan(5);
    expect(bystander.memberDeltas).toBeGreaterThan(5);
    expect(bystander.replayMatches, summary).toBe(true);
    // Memory: the heap after a full collection grows by less than 48 MB (it holds no per-frame state).
    expect(outcome.memory.at(-1)!.heapUsed - outcome.memory[0]!.heapUsed, summary).toBeLessThan(48);
    // The run reached every layer: schema refusals, authorization refusals, the rate limit, real answers, closed connections.
    for (const code of ["ok", "VALIDATION_FAILED", "NOT_FOUND", "FORBIDDEN", "RATE_LIMITED"]) expect(totals.answers[code] ?? 0, `${code}\n${summary}`).toBeGreaterThan(0);
    expect(Object.values(totals.closes).reduce((n, c) => n + c.closed, 0)).toBeGreaterThan(0);
  }, 120_000);

  it("regression: a command type naming an Object.prototype member (constructor, __proto__, toString) was answered INTERNAL", async () => {
    const s = await connectAs(t.server, gym.members[0]!.id);
    try {
      for (const type of ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"]) {
        const ack = await s.command(`gym:${gym.gymId}`, type, {});
        expect(ack, type).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
      }
    } finally {
      s.close();
    }
  });

  it("regression: room:join was not rate limited, so one socket's flood of joins (a database read each) stalled everyone's commands", async () => {
    const h = await WireClient.connect(t.server.url, await signToken(t.server.jwtSecret!, gym.members[0]!.id));
    if (!h.ok) throw new Error(h.message);
    try {
      const started = performance.now();
      const answers = await Promise.all(Array.from({ length: 1_500 }, () => h.client.request("room:join", { room: `class:${randomUUID()}` })));
      const seconds = (performance.now() - started) / 1000;
      const acks = answers.map((a) => (Array.isArray(a) ? (a[0] as Ack<unknown>) : null));
      const limited = acks.filter((a) => a && !a.ok && a.error.code === "RATE_LIMITED" && (a.error.retryAfterMs ?? 0) > 0);
      // A socket gets its burst (2× the rate) plus the rate per second; every other join is refused before any I/O.
      expect(1_500 - limited.length).toBeLessThanOrEqual(2 * COMMANDS_PER_SECOND + Math.ceil(seconds * COMMANDS_PER_SECOND) + 1);
      expect(acks.every((a) => a && !a.ok && ["RATE_LIMITED", "NOT_FOUND"].includes(a.error.code))).toBe(true);
    } finally {
      await h.client.close();
    }
  });

  it("regression: an upper-case class id started a second actor for the same session, and two members overbooked a class of one", async () => {
    const session = await gym.addSession({ capacity: 1 });
    const [a, b] = await Promise.all([connectAs(t.server, gym.members[4]!.id), connectAs(t.server, gym.members[5]!.id)]);
    try {
      // Both spellings live at once (the watchers load them), then one booking each.
      expect((await a.join(`class:${session.id}`)).ok).toBe(true);
      const upper = await b.join(`class:${session.id.toUpperCase()}`);
      expect(upper.ok && upper.result.room).toBe(`class:${session.id}`);
      const acks = await Promise.all([
        a.command(`class:${session.id}`, "class:book", { sessionId: session.id }),
        b.command(`class:${session.id.toUpperCase()}`, "class:book", { sessionId: session.id }),
      ]);
      expect(acks.filter((x) => x.ok)).toHaveLength(1);
      expect(acks.find((x) => !x.ok)).toMatchObject({ error: { code: "CLASS_FULL" } });
      expect(await t.server.db.orm.em.fork().count(BookingEntity, { sessionId: session.id, status: "booked" })).toBe(1);
    } finally {
      a.close();
      b.close();
    }
  });
});
