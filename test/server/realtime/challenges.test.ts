/**
 * Challenges over real sockets against a real server on PostgreSQL: staff create them, members join
 * and leave, logged workouts and attendance count, implausible jumps are held for staff review,
 * completion and joining make feed events, and nothing crosses gyms.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ack } from "../../../domain/protocol/envelope.js";
import {
  AttendanceEventEntity,
  ChallengeEntity,
  ChallengeParticipantEntity,
  ChallengeSubmissionEntity,
  ClassWorkoutEntity,
  FeedEventEntity,
} from "../../../server/db/entities/index.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { postgresOrPglite, suiteDatabase, startTestServer, type SuiteDatabase, type TestServer } from "../../support/services.js";
import { connectAs, type TestSocket } from "../../support/sockets.js";

const pg = await postgresOrPglite();
const DAY = 86_400_000;

const ok = <T>(ack: Ack<unknown>): T => {
  if (!ack.ok) throw new Error(`expected ok, got ${JSON.stringify(ack.error)}`);
  return ack.result as T;
};
type Listed = {
  challenges: { challengeId: string; participants: number; me: { status: string; progress: number } | null }[];
  held?: { submissionId: string; challengeId: string; amount: number; name: string }[];
};

describe("challenges", () => {
  let t: TestServer;
  let db: SuiteDatabase;
  let gym: GymFixture;
  let other: GymFixture;
  const sockets = new Map<string, TestSocket>();
  const as = async (userId: string) => {
    const existing = sockets.get(userId);
    if (existing) return existing;
    const s = await connectAs(t.server, userId);
    sockets.set(userId, s);
    return s;
  };
  const em = () => t.server.db.orm.em.fork();
  const q = async (userId: string, type: string, payload: object, gymId = gym.gymId) =>
    (await as(userId)).command(`gym:${gymId}`, type, payload);
  const row = async (userId: string, meters: number) =>
    (await as(userId)).command(`user:${userId}`, "user:logWorkout", {
      gymId: gym.gymId,
      exercises: [{ movement: "Row", sets: [{ meters, ms: meters * 200 }] }],
    });
  const create = async (payload: object) => ok<{ challengeId: string }>(await q(gym.coachId, "gym:createChallenge", payload)).challengeId;
  const window = () => ({ startsAt: Date.now() - DAY, endsAt: Date.now() + 27 * DAY });
  const mine = async (userId: string, challengeId: string) =>
    ok<Listed>(await q(userId, "gym:challenges", {})).challenges.find((c) => c.challengeId === challengeId)!;

  beforeAll(async () => {
    db = await suiteDatabase(pg);
    t = await startTestServer({ ...db.env, SPOTTER_MODE: "embedded", JWT_SECRET: "c".repeat(40), COMMANDS_PER_SECOND: "1000" });
    gym = await aGym(t.server.db.orm, { members: 10 });
    other = await aGym(t.server.db.orm, { members: 1 });
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets.values()) s.close();
    await t?.cleanup();
    await db?.drop();
  });

  it("lets owners, admins and coaches create challenges, not the front desk or members, and checks the dates", async () => {
    const payload = { title: "100 km rowed", kind: "distance", target: 100_000, movement: "Row", ...window() };
    expect(await q(gym.ownerId, "gym:createChallenge", payload)).toMatchObject({ ok: true, result: { challengeId: expect.any(String) } });
    expect(await q(gym.deskId, "gym:createChallenge", payload)).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await q(gym.members[0]!.id, "gym:createChallenge", payload)).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    const backwards = await q(gym.coachId, "gym:createChallenge", { ...payload, endsAt: payload.startsAt - DAY });
    expect(backwards).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", fields: { endsAt: expect.any(String) } } });
    const unknownKind = await q(gym.coachId, "gym:createChallenge", { ...payload, kind: "vibes" });
    expect(unknownKind).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", fields: { kind: expect.any(String) } } });
  });

  it("counts logged rows for joined members, holds an implausible jump for review, and a coach's approval counts it", async () => {
    const challengeId = await create({ title: "100 km rowed", kind: "distance", target: 100_000, movement: "row", ...window() });
    const [m, bystander] = [gym.members[0]!.id, gym.members[1]!.id];
    // Before joining, rows don't count.
    ok(await row(m, 3000));
    expect(ok(await q(m, "gym:joinChallenge", { challengeId }))).toEqual({ challengeId, status: "joined", progress: 0 });
    expect(ok(await q(m, "gym:joinChallenge", { challengeId }))).toEqual({ challengeId, status: "joined", progress: 0 });
    expect(await em().count(FeedEventEntity, { actorId: m, kind: "challenge_joined" })).toBe(1);

    expect(ok<{ challenges: unknown[] }>(await row(m, 5000)).challenges).toEqual([
      { challengeId, title: "100 km rowed", amount: 5000, status: "counted", completed: false },
    ]);
    expect(ok<{ challenges: unknown[] }>(await row(m, 60_000)).challenges).toEqual([
      { challengeId, title: "100 km rowed", amount: 60_000, status: "held", completed: false },
    ]);
    expect((await mine(m, challengeId)).me).toMatchObject({ status: "joined", progress: 5000 });

    // Members and the front desk never see the review queue; those who review it do.
    expect(ok<Listed>(await q(bystander, "gym:challenges", {})).held).toBeUndefined();
    expect(ok<Listed>(await q(gym.deskId, "gym:challenges", {})).held).toBeUndefined();
    const held = ok<Listed>(await q(gym.coachId, "gym:challenges", {})).held!.filter((h) => h.challengeId === challengeId);
    expect(held).toEqual([expect.objectContaining({ amount: 60_000, name: gym.members[0]!.name })]);
    const submissionId = held[0]!.submissionId;
    for (const who of [m, gym.deskId]) {
      expect(await q(who, "gym:reviewSubmission", { submissionId, approve: true })).toMatchObject({
        ok: false,
        error: { code: "FORBIDDEN" },
      });
    }
    expect(ok(await q(gym.coachId, "gym:reviewSubmission", { submissionId, approve: true }))).toEqual({
      submissionId,
      status: "approved",
      progress: 65_000,
      completed: false,
    });
    expect(await q(gym.coachId, "gym:reviewSubmission", { submissionId, approve: false })).toMatchObject({
      ok: false,
      error: { code: "CONFLICT" },
    });
    expect((await mine(m, challengeId)).me).toMatchObject({ progress: 65_000 });
    expect((await mine(m, challengeId)).participants).toBe(1);
  });

  it("never counts a rejected submission", async () => {
    const challengeId = await create({ title: "Marathon month", kind: "distance", target: 200_000, ...window() });
    const m = gym.members[2]!.id;
    ok(await q(m, "gym:joinChallenge", { challengeId }));
    ok(await row(m, 45_000));
    const submission = await em().findOneOrFail(ChallengeSubmissionEntity, { challengeId, memberId: m });
    expect(submission.status).toBe("held");
    expect(ok(await q(gym.ownerId, "gym:reviewSubmission", { submissionId: submission.id, approve: false }))).toMatchObject({
      status: "rejected",
      progress: 0,
    });
    expect((await mine(m, challengeId)).me).toMatchObject({ progress: 0 });
  });

  it("completes a member at the target with one challenge_completed event, and stops counting after they leave", async () => {
    const challengeId = await create({ title: "10 km week", kind: "distance", target: 10_000, ...window() });
    const [m, leaver] = [gym.members[3]!.id, gym.members[4]!.id];
    for (const who of [m, leaver]) ok(await q(who, "gym:joinChallenge", { challengeId }));
    ok(await row(m, 6000));
    expect(ok<{ challenges: { completed: boolean }[] }>(await row(m, 4000)).challenges).toEqual([
      expect.objectContaining({ completed: true }),
    ]);
    ok(await row(m, 4000));
    expect((await mine(m, challengeId)).me).toMatchObject({ status: "completed", progress: 14_000 });
    const done = await em().find(FeedEventEntity, { actorId: m, kind: "challenge_completed" });
    expect(done.map((e) => e.payload)).toEqual([{ challengeId, title: "10 km week", kind: "distance", target: 10_000 }]);

    ok(await row(leaver, 2000));
    expect(ok(await q(leaver, "gym:leaveChallenge", { challengeId }))).toEqual({ challengeId, status: "left" });
    expect(await q(leaver, "gym:leaveChallenge", { challengeId })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    ok(await row(leaver, 9000));
    expect((await mine(leaver, challengeId)).me).toMatchObject({ status: "left", progress: 2000 });
    // Rejoining keeps the progress and counts again.
    expect(ok(await q(leaver, "gym:joinChallenge", { challengeId }))).toMatchObject({ status: "joined", progress: 2000 });
    expect(await em().count(FeedEventEntity, { actorId: leaver, kind: "challenge_joined" })).toBe(1);
  });

  it("counts attendance in the window for attendance challenges and completes them when the member next looks", async () => {
    const challengeId = await create({ title: "3 classes in 4 weeks", kind: "attendance", target: 3, ...window() });
    const m = gym.members[5]!.id;
    const e = em();
    const now = Date.now();
    // Two attendances inside the window, one before it starts.
    for (const at of [now - 2 * 3_600_000, now - 3_600_000, now - 3 * DAY])
      e.create(AttendanceEventEntity, { id: randomUUID(), gymId: gym.gymId, memberId: m, sessionId: null, at });
    await e.flush();
    expect(ok(await q(m, "gym:joinChallenge", { challengeId }))).toMatchObject({ status: "joined", progress: 2 });
    const e2 = em();
    e2.create(AttendanceEventEntity, { id: randomUUID(), gymId: gym.gymId, memberId: m, sessionId: null, at: Date.now() - 1000 });
    await e2.flush();
    expect((await mine(m, challengeId)).me).toMatchObject({ status: "completed", progress: 3 });
    expect(await em().count(FeedEventEntity, { actorId: m, kind: "challenge_completed" })).toBe(1);
  });

  it("refuses joining or leaving after the end with CHALLENGE_ENDED, and changes nothing", async () => {
    const e = em();
    const ended = {
      id: randomUUID(),
      gymId: gym.gymId,
      title: "Last month",
      kind: "attendance" as const,
      target: 5,
      movement: null,
      startsAt: Date.now() - 30 * DAY,
      endsAt: Date.now() - DAY,
      createdBy: gym.coachId,
      createdAt: Date.now() - 30 * DAY,
    };
    e.create(ChallengeEntity, ended);
    await e.flush();
    const m = gym.members[6]!.id;
    expect(await q(m, "gym:joinChallenge", { challengeId: ended.id })).toMatchObject({ ok: false, error: { code: "CHALLENGE_ENDED" } });
    expect(await q(m, "gym:leaveChallenge", { challengeId: ended.id })).toMatchObject({ ok: false, error: { code: "CHALLENGE_ENDED" } });
    expect(await em().count(ChallengeParticipantEntity, { challengeId: ended.id })).toBe(0);
  });

  it("keeps challenges inside their gym: another gym's member gets NOT_FOUND and its own gym doesn't know the id", async () => {
    const challengeId = await create({ title: "Gym only", kind: "attendance", target: 2, ...window() });
    const outsider = other.members[0]!.id;
    expect(await q(outsider, "gym:joinChallenge", { challengeId })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(await q(outsider, "gym:joinChallenge", { challengeId }, other.gymId)).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(ok<Listed>(await q(outsider, "gym:challenges", {}, other.gymId)).challenges).toEqual([]);
    const held = await q(other.ownerId, "gym:reviewSubmission", { submissionId: randomUUID(), approve: true }, other.gymId);
    expect(held).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(await em().count(ChallengeParticipantEntity, { challengeId })).toBe(0);
  });

  it("counts a member's first distance result of a class workout naming the movement, holds an implausible one, and not a replaced result again", async () => {
    const challengeId = await create({ title: "Row the Rhine", kind: "distance", target: 1_000_000, movement: "Row", ...window() });
    const [m, big] = [gym.members[7]!.id, gym.members[8]!.id];
    for (const who of [m, big]) ok(await q(who, "gym:joinChallenge", { challengeId }));
    const now = Date.now();
    const session = await gym.addSession({ startsAt: now - 10 * 60_000, endsAt: now + 50 * 60_000 });
    const e = em();
    e.create(ClassWorkoutEntity, {
      id: randomUUID(),
      gymId: gym.gymId,
      sessionId: session.id,
      title: "10k Row for distance",
      scoreType: "distance",
      divisions: ["rx", "scaled"],
      setBy: gym.coachId,
      setAt: now - 60_000,
    });
    await e.flush();
    const coach = await as(gym.coachId);
    const log = (memberId: string, meters: number) =>
      coach.command(`class:${session.id}`, "class:logResult", {
        sessionId: session.id,
        memberId,
        score: { type: "distance", meters },
        division: "rx",
      });
    ok(await log(m, 10_000));
    ok(await log(m, 12_000)); // a correction: the first result already counted
    ok(await log(big, 60_000));
    expect((await mine(m, challengeId)).me).toMatchObject({ progress: 10_000 });
    expect((await mine(big, challengeId)).me).toMatchObject({ progress: 0 });
    const subs = await em().find(ChallengeSubmissionEntity, { challengeId }, { orderBy: { amount: "asc" } });
    expect(subs.map((x) => [x.memberId, x.amount, x.status, x.workoutLogId, typeof x.resultId])).toEqual([
      [m, 10_000, "counted", null, "string"],
      [big, 60_000, "held", null, "string"],
    ]);
    // Regression: a class result's held entry told nobody (only logged workouts did). Now as a logged workout does:
    // the member, and the gym's reviewers (owners, admins, coaches), in the transaction that holds it.
    const told = (userId: string, kind: string) =>
      em()
        .getConnection()
        .execute<{ text: string }[]>(`select text from notice where user_id = ? and kind = ? order by at`, [userId, kind]);
    await expect
      .poll(() => told(big, "challenge"))
      .toEqual([{ text: "Your entry for “Row the Rhine” is held for a coach to check — it counts once approved." }]);
    for (const staff of [gym.ownerId, gym.coachId])
      expect(await told(staff, "challenge_review")).toContainEqual({
        text: "A challenge entry for “Row the Rhine” is waiting for your review.",
      });
    expect(await told(gym.deskId, "challenge_review")).toEqual([]);
    expect(await told(m, "challenge")).toEqual([]);
    expect(await told(big, "challenge_review")).toEqual([]);
  });
});
