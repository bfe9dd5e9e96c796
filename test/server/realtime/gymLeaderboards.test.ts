/**
 * Gym leaderboards (`gym:leaderboard`) over real sockets against a real server on PostgreSQL: weekly and
 * monthly attendance, volume and a benchmark workout, their tie-breaks, and what members may see.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ack } from "../../../domain/protocol/envelope.js";
import { firstName } from "../../../domain/views/people.js";
import { periodBounds } from "../../../domain/workouts/gymBoards.js";
import {
  AttendanceEventEntity,
  BookingEntity,
  ClassWorkoutEntity,
  UserEntity,
  WorkoutResultEntity,
} from "../../../server/db/entities/index.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { settleOutbox } from "../../../server/persistence/outbox.js";
import { postgresOrPglite, suiteDatabase, startTestServer, type SuiteDatabase, type TestServer } from "../../support/services.js";
import { connectAs, eventually, type TestSocket } from "../../support/sockets.js";

const pg = await postgresOrPglite();
const HOUR = 3_600_000;

type Board = {
  total: number;
  entries: { rank: number; name: string | null; value: number | string; memberId?: string; me?: true }[];
  me: { rank: number; value: number | string } | null;
};
const ok = <T>(ack: Ack<unknown>): T => {
  if (!ack.ok) throw new Error(`expected ok, got ${JSON.stringify(ack.error)}`);
  return ack.result as T;
};

describe("gym leaderboards", () => {
  let t: TestServer;
  let db: SuiteDatabase;
  let gym: GymFixture;
  let other: GymFixture;
  let weekStart: number;
  const sockets = new Map<string, TestSocket>();
  const as = async (userId: string) => {
    if (!sockets.has(userId)) sockets.set(userId, await connectAs(t.server, userId));
    return sockets.get(userId)!;
  };
  const board = async (userId: string, payload: object, gymId = gym.gymId) =>
    (await as(userId)).command(`gym:${gymId}`, "gym:leaderboard", payload);

  beforeAll(async () => {
    db = await suiteDatabase(pg);
    t = await startTestServer({ ...db.env, SPOTTER_MODE: "embedded", JWT_SECRET: "l".repeat(40), COMMANDS_PER_SECOND: "1000" });
    gym = await aGym(t.server.db.orm, { members: 6 });
    other = await aGym(t.server.db.orm, { members: 1 });
    weekStart = periodBounds("week", 0, Date.now(), "Europe/Berlin").from;
    // This week: m0 ×3, m1 ×2 (reached 2 before m2 did), m2 ×2; last week: m3 ×5.
    const em = t.server.db.orm.em.fork();
    const visit = (i: number, at: number) =>
      em.create(AttendanceEventEntity, { id: randomUUID(), gymId: gym.gymId, memberId: gym.members[i]!.id, sessionId: null, at });
    const base = Math.max(weekStart, Math.min(weekStart + 2 * HOUR, Date.now() - 10 * 60_000));
    [0, 0, 0].forEach((i, k) => visit(i, base + k * 60_000));
    visit(1, base);
    visit(1, base + 60_000);
    visit(2, base);
    visit(2, base + 120_000);
    for (let k = 0; k < 5; k++) visit(3, weekStart - 2 * 86_400_000 + k * 60_000);
    await em.flush();
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets.values()) s.close();
    await t?.cleanup();
    await db?.drop();
  });

  it("ranks this week's attendance with ties to whoever got there first, and last week's with offset 1", async () => {
    const staff = ok<Board>(await board(gym.coachId, { board: "attendance", period: "week" }));
    expect(staff.entries.map((e) => [e.rank, e.memberId, e.value])).toEqual([
      [1, gym.members[0]!.id, 3],
      [2, gym.members[1]!.id, 2],
      [3, gym.members[2]!.id, 2],
    ]);
    expect(staff.entries[0]!.name).toBe(gym.members[0]!.name);
    const last = ok<Board>(await board(gym.coachId, { board: "attendance", period: "week", offset: 1 }));
    expect(last.entries.map((e) => [e.memberId, e.value])).toEqual([[gym.members[3]!.id, 5]]);
  });

  it("shows members first names of visible members only, never ids, and their own place", async () => {
    const m2 = gym.members[2]!;
    const seen = ok<Board>(await board(m2.id, { board: "attendance", period: "week" }));
    // members[0] is not visible, members[1] is; the caller sees their own full name.
    expect(seen.entries.map((e) => e.name)).toEqual([null, firstName(gym.members[1]!.name), m2.name]);
    expect(seen.entries.some((e) => "memberId" in e)).toBe(false);
    expect(seen.me).toEqual({ rank: 3, value: 2 });
    const raw = JSON.stringify(seen);
    for (const m of gym.members.slice(0, 2)) for (const secret of [m.id, m.email]) expect(raw).not.toContain(secret);
    expect(ok<Board>(await board(gym.members[5]!.id, { board: "attendance", period: "week" })).me).toBeNull();
  });

  it("ranks this month's volume from logged workouts, in kilograms", async () => {
    const [a, b] = [gym.members[4]!, gym.members[5]!];
    const lift = async (m: { id: string }, grams: number) =>
      ok(
        await (
          await as(m.id)
        ).command(`user:${m.id}`, "user:logWorkout", { gymId: gym.gymId, exercises: [{ movement: "Squat", sets: [{ reps: 10, grams }] }] }),
      );
    await lift(a, 100_000);
    await lift(b, 80_000);
    await lift(b, 80_000);
    const month = ok<Board>(await board(a.id, { board: "volume", period: "month" }));
    expect(month.entries.map((e) => e.value)).toEqual([1600, 1000]);
    expect(month.me).toEqual({ rank: 2, value: 1000 });
  });

  it("ranks a benchmark workout by each member's best result: Rx above scaled, then time", async () => {
    const em = t.server.db.orm.em.fork();
    // Inside this week even in its first hours (Monday 00:30 in Berlin is still Sunday in UTC).
    const now = Math.max(Date.now(), weekStart + 3 * HOUR);
    const results: [number, number, "rx" | "scaled"][] = [
      [0, 300_000, "rx"],
      [1, 240_000, "scaled"],
      [2, 280_000, "rx"],
      [2, 260_000, "rx"],
      [3, 200_000, "scaled"],
    ];
    const sessions = await Promise.all([
      gym.addSession({ startsAt: now - 2 * HOUR, endsAt: now - HOUR }),
      gym.addSession({ startsAt: now - 90 * 60_000, endsAt: now - 30 * 60_000 }),
    ]);
    const workoutIds = sessions.map(() => randomUUID());
    sessions.forEach((s, i) =>
      em.create(ClassWorkoutEntity, {
        id: workoutIds[i]!,
        gymId: gym.gymId,
        sessionId: s.id,
        title: i === 0 ? "Fran" : "FRAN",
        scoreType: "for_time",
        divisions: ["rx", "scaled"],
        setBy: gym.coachId,
        setAt: now - 2 * HOUR,
      }),
    );
    results.forEach(([i, ms, division], k) => {
      const session = k === 3 ? 1 : 0;
      em.create(WorkoutResultEntity, {
        id: randomUUID(),
        gymId: gym.gymId,
        sessionId: sessions[session]!.id,
        workoutId: workoutIds[session]!,
        memberId: gym.members[i]!.id,
        score: { type: "for_time", ms },
        division,
        submittedAt: now - HOUR + k,
        loggedBy: gym.coachId,
      });
    });
    await em.flush();
    const fran = ok<Board>(await board(gym.coachId, { board: "benchmark", period: "week", workout: "fran" }));
    expect(fran.entries.map((e) => [e.memberId, e.value])).toEqual([
      [gym.members[2]!.id, "4:20"],
      [gym.members[0]!.id, "5:00"],
      [gym.members[3]!.id, "3:20 (scaled)"],
      [gym.members[1]!.id, "4:00 (scaled)"],
    ]);
  });

  it("asks for the benchmark's name, and keeps other gyms out", async () => {
    expect(await board(gym.members[0]!.id, { board: "benchmark", period: "week" })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", fields: { workout: expect.any(String) } },
    });
    expect(await board(other.members[0]!.id, { board: "attendance", period: "week" })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
    const own = ok<Board>(await board(other.members[0]!.id, { board: "attendance", period: "week" }, other.gymId));
    expect(own.total).toBe(0);
  });

  it("tells watching sockets live when a check-in or a logged workout changes a board, never after they stop watching", async () => {
    const [watcher, quitter, lifter] = [gym.members[3]!, gym.members[4]!, gym.members[5]!];
    const changes = (s: TestSocket) => {
      const seen: { gymId: string; boards: string[] }[] = [];
      s.socket.on("board:changed", (c: { gymId: string; boards: string[] }) => seen.push(c));
      return seen;
    };
    const w = await as(watcher.id);
    const q = await connectAs(t.server, quitter.id);
    try {
      const seenW = changes(w);
      const seenQ = changes(q);
      ok(await board(watcher.id, { board: "attendance", period: "week", watch: true }));
      ok(await q.command(`gym:${gym.gymId}`, "gym:leaderboard", { board: "attendance", period: "week", watch: true }));
      ok(await q.command(`gym:${gym.gymId}`, "gym:leaderboard", { board: "attendance", period: "week", watch: false }));
      // An open-gym visit at the desk and a logged workout: one coalesced frame or two, naming both boards.
      const coach = await as(gym.coachId);
      expect(await coach.command(`gym:${gym.gymId}`, "gym:checkIn", { memberId: lifter.id, openGym: true })).toMatchObject({
        ok: true,
        result: { status: "checked_in" },
      });
      ok(
        await (
          await as(lifter.id)
        ).command(`user:${lifter.id}`, "user:logWorkout", {
          gymId: gym.gymId,
          exercises: [{ movement: "Press", sets: [{ reps: 5, grams: 40_000 }] }],
        }),
      );
      await eventually(() => expect(new Set(seenW.flatMap((c) => c.boards))).toEqual(new Set(["attendance", "volume"])));
      expect(seenW.every((c) => c.gymId === gym.gymId)).toBe(true);
      expect(seenQ).toEqual([]);
      // The frame carries no data, and the board it points to shows the visit.
      expect(JSON.stringify(seenW)).not.toContain(lifter.id);
      const staff = ok<Board>(await board(gym.coachId, { board: "attendance", period: "week" }));
      expect(staff.entries.some((e) => e.memberId === lifter.id)).toBe(true);
    } finally {
      q.close();
    }
  });

  it("does not let another gym's member watch this gym's boards", async () => {
    const outsider = await as(other.members[0]!.id);
    expect(
      await outsider.command(`gym:${gym.gymId}`, "gym:leaderboard", { board: "attendance", period: "week", watch: true }),
    ).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });

  it("moves a member on this node's board right after the class room checks them in, and back when the check-in is undone", async () => {
    const m = gym.members[0]!;
    const valueOf = async () =>
      ok<Board>(await board(gym.coachId, { board: "attendance", period: "week" })).entries.find((e) => e.memberId === m.id)?.value;
    const before = (await valueOf()) as number;
    const now = Date.now();
    const session = await gym.addSession({ startsAt: now + 10 * 60_000, endsAt: now + 70 * 60_000 });
    const em = t.server.db.orm.em.fork();
    em.create(BookingEntity, {
      id: randomUUID(),
      gymId: gym.gymId,
      sessionId: session.id,
      memberId: m.id,
      status: "booked",
      createdAt: now - HOUR,
      updatedAt: now - HOUR,
      creditUsed: false,
      promotedFromWaitlist: false,
    });
    await em.flush();
    const coach = await as(gym.coachId);
    ok(await coach.command(`class:${session.id}`, "class:checkIn", { sessionId: session.id, memberId: m.id, source: "desk" }));
    // The board moves with the check-in's side effects, applied right after its commit.
    await settleOutbox(t.server.db.orm);
    expect(await valueOf()).toBe(before + 1);
    ok(await coach.command(`class:${session.id}`, "class:undoCheckIn", { sessionId: session.id, memberId: m.id }));
    await settleOutbox(t.server.db.orm);
    expect(await valueOf()).toBe(before);
  });

  it("tells two visible members with the same first name apart by their last initial (issue 19 item 11)", async () => {
    const em = t.server.db.orm.em.fork();
    // members[0] (3 visits) and members[1] (2 visits) both on this week's board; both visible, both "Nia".
    await em.nativeUpdate(UserEntity, { id: gym.members[0]!.id }, { name: "Nia Chen", visible: true });
    await em.nativeUpdate(UserEntity, { id: gym.members[1]!.id }, { name: "Nia Berg", visible: true });
    const seen = ok<Board>(await board(gym.members[5]!.id, { board: "attendance", period: "week" }));
    const names = seen.entries.filter((e) => e.name?.startsWith("Nia")).map((e) => e.name);
    expect(names).toEqual(["Nia C.", "Nia B."]);
  });
});
