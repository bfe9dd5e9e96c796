/**
 * Issue 18, "Plans, packs and the ledger": a plan entitles only classes on its days and of its class types. Assigned
 * through the protocol, decided by the live class rooms from the node's resident standings — a change reaches them at
 * once — and refused in words. The class's date (gym time) decides, not the day the member books.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shortDate } from "../../../domain/admin/members.js";
import { addDays, localDate, startOfLocalDay } from "../../../domain/schedule/timeZone.js";
import { ClassTypeEntity, GymMembershipEntity } from "../../../server/db/entities/index.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { postgresOrPglite, startTestServer, suiteDatabase, type SuiteDatabase, type TestServer } from "../../support/services.js";
import { suiteSockets, type TestSocket } from "../../support/sockets.js";

const pg = await postgresOrPglite();
const HOUR = 3_600_000;
const TZ = "Europe/Berlin";
const monthly = {
  name: "Monthly",
  kind: "unlimited",
  priceCents: 0,
  billingPeriod: "month",
  weeklyTarget: 2,
  classTypeIds: [] as string[],
};

describe("plan days and class types decide bookings", () => {
  let db: SuiteDatabase;
  let t: TestServer;
  let gym: GymFixture;
  const sockets = suiteSockets(() => t.server);
  let owner: TestSocket;
  let room: string;
  const today = localDate(Date.now(), TZ);
  const em = () => t.server.db.orm.em.fork();
  /** A class at 10:00 gym time, `days` from today, of the fixture's type (Strength) or another. */
  const classOn = (days: number, classTypeId?: string) => {
    const startsAt = startOfLocalDay(addDays(today, days), TZ) + 10 * HOUR;
    return gym.addSession({ startsAt, endsAt: startsAt + HOUR, ...(classTypeId ? { classTypeId } : {}) });
  };
  const book = (s: TestSocket, sessionId: string) => s.command(`class:${sessionId}`, "class:book", { sessionId });
  const savePlan = async (plan: typeof monthly) => {
    const saved = await owner.command(room, "gym:savePlan", plan);
    expect(saved).toMatchObject({ ok: true });
    return (saved as { result: { planId: string } }).result.planId;
  };

  beforeAll(async () => {
    db = await suiteDatabase(pg);
    t = await startTestServer({ ...db.env, SPOTTER_MODE: "embedded", JWT_SECRET: "e".repeat(40) });
    gym = await aGym(t.server.db.orm, { members: 3 });
    room = `gym:${gym.gymId}`;
    owner = await sockets.connect(gym.ownerId);
  }, 60_000);

  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
    await db?.drop();
  });

  it("refuses a class before the plan's first day in words, and books one from that day on", async () => {
    const ann = gym.members[0]!.id;
    const member = await sockets.connect(ann);
    const [before, from] = [await classOn(1), await classOn(3)];
    // Her resident standing is loaded (and booking works) before the plan changes.
    expect(await book(member, gym.sessionId)).toMatchObject({ ok: true });
    const startsOn = addDays(today, 3);
    expect(await owner.command(room, "gym:assignPlan", { memberId: ann, planId: await savePlan(monthly), startsOn })).toMatchObject({
      ok: true,
    });
    expect(await em().findOneOrFail(GymMembershipEntity, { gymId: gym.gymId, userId: ann })).toMatchObject({
      planStartsOn: startsOn,
      planEndsOn: null,
    });
    expect(await book(member, before.id)).toEqual({
      ok: false,
      error: { code: "PLAN_NOT_STARTED", message: `Your plan starts on ${shortDate(startsOn)} — book classes from that day.` },
    });
    expect(await book(member, from.id)).toMatchObject({ ok: true, result: { status: "booked" } });
  });

  it("refuses a class after the plan's last day in words, and books one on its last day", async () => {
    const ben = gym.members[1]!.id;
    const member = await sockets.connect(ben);
    const [last, after] = [await classOn(1), await classOn(2)];
    const endsOn = addDays(today, 1);
    expect(
      await owner.command(room, "gym:assignPlan", {
        memberId: ben,
        planId: await savePlan({ ...monthly, name: "Ten days" }),
        startsOn: addDays(today, -9),
        endsOn,
      }),
    ).toMatchObject({ ok: true });
    expect(await book(member, after.id)).toEqual({
      ok: false,
      error: { code: "PLAN_ENDED", message: `Your plan ended on ${shortDate(endsOn)} — ask the front desk.` },
    });
    expect(await book(member, last.id)).toMatchObject({ ok: true, result: { status: "booked" } });
  });

  it("refuses a class type the plan doesn't cover, naming it, as soon as staff change the plan — at the desk too", async () => {
    const cat = gym.members[2]!.id;
    const member = await sockets.connect(cat);
    const openGym = randomUUID();
    const e = em();
    e.create(ClassTypeEntity, { id: openGym, gymId: gym.gymId, name: "Open Gym", description: "", color: "#00aa00", promotionMode: null });
    await e.flush();
    const [og1, og2, strength] = [await classOn(1, openGym), await classOn(2, openGym), await classOn(2)];
    const soon = await gym.addSession({ classTypeId: openGym, startsAt: Date.now() + 10 * 60_000, endsAt: Date.now() + 70 * 60_000 });
    // On the fixture's plan (every class type) she books Open Gym; her standing is resident from here on.
    for (const s of [og1, soon]) expect(await book(member, s.id)).toMatchObject({ ok: true, result: { status: "booked" } });
    const strengthOnly = await savePlan({ ...monthly, name: "Strength only", classTypeIds: [gym.session.classTypeId] });
    expect(await owner.command(room, "gym:assignPlan", { memberId: cat, planId: strengthOnly })).toMatchObject({ ok: true });
    expect(await book(member, og2.id)).toEqual({
      ok: false,
      error: { code: "CLASS_NOT_COVERED", message: "Your plan doesn't cover Open Gym — ask the front desk." },
    });
    expect(await book(member, strength.id)).toMatchObject({ ok: true, result: { status: "booked" } });
    // Her booking from before the change: the desk refuses the check-in with the same reason, naming the class.
    const desk = await sockets.connect(gym.deskId);
    expect(await desk.command(room, "gym:checkIn", { memberId: cat })).toMatchObject({
      ok: true,
      result: {
        status: "denied",
        reason: "CLASS_NOT_COVERED",
        message: "Your plan doesn't cover Open Gym — ask the front desk.",
        className: "Open Gym",
      },
    });
  });
});
