/**
 * What check-ins and class results add to a member's training record, applied from the room's outbox right
 * after its commit (real sockets, real PostgreSQL): check-in milestones, streak milestones, XP for a first
 * class result. Reads wait for the applies in flight (`settled`).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ack } from "../../../domain/protocol/envelope.js";
import {
  AttendanceEventEntity,
  BookingEntity,
  ClassWorkoutEntity,
  FeedEventEntity,
  MemberProgressEntity,
} from "../../../server/db/entities/index.js";
import { settleOutbox } from "../../../server/persistence/outbox.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { postgresOrPglite, suiteDatabase, startTestServer, type SuiteDatabase, type TestServer } from "../../support/services.js";
import { connectAs, type TestSocket } from "../../support/sockets.js";

const pg = await postgresOrPglite();
const DAY = 86_400_000;
const MIN = 60_000;

const ok = <T>(ack: Ack<unknown>): T => {
  if (!ack.ok) throw new Error(`expected ok, got ${JSON.stringify(ack.error)}`);
  return ack.result as T;
};

describe("training milestones from check-ins and class results", () => {
  let t: TestServer;
  let db: SuiteDatabase;
  let gym: GymFixture;
  let coach: TestSocket;
  const em = () => t.server.db.orm.em.fork();
  /** A fork to read with once the side effects of every commit so far are applied. */
  const settled = async () => {
    await settleOutbox(t.server.db.orm);
    return em();
  };

  /** Past attendance on `days` earlier days (one each), as if checked in before. */
  const history = async (memberId: string, days: number[]) => {
    const e = em();
    for (const d of days)
      e.create(AttendanceEventEntity, { id: randomUUID(), gymId: gym.gymId, memberId, sessionId: null, at: Date.now() - d * DAY });
    await e.flush();
  };
  /** A class whose check-in window is open now, with these members booked. */
  const openClass = async (memberIds: string[], started = false) => {
    const now = Date.now();
    const session = await gym.addSession(
      started ? { startsAt: now - 10 * MIN, endsAt: now + 50 * MIN } : { startsAt: now + 10 * MIN, endsAt: now + 70 * MIN },
    );
    const e = em();
    for (const memberId of memberIds) {
      e.create(BookingEntity, {
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
    }
    await e.flush();
    return session.id;
  };
  const feed = async (memberId: string, kind: string) =>
    (await settled()).find(FeedEventEntity, { actorId: memberId, kind: kind as never });

  beforeAll(async () => {
    db = await suiteDatabase(pg);
    t = await startTestServer({ ...db.env, SPOTTER_MODE: "embedded", JWT_SECRET: "s".repeat(40), COMMANDS_PER_SECOND: "1000" });
    gym = await aGym(t.server.db.orm, { members: 6 });
    coach = await connectAs(t.server, gym.coachId);
  }, 120_000);

  afterAll(async () => {
    coach?.close();
    await t?.cleanup();
    await db?.drop();
  });

  it("appends one checkin_milestone at the 10th class, also when the check-in is undone and made again", async () => {
    const m = gym.members[0]!.id;
    await history(m, [20, 22, 24, 26, 28, 30, 32, 34, 36]);
    const sessionId = await openClass([m]);
    const room = `class:${sessionId}`;
    ok(await coach.command(room, "class:checkIn", { sessionId, memberId: m, source: "desk" }));
    expect((await feed(m, "checkin_milestone")).map((e) => e.payload)).toEqual([{ count: 10 }]);
    ok(await coach.command(room, "class:undoCheckIn", { sessionId, memberId: m }));
    ok(await coach.command(room, "class:checkIn", { sessionId, memberId: m, source: "desk" }));
    expect(await feed(m, "checkin_milestone")).toHaveLength(1);
    expect(await em().count(AttendanceEventEntity, { gymId: gym.gymId, memberId: m })).toBe(10);
  });

  it("counts today into the streak once, and records a 7-day streak milestone on the check-in that reaches it", async () => {
    const m = gym.members[1]!.id;
    await history(m, [1, 2, 3, 4, 5, 6]);
    const sessionId = await openClass([m]);
    ok(await coach.command(`class:${sessionId}`, "class:checkIn", { sessionId, memberId: m, source: "desk" }));
    expect(await (await settled()).findOneOrFail(MemberProgressEntity, { gymId: gym.gymId, memberId: m })).toMatchObject({
      streak: 7,
      bestStreak: 7,
    });
    expect((await feed(m, "streak_milestone")).map((e) => e.payload)).toEqual([{ days: 7 }]);
    // A second visit today (open gym at the desk) neither lengthens the streak nor repeats the milestone.
    expect(await coach.command(`gym:${gym.gymId}`, "gym:checkIn", { memberId: m, openGym: true })).toMatchObject({
      ok: true,
      result: { status: "checked_in" },
    });
    expect(await (await settled()).findOneOrFail(MemberProgressEntity, { gymId: gym.gymId, memberId: m })).toMatchObject({ streak: 7 });
    expect(await feed(m, "streak_milestone")).toHaveLength(1);
    const member = await connectAs(t.server, m);
    try {
      expect(ok<{ training: unknown }>(await member.command(`user:${m}`, "user:me", {})).training).toEqual({
        xp: 0,
        workouts: 0,
        streak: 7,
        bestStreak: 7,
      });
    } finally {
      member.close();
    }
  });

  it("starts a streak at 1 after a gap and counts open-gym visits at the desk", async () => {
    const m = gym.members[2]!.id;
    await history(m, [3, 4]);
    expect(await coach.command(`gym:${gym.gymId}`, "gym:checkIn", { memberId: m, openGym: true })).toMatchObject({
      ok: true,
      result: { status: "checked_in" },
    });
    expect(await (await settled()).findOneOrFail(MemberProgressEntity, { gymId: gym.gymId, memberId: m })).toMatchObject({
      streak: 1,
      bestStreak: 1,
    });
  });

  it("earns 10 XP for a member's first result in a class workout, nothing for replacing it, and logs the free-workout XP on top", async () => {
    const m = gym.members[3]!.id;
    const sessionId = await openClass([m], true);
    const e = em();
    e.create(ClassWorkoutEntity, {
      id: randomUUID(),
      gymId: gym.gymId,
      sessionId,
      title: "Fran",
      scoreType: "for_time",
      divisions: ["rx", "scaled"],
      setBy: gym.coachId,
      setAt: Date.now() - MIN,
    });
    await e.flush();
    const room = `class:${sessionId}`;
    ok(await coach.command(room, "class:logResult", { sessionId, memberId: m, score: { type: "for_time", ms: 300_000 }, division: "rx" }));
    ok(await coach.command(room, "class:logResult", { sessionId, memberId: m, score: { type: "for_time", ms: 290_000 }, division: "rx" }));
    expect((await (await settled()).findOneOrFail(MemberProgressEntity, { gymId: gym.gymId, memberId: m })).xp).toBe(10);
    const member = await connectAs(t.server, m);
    try {
      const logged = ok<{ xp: number; totalXp: number }>(
        await member.command(`user:${m}`, "user:logWorkout", {
          gymId: gym.gymId,
          exercises: [{ movement: "Row", sets: [{ meters: 1000 }] }],
        }),
      );
      expect(logged.totalXp).toBe(10 + logged.xp);
    } finally {
      member.close();
    }
  });

  it("loses no XP when a class result and a logged workout land at the same time (regression: the log wrote XP read before the result's +10)", async () => {
    const members = gym.members.slice(4, 6).map((m) => m.id);
    const sessionId = await openClass(members, true);
    const e = em();
    e.create(ClassWorkoutEntity, {
      id: randomUUID(),
      gymId: gym.gymId,
      sessionId,
      title: "Grace",
      scoreType: "for_time",
      divisions: ["rx", "scaled"],
      setBy: gym.coachId,
      setAt: Date.now() - MIN,
    });
    await e.flush();
    for (const m of members) {
      const member = await connectAs(t.server, m);
      try {
        const [result, logged] = await Promise.all([
          coach.command(`class:${sessionId}`, "class:logResult", {
            sessionId,
            memberId: m,
            score: { type: "for_time", ms: 200_000 },
            division: "rx",
          }),
          member.command(`user:${m}`, "user:logWorkout", { gymId: gym.gymId, exercises: [{ movement: "Row", sets: [{ meters: 500 }] }] }),
        ]);
        ok(result);
        expect((await (await settled()).findOneOrFail(MemberProgressEntity, { gymId: gym.gymId, memberId: m })).xp).toBe(
          10 + ok<{ xp: number }>(logged).xp,
        );
      } finally {
        member.close();
      }
    }
  });
});
