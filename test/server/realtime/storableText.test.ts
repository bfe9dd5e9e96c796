/**
 * Issue 14 item 7: one NUL character failed other people's commands. Every text field of every schema is
 * storable text (no NUL, no lone surrogate; bidi overrides stripped), so nothing unstorable reaches a group
 * commit, and a member gets VALIDATION_FAILED (not INTERNAL) for it. Logs never carry SQL parameter values.
 */
import { Writable } from "node:stream";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChallengeEntity, UserEntity } from "../../../server/db/entities/index.js";
import { migrateUp, openDatabase, type Database } from "../../../server/db/orm.js";
import { createLogger } from "../../../server/logger.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { createTestDatabase, requirePostgres, startTestServer, type TestDatabase, type TestServer } from "../../support/services.js";
import { suiteSockets } from "../../support/sockets.js";

const pg = await requirePostgres();
const NUL = "Fr\u0000an";

describe.skipIf(!pg.ok)("storable text on PostgreSQL", () => {
  let db: TestDatabase;
  let t: TestServer;
  let gym: GymFixture;
  const sockets = suiteSockets(() => t.server);

  beforeAll(async () => {
    db = await createTestDatabase(pg.url!);
    // A long group-commit window: the coach's and the member's commands share one flush.
    t = await startTestServer({ DATABASE_URL: db.url, SPOTTER_MODE: "embedded", JWT_SECRET: "s".repeat(40), FLUSH_MAX_DELAY_MS: "200" });
    gym = await aGym(t.server.db.orm, { members: 3 });
  }, 60_000);

  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
    await db?.drop();
  });

  it("regression: a coach's class:setWorkout with U+0000 is refused with VALIDATION_FAILED and the member's booking beside it succeeds", async () => {
    const coach = await sockets.connect(gym.coachId);
    const member = await sockets.connect(gym.members[0]!.id);
    const room = `class:${gym.sessionId}`;
    expect((await coach.join(room)).ok).toBe(true);
    const [workout, booking] = await Promise.all([
      coach.command(room, "class:setWorkout", { sessionId: gym.sessionId, title: NUL, scoreType: "for_time" }),
      member.command(room, "class:book", { sessionId: gym.sessionId }),
    ]);
    expect(workout).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", fields: { title: expect.any(String) } } });
    expect(booking).toMatchObject({ ok: true, result: { status: "booked" } });
  });

  it("regression: members got INTERNAL for NUL in user:logWorkout, user:consent, gym:leaderboard and desk search", async () => {
    const m = gym.members[1]!.id;
    const member = await sockets.connect(m);
    const desk = await sockets.connect(gym.deskId);
    const answers = {
      logWorkout: await member.command(`user:${m}`, "user:logWorkout", {
        gymId: gym.gymId,
        exercises: [{ movement: NUL, sets: [{ reps: 5 }] }],
      }),
      consent: await member.command(`user:${m}`, "user:consent", { kind: "terms", version: NUL }),
      leaderboard: await member.command(`gym:${gym.gymId}`, "gym:leaderboard", { board: "benchmark", period: "week", workout: NUL }),
      search: await desk.command(`gym:${gym.gymId}`, "gym:searchMembers", { q: NUL }),
    };
    for (const [name, answer] of Object.entries(answers))
      expect(answer, name).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
  });

  it("refuses half of an emoji (a lone surrogate) and strips bidi overrides from names", async () => {
    const owner = await sockets.connect(gym.ownerId);
    const lone = await owner.command(`gym:${gym.gymId}`, "schedule:createClassType", { name: "Yoga \uD83D" });
    expect(lone).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", fields: { name: expect.any(String) } } });
    const created = await owner.command(`gym:${gym.gymId}`, "gym:createChallenge", {
      title: "\u202Egnp.exe\u202C 100 km",
      kind: "distance",
      target: 100_000,
      startsAt: Date.now(),
      endsAt: Date.now() + 86_400_000,
    });
    expect(created).toMatchObject({ ok: true });
    const { challengeId } = (created as { result: { challengeId: string } }).result;
    const stored = await t.server.db.orm.em.fork().findOneOrFail(ChallengeEntity, { id: challengeId });
    expect(stored.title).toBe("gnp.exe 100 km");
  });
});

describe.skipIf(!pg.ok)("logs", () => {
  let db: TestDatabase;
  let orm: Database;

  beforeAll(async () => {
    db = await createTestDatabase(pg.url!);
    orm = await openDatabase({ kind: "postgres", url: db.url });
    await migrateUp(orm);
  }, 60_000);

  afterAll(async () => {
    await orm?.close();
    await db?.drop();
  });

  it("regression: an error log carried the failed SQL with its values (a member's email and name)", async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const log = createLogger("info", "test", sink);
    const em = orm.orm.em.fork();
    em.create(UserEntity, {
      id: randomUUID(),
      email: "al\u0000ice@secret.example",
      name: "Alice Secretname",
      phone: "+49 555 0123",
      visible: true,
    });
    const err = await em.flush().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(String(err), "the driver's own message does carry the values").toContain("Alice Secretname");
    log.error({ err }, "commit failed");
    log.warn({ err: String(err) }, "room failed to start");
    const out = lines.join("");
    expect(out).toContain("insert into");
    for (const value of ["Alice Secretname", "secret.example", "555 0123"]) expect(out).not.toContain(value);
  });
});
