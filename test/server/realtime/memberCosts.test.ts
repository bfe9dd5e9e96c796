/**
 * What one member can make a node do is bounded (issue 14, item 1): the size of one workout, the workouts and sets
 * a member may log in a day (counted under the member's lock, so parallel logs cannot all pass), and the data
 * export, which answers a member with many sets completely and in order, built a page at a time.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ack } from "../../../domain/protocol/envelope.js";
import { WorkoutSizeLimits } from "../../../domain/protocol/workouts.js";
import { signToken } from "../../../server/auth.js";
import { WorkoutLogEntity, WorkoutSetEntity } from "../../../server/db/entities/index.js";
import { SOCKET_EXPORT_MAX_SETS } from "../../../server/persistence/privacyExport.js";
import { WORKOUT_PAGE } from "../../../server/persistence/trainingExport.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { postgresOrPglite, suiteDatabase, startTestServer, type SuiteDatabase, type TestServer } from "../../support/services.js";
import { suiteSockets, type TestSocket } from "../../support/sockets.js";

const pg = await postgresOrPglite();

const sets = (n: number) => Array.from({ length: n }, (_, i) => ({ reps: i + 1 }));
const exercises = (count: number, setsEach: number) =>
  Array.from({ length: count }, (_, i) => ({ movement: `Move ${i}`, sets: sets(setsEach) }));

describe("per-member costs", () => {
  let t: TestServer;
  let db: SuiteDatabase;
  let gym: GymFixture;
  const sockets = suiteSockets(() => t.server);
  const em = () => t.server.db.orm.em.fork();
  const log = (s: TestSocket, userId: string, exercises: object[], commandId?: string) =>
    s.command(`user:${userId}`, "user:logWorkout", { gymId: gym.gymId, exercises }, commandId);
  const stored = async (memberId: string) => ({
    logs: await em().count(WorkoutLogEntity, { memberId }),
    sets: await em().count(WorkoutSetEntity, { memberId }),
  });

  beforeAll(async () => {
    db = await suiteDatabase(pg);
    t = await startTestServer({
      ...db.env,
      SPOTTER_MODE: "embedded",
      JWT_SECRET: "c".repeat(40),
      COMMANDS_PER_SECOND: "1000",
      MAX_WORKOUT_LOGS_PER_DAY: "3",
      MAX_WORKOUT_SETS_PER_DAY: "150",
    });
    gym = await aGym(t.server.db.orm, { members: 6 });
  }, 120_000);

  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
    await db?.drop();
  });

  it("refuses a workout with too many exercises, sets in one exercise, or sets in all, in words, and stores nothing", async () => {
    const m = gym.members[0]!;
    const s = await sockets.connect(m.id);
    const { exercisesPerLog, setsPerExercise, setsPerLog } = WorkoutSizeLimits;
    const tooMany = [
      exercises(exercisesPerLog + 1, 1),
      exercises(1, setsPerExercise + 1),
      exercises(Math.ceil((setsPerLog + 1) / setsPerExercise), setsPerExercise),
    ];
    for (const payload of tooMany) {
      const ack = await log(s, m.id, payload);
      expect(ack).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
      expect(Object.values((ack as Extract<Ack<unknown>, { ok: false }>).error.fields ?? {}).join(" ")).toMatch(
        /At most \d+ (exercises|sets)/,
      );
    }
    expect(await stored(m.id)).toEqual({ logs: 0, sets: 0 });
    // The largest valid workout is taken.
    expect(await log(s, m.id, exercises(setsPerLog / 5, 5).slice(0, exercisesPerLog))).toMatchObject({ ok: true });
  });

  it("refuses the workout past a member's daily number of logs with LIMIT_EXCEEDED, also when they race, and a retry still answers the first result", async () => {
    const m = gym.members[1]!;
    const s = await sockets.connect(m.id);
    const ids = Array.from({ length: 6 }, () => randomUUID());
    const answers = await Promise.all(ids.map((id) => log(s, m.id, exercises(1, 1), id)));
    expect(answers.filter((a) => a.ok)).toHaveLength(3);
    const refused = answers.filter((a): a is Extract<Ack<unknown>, { ok: false }> => !a.ok);
    expect(refused).toHaveLength(3);
    for (const r of refused)
      expect(r.error).toMatchObject({ code: "LIMIT_EXCEEDED", message: expect.stringContaining("3 workouts in the last 24 hours") });
    expect(await stored(m.id)).toEqual({ logs: 3, sets: 3 });
    const first = answers.findIndex((a) => a.ok);
    expect(await log(s, m.id, exercises(1, 1), ids[first])).toEqual(answers[first]);
  });

  it("refuses the workout that would pass a member's daily number of sets, saying how many are left", async () => {
    const m = gym.members[2]!;
    const s = await sockets.connect(m.id);
    expect(await log(s, m.id, exercises(4, 25))).toMatchObject({ ok: true });
    expect(await log(s, m.id, exercises(2, 26))).toMatchObject({
      ok: false,
      error: { code: "LIMIT_EXCEEDED", message: expect.stringContaining("50 more sets") },
    });
    expect(await log(s, m.id, exercises(2, 25))).toMatchObject({ ok: true });
    expect(await stored(m.id)).toEqual({ logs: 2, sets: 150 });
  });

  it("exports a member with many sets completely and in order over HTTP, page boundaries and equal times included; the socket form points to the download", async () => {
    const m = gym.members[3]!;
    const other = gym.members[4]!;
    // Straight into the tables (far past the daily limits): logs × exercises × sets, some logs at the same instant.
    // Several pages, and more sets (40 a log) than the socket form answers.
    const logs = Math.max(WORKOUT_PAGE * 2 + 17, Math.ceil(SOCKET_EXPORT_MAX_SETS / 40) + 3);
    const conn = em().getConnection();
    const base = Date.UTC(2026, 0, 1);
    for (const memberId of [m.id, other.id]) {
      const logRows: unknown[] = [];
      const exerciseRows: unknown[] = [];
      const setRows: unknown[] = [];
      for (let l = 0; l < logs; l++) {
        const logId = randomUUID();
        // Pairs of logs share a time: the keyset page must neither skip nor repeat one.
        logRows.push(logId, gym.gymId, memberId, `Log ${l}`, new Date(base + Math.floor(l / 2) * 60_000), 0, 0, 0, 0, "{}");
        for (let e = 0; e < 4; e++) {
          const exerciseId = randomUUID();
          // Positions stored in reverse insertion order: the export orders by position, not by row order.
          exerciseRows.push(exerciseId, logId, memberId, 3 - e, `Move ${3 - e}`);
          for (let k = 0; k < 10; k++)
            setRows.push(
              randomUUID(),
              logId,
              exerciseId,
              memberId,
              9 - k,
              memberId === m.id ? (3 - e) * 10 + (9 - k) + 1 : 999,
              null,
              null,
              null,
              k === 0,
            );
        }
      }
      const insert = async (table: string, columns: string, width: number, values: unknown[]) => {
        for (let at = 0; at < values.length; at += width * 500) {
          const chunk = values.slice(at, at + width * 500);
          const tuples = Array.from({ length: chunk.length / width }, () => `(${Array(width).fill("?").join(",")})`).join(",");
          await conn.execute(`insert into ${table} (${columns}) values ${tuples}`, chunk);
        }
      };
      await insert("workout_log", "id, gym_id, member_id, title, performed_at, volume, distance_meters, pr_count, xp, result", 10, logRows);
      await insert("workout_exercise", "id, log_id, member_id, position, movement", 5, exerciseRows);
      await insert("workout_set", "id, log_id, exercise_id, member_id, position, reps, grams, ms, meters, is_pr", 10, setRows);
    }

    const res = await fetch(`${t.server.url}/api/me/export.json`, {
      headers: { authorization: `Bearer ${await signToken(t.server.jwtSecret!, m.id)}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    const data = (await res.json()) as {
      profile: { id: string };
      workouts: {
        id: string;
        title: string;
        performedAt: string;
        exercises: { movement: string; sets: { reps: number; pr: boolean }[] }[];
      }[];
    };
    expect(data.profile.id).toBe(m.id);
    expect(data.workouts).toHaveLength(logs);
    expect(new Set(data.workouts.map((w) => w.id)).size).toBe(logs);
    const times = data.workouts.map((w) => Date.parse(w.performedAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(data.workouts[0]!.performedAt).toBe(new Date(base).toISOString());
    for (const w of data.workouts) {
      expect(w.exercises.map((e) => e.movement)).toEqual(["Move 0", "Move 1", "Move 2", "Move 3"]);
      w.exercises.forEach((e, i) => {
        expect(e.sets.map((x) => x.reps)).toEqual(Array.from({ length: 10 }, (_, k) => i * 10 + k + 1));
        expect(e.sets.map((x) => x.pr)).toEqual(Array.from({ length: 10 }, (_, k) => k === 9));
      });
    }
    expect(JSON.stringify(data)).not.toContain('"reps":999');

    const s = await sockets.connect(m.id);
    expect(await s.command(`user:${m.id}`, "user:exportData", {})).toMatchObject({
      ok: false,
      error: { code: "LIMIT_EXCEEDED", message: expect.stringContaining("/api/me/export.json") },
    });
  });
});
