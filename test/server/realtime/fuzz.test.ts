/**
 * The protocol fuzzer, short form (CI): seeded malformed frames against a real server on PostgreSQL,
 * with a staff bystander working in the attacked class. The long form is `npm run fuzz` (same generator,
 * `test/support/fuzzFrames.ts`). Replay or vary a run with
 * `FUZZ_SEED=<seed> FUZZ_FRAMES=<n> FUZZ_TRANSPORT=node FUZZ_VERBOSE=1 npx vitest run test/server/realtime/fuzz.test.ts`.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ack } from "../../../domain/protocol/envelope.js";
import { signToken } from "../../../server/auth.js";
import { BookingEntity } from "../../../server/db/entities/index.js";
import { describeOutcome, fuzzServer, outcomeProblems, prepareFuzz, WireClient, type FuzzSetup } from "../../support/fuzzFrames.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { createTestDatabase, requirePostgres, startTestServer, type TestDatabase, type TestServer } from "../../support/services.js";
import { connectAs } from "../../support/sockets.js";

const pg = await requirePostgres();
const SEED = Number(process.env.FUZZ_SEED ?? 20_250_611);
const FRAMES = Number(process.env.FUZZ_FRAMES ?? 5_000);
const COMMANDS_PER_SECOND = 300;
const MAX_PAYLOAD_BYTES = 16_384;

describe.skipIf(!pg.ok)("the protocol under seeded hostile frames (PostgreSQL)", () => {
  let t: TestServer;
  let db: TestDatabase;
  let setup: FuzzSetup;
  let gym: GymFixture;

  beforeAll(async () => {
    db = await createTestDatabase(pg.url!);
    t = await startTestServer({
      DATABASE_URL: db.url,
      SPOTTER_MODE: "embedded",
      JWT_SECRET: "f".repeat(40),
      COMMANDS_PER_SECOND: String(COMMANDS_PER_SECOND),
      MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD_BYTES),
      TRANSPORT: process.env.FUZZ_TRANSPORT ?? "auto",
    });
    setup = await prepareFuzz(t.server, { maxPayloadBytes: MAX_PAYLOAD_BYTES, commandsPerSecond: COMMANDS_PER_SECOND });
    gym = await aGym(t.server.db.orm, { members: 4 });
  }, 120_000);

  afterAll(async () => {
    await t?.cleanup();
    await db?.drop();
  });

  it(`survives ${FRAMES.toLocaleString("en")} seeded malformed frames (seed ${SEED}) with typed answers, bounded memory, an undisturbed bystander and no row changed`, async () => {
    const outcome = await fuzzServer(setup, SEED, FRAMES);
    const summary = describeOutcome(outcome);
    if (process.env.FUZZ_VERBOSE) console.log(summary);
    expect(outcome.totals.frames).toBe(FRAMES);
    expect(outcomeProblems(outcome), summary).toEqual([]);
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
    const h = await WireClient.connect(t.server.url, await signToken(t.server.jwtSecret!, gym.members[1]!.id));
    if (!h.ok) throw new Error(h.message);
    try {
      const started = performance.now();
      const answers = await Promise.all(
        Array.from({ length: 1_500 }, () => h.client.request("room:join", { room: `class:${randomUUID()}` })),
      );
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
    const [a, b] = await Promise.all([connectAs(t.server, gym.members[2]!.id), connectAs(t.server, gym.members[3]!.id)]);
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
