/**
 * Issue 19 item 4: the answer to a check-in carries the member's streak from the one definition (nextStreak over the
 * stored streak), decided in the room from the resident copy; the after-commit step only stores the same number.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, localDate } from "../../../domain/schedule/timeZone.js";
import { AttendanceEventEntity, MemberProgressEntity } from "../../../server/db/entities/index.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { postgresOrPglite, suiteDatabase, startTestServer, type SuiteDatabase, type TestServer } from "../../support/services.js";
import { suiteSockets } from "../../support/sockets.js";

const pg = await postgresOrPglite();
const MIN = 60_000;
const DAY = 86_400_000;
const TZ = "Europe/Berlin";

describe("the streak in check-in answers", () => {
  let db: SuiteDatabase;
  let t: TestServer;
  let gym: GymFixture;
  const sockets = suiteSockets(() => t.server);
  const today = () => localDate(Date.now(), TZ);

  beforeAll(async () => {
    db = await suiteDatabase(pg);
    t = await startTestServer({ ...db.env, SPOTTER_MODE: "embedded", JWT_SECRET: "s".repeat(40) });
    gym = await aGym(t.server.db.orm, { members: 4 });
    const em = t.server.db.orm.em.fork();
    const [stored, historyOnly] = gym.members;
    // A stored streak of 4 ending yesterday; a member with only history (two days in a row, no progress row yet).
    em.create(MemberProgressEntity, {
      id: randomUUID(),
      gymId: gym.gymId,
      memberId: stored!.id,
      xp: 0,
      workouts: 0,
      streak: 4,
      bestStreak: 4,
      lastActiveDay: addDays(today(), -1),
      updatedAt: Date.now(),
    });
    for (const daysAgo of [1, 2, 5])
      em.create(AttendanceEventEntity, {
        id: randomUUID(),
        gymId: gym.gymId,
        memberId: historyOnly!.id,
        sessionId: null,
        at: Date.now() - daysAgo * DAY,
      });
    await em.flush();
  }, 60_000);

  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
    await db?.drop();
  });

  const storedStreak = async (memberId: string) =>
    (await t.server.db.orm.em.fork().findOne(MemberProgressEntity, { gymId: gym.gymId, memberId }))?.streak ?? null;

  it("a desk check-in into a booked class answers the stored streak plus today, and the after-commit step stores the same", async () => {
    const member = gym.members[0]!;
    const session = await gym.addSession({ startsAt: Date.now() + 10 * MIN, endsAt: Date.now() + 70 * MIN });
    const s = await sockets.connect(member.id);
    expect(await s.command(`class:${session.id}`, "class:book", { sessionId: session.id })).toMatchObject({ ok: true });
    const desk = await sockets.connect(gym.deskId);
    const answer = await desk.command(`gym:${gym.gymId}`, "gym:checkIn", { memberId: member.id });
    expect(answer).toMatchObject({ ok: true, result: { status: "checked_in", streak: 5, memberName: member.name } });
    await expect.poll(() => storedStreak(member.id), { timeout: 10_000 }).toBe(5);
  });

  it("open gym answers the streak read off the history when no streak is stored yet, and the after-commit step stores the same", async () => {
    const member = gym.members[1]!;
    const desk = await sockets.connect(gym.deskId);
    const first = await desk.command(`gym:${gym.gymId}`, "gym:checkIn", { memberId: member.id, openGym: true });
    expect(first).toMatchObject({ ok: true, result: { status: "checked_in", streak: 3 } });
    await expect.poll(() => storedStreak(member.id), { timeout: 10_000 }).toBe(3);
  });

  it("a roster check-in answers the streak (1 on a first active day), and a second class that day answers the same", async () => {
    const member = gym.members[2]!;
    const session = await gym.addSession({ startsAt: Date.now() + 10 * MIN, endsAt: Date.now() + 70 * MIN });
    const s = await sockets.connect(member.id);
    expect(await s.command(`class:${session.id}`, "class:book", { sessionId: session.id })).toMatchObject({ ok: true });
    const coach = await sockets.connect(gym.coachId);
    expect(await coach.command(`class:${session.id}`, "class:checkIn", { sessionId: session.id, memberId: member.id })).toMatchObject({
      ok: true,
      result: { status: "checked_in", streak: 1 },
    });
    // The resident copy moved with the commit: a second class today answers the same streak.
    const later = await gym.addSession({ startsAt: Date.now() + 20 * MIN, endsAt: Date.now() + 80 * MIN });
    expect(await s.command(`class:${later.id}`, "class:book", { sessionId: later.id })).toMatchObject({ ok: true });
    expect(await coach.command(`class:${later.id}`, "class:checkIn", { sessionId: later.id, memberId: member.id })).toMatchObject({
      ok: true,
      result: { status: "checked_in", streak: 1 },
    });
  });
});
