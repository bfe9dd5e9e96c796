/**
 * Issue 18 "Walk-ins" at the desk, over a real server: a member who isn't booked is refused with the class the desk
 * would check them into, and one `gym:rosterWalkIn` (its command id retried) books and checks them in, audited; a new
 * person is added as a drop-in (the fee an open sale in their account) and checked in; a plan that is no drop-in or
 * trial is refused before anyone is added (it used to add them first).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditLogEntity, BookingEntity, CheckInEntity, UserEntity } from "../../../server/db/entities/index.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { startTestServer, type TestServer } from "../../support/services.js";
import { suiteSockets } from "../../support/sockets.js";

const MIN = 60_000;
const plan = (name: string, kind: "drop_in" | "pack", priceCents: number) => ({
  name,
  kind,
  priceCents,
  billingPeriod: "once",
  validDays: 1,
  weeklyTarget: 0,
  classTypeIds: [],
  ...(kind === "pack" ? { credits: 10, validDays: 90 } : {}),
});

describe("walk-ins at the desk", () => {
  let t: TestServer;
  let gym: GymFixture;
  let sessionId = "";
  const sockets = suiteSockets(() => t.server);
  const room = () => `gym:${gym.gymId}`;

  beforeAll(async () => {
    t = await startTestServer();
    gym = await aGym(t.server.db.orm, { members: 2 });
    // Before the gym room loads: today's class, open for check-in (30 minutes before the start by default).
    sessionId = (await gym.addSession({ startsAt: Date.now() + 10 * MIN, endsAt: Date.now() + 70 * MIN })).id;
  });
  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
  });

  it("offers an unbooked member today's open class, then books and checks them in in one audited, idempotent request", async () => {
    const desk = await sockets.connect(gym.deskId);
    const memberId = gym.members[0]!.id;
    const refused = await desk.command(room(), "gym:checkIn", { memberId, source: "desk" });
    expect(refused).toMatchObject({
      ok: true,
      result: { status: "denied", reason: "NO_BOOKING", walkIn: { sessionId, className: "Strength", full: false } },
    });
    const commandId = randomUUID();
    const out = await desk.command(room(), "gym:rosterWalkIn", { sessionId, memberId }, commandId);
    expect(out).toMatchObject({ ok: true, result: { memberId, booking: { status: "booked" }, checkIn: { status: "checked_in" } } });
    expect(await desk.command(room(), "gym:rosterWalkIn", { sessionId, memberId }, commandId)).toEqual(out);
    const em = t.server.db.orm.em.fork();
    expect(await em.count(BookingEntity, { sessionId, memberId })).toBe(1);
    expect(await em.count(CheckInEntity, { sessionId, memberId, result: "accepted" })).toBe(1);
    // Audited with each room's commit, as the desk member who asked; the retry wrote nothing more.
    const audited = await em.find(AuditLogEntity, {
      gymId: gym.gymId,
      actorId: gym.deskId,
      action: { $in: ["class:book", "class:checkIn"] },
    });
    expect(audited.map((a) => `${a.action} ${a.entityType}`).sort()).toEqual([
      "class:book booking",
      "class:checkIn attendance",
      "class:checkIn booking",
      "class:checkIn check_in",
    ]);
  });

  it("adds a new person as a drop-in and checks them in: the fee is an open sale in their account", async () => {
    const owner = await sockets.connect(gym.ownerId);
    const saved = await owner.command(room(), "gym:savePlan", plan("Drop-in", "drop_in", 1800));
    expect(saved).toMatchObject({ ok: true });
    const planId = (saved as { result: { planId: string } }).result.planId;
    const desk = await sockets.connect(gym.deskId);
    const email = `dana-${randomUUID().slice(0, 8)}@walk.test`;
    const out = await desk.command(room(), "gym:walkIn", { name: "Dana Dropin", email, planId });
    expect(out).toMatchObject({ ok: true, result: { checkIn: { status: "checked_in", memberName: "Dana Dropin" } } });
    const memberId = (out as { result: { memberId: string } }).result.memberId;
    expect(await owner.command(room(), "gym:memberAccount", { memberId })).toMatchObject({ ok: true, result: { owedCents: 1800 } });
  });

  it("refuses a pack for someone new in words, before anyone is added", async () => {
    const owner = await sockets.connect(gym.ownerId);
    const saved = await owner.command(room(), "gym:savePlan", plan("Ten pack", "pack", 12000));
    const planId = (saved as { result: { planId: string } }).result.planId;
    const desk = await sockets.connect(gym.deskId);
    const email = `pat-${randomUUID().slice(0, 8)}@walk.test`;
    for (const [type, payload] of [
      ["gym:walkIn", { name: "Pat Pack", email, planId }],
      ["gym:rosterWalkIn", { sessionId, newPerson: { name: "Pat Pack", email }, planId }],
    ] as const)
      expect(await desk.command(room(), type, payload)).toMatchObject({
        ok: false,
        error: { code: "VALIDATION_FAILED", message: "Someone added on the spot gets a drop-in or a trial." },
      });
    expect(await t.server.db.orm.em.fork().count(UserEntity, { email })).toBe(0);
  });
});
