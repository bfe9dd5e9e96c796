/**
 * Free workout logging (`user:logWorkout`) over real sockets against a real server on PostgreSQL:
 * atomic storage, PR detection against stored bests, one PR feed event per workout, XP and streak in
 * the same commit, retries, and nothing stored for anything refused.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ack } from "../../../domain/protocol/envelope.js";
import {
  AttendanceEventEntity,
  FeedEventEntity,
  MemberProgressEntity,
  PersonalBestEntity,
  WorkoutExerciseEntity,
  WorkoutLogEntity,
  WorkoutSetEntity,
} from "../../../server/db/entities/index.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { postgresOrPglite, suiteDatabase, startTestServer, type SuiteDatabase, type TestServer } from "../../support/services.js";
import { suiteSockets, type TestSocket } from "../../support/sockets.js";

const pg = await postgresOrPglite();

type LogAnswer = {
  workoutId: string;
  prs: { exercise: number; set: number; movement: string; kind: string; value: number; previous: number | null }[];
  xp: number;
  totalXp: number;
  streak: number;
  volumeKg: number;
};
const ok = <T>(ack: Ack<unknown>): T => {
  if (!ack.ok) throw new Error(`expected ok, got ${JSON.stringify(ack.error)}`);
  return ack.result as T;
};

describe("free workout logging", () => {
  let t: TestServer;
  let db: SuiteDatabase;
  let gym: GymFixture;
  let other: GymFixture;
  const sockets = suiteSockets(() => t.server);
  const connect = sockets.connect;
  const em = () => t.server.db.orm.em.fork();
  const log = (s: TestSocket, userId: string, payload: object, commandId?: string) =>
    s.command(`user:${userId}`, "user:logWorkout", payload, commandId);
  const rowsOf = async (memberId: string) => {
    const e = em();
    return {
      logs: await e.count(WorkoutLogEntity, { memberId }),
      exercises: await e.count(WorkoutExerciseEntity, { memberId }),
      sets: await e.count(WorkoutSetEntity, { memberId }),
      bests: await e.count(PersonalBestEntity, { memberId }),
      progress: await e.count(MemberProgressEntity, { memberId }),
      feed: await e.count(FeedEventEntity, { actorId: memberId }),
    };
  };

  beforeAll(async () => {
    db = await suiteDatabase(pg);
    t = await startTestServer({ ...db.env, SPOTTER_MODE: "embedded", JWT_SECRET: "w".repeat(40), COMMANDS_PER_SECOND: "1000" });
    gym = await aGym(t.server.db.orm, { members: 9 });
    other = await aGym(t.server.db.orm, { members: 1 });
  }, 120_000);

  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
    await db?.drop();
  });

  it("stores the workout, its exercises and sets, marks PR sets against stored bests, and appends one PR event per workout", async () => {
    const m = gym.members[0]!;
    const s = await connect(m.id);
    const first = ok<LogAnswer>(
      await log(s, m.id, {
        gymId: gym.gymId,
        title: "Leg day",
        exercises: [
          {
            movement: "Back squat",
            sets: [
              { reps: 5, grams: 100_000 },
              { reps: 5, grams: 105_000 },
              { reps: 3, grams: 110_000 },
            ],
          },
          { movement: "Row", sets: [{ meters: 2000, ms: 430_000 }] },
          { movement: "Pull-up", sets: [{ reps: 10 }, { reps: 12 }] },
        ],
      }),
    );
    // First records everywhere: 5-rep squat (best of two), 3-rep squat, 2 km row time, pull-up reps.
    expect(first.prs.map((p) => [p.exercise, p.set, p.kind, p.previous])).toEqual([
      [0, 1, "load", null],
      [0, 2, "load", null],
      [1, 0, "time", null],
      [2, 1, "reps", null],
    ]);
    expect(first.xp).toBe(10 + 6 + 4 * 5);
    expect(first.volumeKg).toBe(5 * 100 + 5 * 105 + 3 * 110);
    const sets = await em().find(WorkoutSetEntity, { logId: first.workoutId }, { orderBy: { position: "asc" } });
    expect(sets.filter((x) => x.isPr)).toHaveLength(4);
    expect(await rowsOf(m.id)).toEqual({ logs: 1, exercises: 3, sets: 6, bests: 4, progress: 1, feed: 2 });

    // Second workout: beats the 5-rep squat, ties the row (not a PR), is slower on nothing else.
    const second = ok<LogAnswer>(
      await log(s, m.id, {
        gymId: gym.gymId,
        exercises: [
          { movement: "back  SQUAT", sets: [{ reps: 5, grams: 107_500 }] },
          { movement: "row", sets: [{ meters: 2000, ms: 430_000 }] },
        ],
      }),
    );
    expect(second.prs).toEqual([{ exercise: 0, set: 0, movement: "back squat", kind: "load", value: 107_500, previous: 105_000 }]);
    expect(second.totalXp).toBe(first.xp + second.xp);
    const best = await em().findOneOrFail(PersonalBestEntity, { memberId: m.id, recordKey: "back squat|load|5" });
    expect(best.value).toBe(107_500);
    const feed = await em().find(FeedEventEntity, { actorId: m.id }, { orderBy: { at: "asc", kind: "asc" } });
    expect(feed.map((f) => f.kind).sort()).toEqual(["pr", "pr", "workout_logged", "workout_logged"]);
    expect(feed.find((f) => f.kind === "pr" && f.payload.workoutId === first.workoutId)?.payload).toMatchObject({ count: 4 });

    // Third: no PR at all → a workout_logged event and no PR event.
    const third = ok<LogAnswer>(await log(s, m.id, { gymId: gym.gymId, exercises: [{ movement: "Pull-up", sets: [{ reps: 5 }] }] }));
    expect(third.prs).toEqual([]);
    expect((await rowsOf(m.id)).feed).toBe(5);
  });

  it("stores nothing when any part is invalid, and names every failing field", async () => {
    const m = gym.members[1]!;
    const s = await connect(m.id);
    const before = await rowsOf(m.id);
    const bad = await log(s, m.id, {
      gymId: gym.gymId,
      exercises: [
        { movement: "Deadlift", sets: [{ reps: 5, grams: 140_000 }] },
        { movement: "Row", sets: [{ reps: 0 }, { grams: 20_000 }] },
      ],
    });
    expect(bad).toMatchObject({
      ok: false,
      error: {
        code: "VALIDATION_FAILED",
        fields: { "exercises.1.sets.0.reps": expect.any(String), "exercises.1.sets.1.reps": expect.any(String) },
      },
    });
    expect(await rowsOf(m.id)).toEqual(before);
  });

  it("rolls back the workout, its sets, bests, XP and challenge rows when the database fails at the last write", async () => {
    const m = gym.members[2]!;
    const s = await connect(m.id);
    const conn = em().getConnection();
    // The feed insert is the transaction's last statement: make PostgreSQL refuse it for this member only.
    await conn.execute(`create or replace function refuse_feed() returns trigger as $$ begin
      if new.actor_id = '${m.id}' then raise exception 'feed refused'; end if; return new; end $$ language plpgsql`);
    await conn.execute(`create trigger refuse_feed before insert on feed_event for each row execute function refuse_feed()`);
    try {
      const before = await rowsOf(m.id);
      const failed = await log(s, m.id, { gymId: gym.gymId, exercises: [{ movement: "Snatch", sets: [{ reps: 1, grams: 70_000 }] }] });
      expect(failed).toMatchObject({ ok: false, error: { code: "INTERNAL" } });
      expect(await rowsOf(m.id)).toEqual(before);
    } finally {
      await conn.execute(`drop trigger refuse_feed on feed_event`);
    }
    // The same workout goes through afterwards, with its first-record PR.
    const retried = ok<LogAnswer>(
      await log(s, m.id, { gymId: gym.gymId, exercises: [{ movement: "Snatch", sets: [{ reps: 1, grams: 70_000 }] }] }),
    );
    expect(retried.prs).toHaveLength(1);
    expect(await rowsOf(m.id)).toEqual({ logs: 1, exercises: 1, sets: 1, bests: 1, progress: 1, feed: 2 });
  });

  it("answers NOT_FOUND for a gym that does not exist and stores nothing", async () => {
    const m = gym.members[2]!;
    const s = await connect(m.id);
    const before = await rowsOf(m.id);
    expect(await log(s, m.id, { gymId: randomUUID(), exercises: [{ movement: "Row", sets: [{ meters: 500 }] }] })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
    expect(await rowsOf(m.id)).toEqual(before);
  });

  it("answers a retry with the same command id with the first result and stores it once, also when both race", async () => {
    const m = gym.members[3]!;
    const s = await connect(m.id);
    const payload = { gymId: gym.gymId, exercises: [{ movement: "Bench press", sets: [{ reps: 5, grams: 80_000 }] }] };
    const id = `log-${randomUUID()}`;
    const [a, b] = await Promise.all([log(s, m.id, payload, id), log(s, m.id, payload, id)]);
    expect(ok<LogAnswer>(a)).toEqual(ok<LogAnswer>(b));
    expect(ok<LogAnswer>(a).prs).toHaveLength(1);
    expect(await rowsOf(m.id)).toMatchObject({ logs: 1, sets: 1, feed: 2 });
  });

  it("serializes one member's concurrent logs: bests end at the heaviest, and only strict improvements were PRs", async () => {
    const m = gym.members[4]!;
    const s = await connect(m.id);
    const loads = [60_000, 70_000, 65_000, 80_000, 75_000];
    const answers = await Promise.all(
      loads.map((grams) => log(s, m.id, { gymId: gym.gymId, exercises: [{ movement: "Clean", sets: [{ reps: 1, grams }] }] })),
    );
    const prs = answers.map((a) => ok<LogAnswer>(a).prs[0] ?? null).filter((p) => p !== null);
    // Whatever the order, each PR beat the one before it, and the stored best is the heaviest.
    const values = prs.map((p) => p.value).sort((x, y) => x - y);
    for (const p of prs) expect(p.previous === null || p.previous < p.value).toBe(true);
    expect(new Set(values).size).toBe(values.length);
    expect((await em().findOneOrFail(PersonalBestEntity, { memberId: m.id, recordKey: "clean|load|1" })).value).toBe(80_000);
    expect((await em().findOneOrFail(MemberProgressEntity, { gymId: gym.gymId, memberId: m.id })).workouts).toBe(5);
  });

  it("extends the streak of active days (classes and workouts) and records a streak milestone event when one is reached", async () => {
    const m = gym.members[5]!;
    const s = await connect(m.id);
    const e = em();
    const now = Date.now();
    for (let d = 1; d <= 6; d++)
      e.create(AttendanceEventEntity, { id: randomUUID(), gymId: gym.gymId, memberId: m.id, sessionId: null, at: now - d * 86_400_000 });
    await e.flush();
    const answer = ok<LogAnswer>(
      await log(s, m.id, { gymId: gym.gymId, exercises: [{ movement: "Run", sets: [{ meters: 5000, ms: 1_500_000 }] }] }),
    );
    expect(answer.streak).toBe(7);
    const events = await em().find(FeedEventEntity, { actorId: m.id, kind: "streak_milestone" });
    expect(events.map((x) => x.payload)).toEqual([{ days: 7 }]);
    expect((await em().findOneOrFail(MemberProgressEntity, { gymId: gym.gymId, memberId: m.id })).bestStreak).toBe(7);
  });

  it("shows one streak everywhere: the log's answer, Me's 'days in a row' and its training streak agree, and best is never below it (issue 19 item 4)", async () => {
    const m = gym.members[8]!;
    const s = await connect(m.id);
    const e = em();
    const now = Date.now();
    // Classes yesterday and the day before, stored without a progress row (as imported or seeded history is).
    for (let d = 1; d <= 2; d++)
      e.create(AttendanceEventEntity, { id: randomUUID(), gymId: gym.gymId, memberId: m.id, sessionId: null, at: now - d * 86_400_000 });
    await e.flush();
    const answer = ok<LogAnswer & { bestStreak: number }>(
      await log(s, m.id, { gymId: gym.gymId, exercises: [{ movement: "Row", sets: [{ meters: 1000 }] }] }),
    );
    expect(answer.streak).toBe(3);
    expect(answer.bestStreak).toBeGreaterThanOrEqual(3);
    const me = ok<{ streak: number; training: { streak: number; bestStreak: number } }>(await s.command(`user:${m.id}`, "user:me", {}));
    expect(me.streak).toBe(answer.streak);
    expect(me.training.streak).toBe(answer.streak);
    expect(me.training.bestStreak).toBeGreaterThanOrEqual(me.streak);
  });

  it("refuses a gym the member doesn't belong to as NOT_FOUND, another user's room as NOT_FOUND, and stores nothing", async () => {
    const m = gym.members[6]!;
    const s = await connect(m.id);
    const payload = { exercises: [{ movement: "Row", sets: [{ meters: 500 }] }] };
    expect(await log(s, m.id, { ...payload, gymId: other.gymId })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(await log(s, gym.members[7]!.id, { ...payload, gymId: gym.gymId })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(await rowsOf(m.id)).toMatchObject({ logs: 0, sets: 0 });
    expect(await rowsOf(gym.members[7]!.id)).toMatchObject({ logs: 0, sets: 0 });
  });

  it("exports my workouts with sets and PRs, bests and XP — never another member's — and deletion clears the titles I typed", async () => {
    const [me, them] = [gym.members[6]!, gym.members[7]!];
    const mine = await connect(me.id);
    const theirs = await connect(them.id);
    ok(
      await log(mine, me.id, {
        gymId: gym.gymId,
        title: "Morning with Dr. Who",
        exercises: [{ movement: "Deadlift", sets: [{ reps: 3, grams: 150_000 }] }],
      }),
    );
    ok(
      await log(theirs, them.id, {
        gymId: gym.gymId,
        title: "Their secret session",
        exercises: [{ movement: "Deadlift", sets: [{ reps: 3, grams: 190_000 }] }],
      }),
    );
    const data = ok<Record<string, unknown>>(await mine.command(`user:${me.id}`, "user:exportData", {}));
    expect(data.workouts).toEqual([
      expect.objectContaining({
        title: "Morning with Dr. Who",
        prs: 1,
        exercises: [{ movement: "Deadlift", sets: [{ reps: 3, grams: 150_000, ms: null, meters: null, pr: true }] }],
      }),
    ]);
    expect(data.personalBests).toEqual([expect.objectContaining({ record: "deadlift|load|3", value: 150_000 })]);
    expect(data.progress).toEqual([expect.objectContaining({ gymId: gym.gymId, workouts: 1 })]);
    expect(JSON.stringify(data)).not.toContain("Their secret session");
    expect(JSON.stringify(data)).not.toContain("190000");

    ok(await mine.command(`user:${me.id}`, "user:requestDeletion", {}));
    const owner = await connect(gym.ownerId);
    ok(await owner.command(`gym:${gym.gymId}`, "gym:approveDeletion", { memberId: me.id }));
    const logs = await em().find(WorkoutLogEntity, { memberId: { $in: [me.id, them.id] } });
    expect(logs.find((l) => l.memberId === me.id)).toMatchObject({ title: null, prCount: 1 });
    expect(logs.find((l) => l.memberId === them.id)?.title).toBe("Their secret session");
  });
});
