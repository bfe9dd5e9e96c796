/**
 * Walk-ins from the coach's roster (issue 18): book someone into the class and check them in in one step — a member,
 * or a new person added on the spot with a drop-in — over a real server; a full class waitlists them; a retry
 * answers the same without a second person. A coach walks people only into the classes they coach.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BookingEntity, CheckInEntity, UserEntity } from "../../../server/db/entities/index.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { startTestServer, type TestServer } from "../../support/services.js";
import { suiteSockets } from "../../support/sockets.js";

const MIN = 60_000;

describe("roster walk-ins", () => {
  let t: TestServer;
  let gym: GymFixture;
  const sockets = suiteSockets(() => t.server);

  beforeAll(async () => {
    t = await startTestServer();
    gym = await aGym(t.server.db.orm, { members: 3 });
  });
  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
  });

  const soon = (capacity = 10) => gym.addSession({ startsAt: Date.now() + 10 * MIN, endsAt: Date.now() + 70 * MIN, capacity });

  it("the coach books a member into their class and checks them in in one step", async () => {
    const session = await soon();
    const coach = await sockets.connect(gym.coachId);
    const memberId = gym.members[0]!.id;
    const out = await coach.command(`gym:${gym.gymId}`, "gym:rosterWalkIn", { sessionId: session.id, memberId });
    expect(out).toMatchObject({ ok: true, result: { memberId, booking: { status: "booked" }, checkIn: { status: "checked_in" } } });
    const em = t.server.db.orm.em.fork();
    expect(await em.findOneOrFail(BookingEntity, { sessionId: session.id, memberId })).toMatchObject({ status: "checked_in" });
    expect(await em.count(CheckInEntity, { sessionId: session.id, memberId, result: "accepted" })).toBe(1);
    // Already booked and in: a second tap answers without a second check-in.
    const again = await coach.command(`gym:${gym.gymId}`, "gym:rosterWalkIn", { sessionId: session.id, memberId });
    expect(again).toMatchObject({ ok: true, result: { booking: { status: "already_booked" } } });
  });

  it("adds a new person as a drop-in on the spot: one credit sold (open in their account), spent on the booking, checked in; a retry adds nobody twice", async () => {
    const owner = await sockets.connect(gym.ownerId);
    const plan = await owner.command(`gym:${gym.gymId}`, "gym:savePlan", {
      name: "Drop-in",
      kind: "drop_in",
      priceCents: 1500,
      billingPeriod: "once",
      validDays: 1,
      weeklyTarget: 0,
      classTypeIds: [],
    });
    expect(plan).toMatchObject({ ok: true });
    const planId = (plan as { result: { planId: string } }).result.planId;
    const session = await soon();
    const coach = await sockets.connect(gym.coachId);
    const commandId = randomUUID();
    const payload = { sessionId: session.id, newPerson: { name: "Dee Dropin", email: `dee-${commandId.slice(0, 8)}@walk.test` }, planId };
    const out = await coach.command(`gym:${gym.gymId}`, "gym:rosterWalkIn", payload, commandId);
    expect(out).toMatchObject({ ok: true, result: { booking: { status: "booked" }, checkIn: { status: "checked_in" } } });
    const memberId = (out as { result: { memberId: string } }).result.memberId;
    const retry = await coach.command(`gym:${gym.gymId}`, "gym:rosterWalkIn", payload, commandId);
    expect(retry).toMatchObject({ ok: true, result: { memberId } });
    const account = await owner.command(`gym:${gym.gymId}`, "gym:memberAccount", { memberId });
    expect(account).toMatchObject({ ok: true, result: { credits: 0, owedCents: 1500 } });
    const em = t.server.db.orm.em.fork();
    expect(await em.count(BookingEntity, { sessionId: session.id, memberId })).toBe(1);
  });

  it("a full class puts them on the waitlist and checks nobody in; a pack is refused for someone new", async () => {
    const session = await soon(0);
    const coach = await sockets.connect(gym.coachId);
    const memberId = gym.members[1]!.id;
    const out = await coach.command(`gym:${gym.gymId}`, "gym:rosterWalkIn", { sessionId: session.id, memberId });
    expect(out).toMatchObject({ ok: true, result: { booking: { status: "waitlisted" }, checkIn: null } });
    expect(await coach.command(`gym:${gym.gymId}`, "gym:rosterWalkIn", { sessionId: session.id })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED" },
    });
    const member = await sockets.connect(gym.members[2]!.id);
    expect(
      await member.command(`gym:${gym.gymId}`, "gym:rosterWalkIn", { sessionId: session.id, memberId: gym.members[2]!.id }),
    ).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  });

  it("a coach walks people only into the classes they coach (nobody added, nobody booked); the desk into any", async () => {
    const session = await gym.addSession({ startsAt: Date.now() + 10 * MIN, endsAt: Date.now() + 70 * MIN, coachId: null });
    const coach = await sockets.connect(gym.coachId);
    const email = `nope-${randomUUID().slice(0, 8)}@walk.test`;
    const refused = await coach.command(`gym:${gym.gymId}`, "gym:rosterWalkIn", {
      sessionId: session.id,
      newPerson: { name: "No Body", email },
    });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN", message: "Coaches walk people into their own classes — ask the front desk or this class's coach." },
    });
    const em = t.server.db.orm.em.fork();
    expect(await em.count(UserEntity, { email })).toBe(0);
    const memberId = gym.members[2]!.id;
    expect(await coach.command(`gym:${gym.gymId}`, "gym:rosterWalkIn", { sessionId: session.id, memberId })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    expect(await em.count(BookingEntity, { sessionId: session.id })).toBe(0);
    const desk = await sockets.connect(gym.deskId);
    expect(await desk.command(`gym:${gym.gymId}`, "gym:rosterWalkIn", { sessionId: session.id, memberId })).toMatchObject({
      ok: true,
      result: { booking: { status: "booked" }, checkIn: { status: "checked_in" } },
    });
  });
});
