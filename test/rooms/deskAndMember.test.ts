/**
 * The gym room (front desk check-ins, live stream, KPIs) and the member's own room (positions,
 * promotion notices) over real sockets against a real server on embedded PGlite.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ack, JoinResult } from "../../domain/protocol/envelope.js";
import { applyPatch } from "../../domain/protocol/patch.js";
import type { StaffClassView } from "../../domain/views/classView.js";
import type { StaffGymView } from "../../domain/views/gymView.js";
import type { UserView } from "../../domain/views/userView.js";
import { CheckInEntity } from "../../server/db/entities/index.js";
import { aGym, type GymFixture } from "../support/gymFixture.js";
import { startTestServer, type TestServer } from "../support/services.js";
import { suiteSockets, eventually, type TestSocket } from "../support/sockets.js";

const ok = <T>(ack: Ack<T>): T => {
  if (!ack.ok) throw new Error(`expected ok, got ${JSON.stringify(ack.error)}`);
  return ack.result;
};

/** Keeps a live copy of a room's view by applying its deltas, as a client does. */
async function watch<V>(s: TestSocket, room: string): Promise<() => V> {
  const joined = ok(await s.join(room)) as Extract<JoinResult<V>, { snapshot: V }>;
  let view = joined.snapshot;
  let seq = joined.seq;
  s.socket.on("room:delta", (d: { room: string; seq: number; ops: never[] }) => {
    if (d.room !== room) return;
    expect(d.seq).toBe(seq + 1);
    seq = d.seq;
    view = applyPatch(view, d.ops);
  });
  return () => view;
}

describe("the front desk and the member's own room", () => {
  let t: TestServer;
  let gym: GymFixture;
  const sockets = suiteSockets(() => t.server);
  const connect = sockets.connect;

  beforeAll(async () => {
    t = await startTestServer({ COMMANDS_PER_SECOND: "1000" });
    gym = await aGym(t.server.db.orm, {
      capacity: 10,
      members: 6,
      startsInMinutes: 10,
      memberStatus: (i) => (i === 5 ? "frozen" : "active"),
    });
  }, 60_000);

  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
  });

  it("checks a booked member in at the desk and shows it on the desk stream and the class roster", async () => {
    const [a, b] = gym.members;
    const room = `class:${gym.sessionId}`;
    ok(await (await connect(a!.id)).command(room, "class:book", { sessionId: gym.sessionId }));
    ok(await (await connect(b!.id)).command(room, "class:book", { sessionId: gym.sessionId }));
    const desk = await connect(gym.deskId);
    const gymView = await watch<StaffGymView>(desk, `gym:${gym.gymId}`);
    const coach = await connect(gym.coachId);
    const roster = await watch<StaffClassView>(coach, room);

    const answer = ok(await desk.command(`gym:${gym.gymId}`, "gym:checkIn", { memberId: a!.id })) as Record<string, unknown>;
    expect(answer).toMatchObject({ status: "checked_in", memberName: a!.name, className: "Strength" });
    await eventually(() => {
      expect(Object.values(roster().roster).find((r) => r.memberId === a!.id)?.status).toBe("checked_in");
      expect(gymView().checkIns[0]).toMatchObject({ memberId: a!.id, result: "accepted", className: "Strength" });
      expect(gymView().kpis.checkIns).toBe(1);
      expect(gymView().schedule[gym.sessionId]?.checkedIn).toBe(1);
    });
    const twice = ok(await desk.command(`gym:${gym.gymId}`, "gym:checkIn", { memberId: a!.id }));
    expect(twice).toMatchObject({ status: "already_checked_in" });
  });

  it("checks a member in by their signed code and refuses a forged one", async () => {
    const b = gym.members[1]!;
    const member = await connect(b.id);
    const { code } = ok(await member.command(`user:${b.id}`, "user:checkInCode", {})) as { code: string };
    expect(code).not.toBe(b.id);
    const desk = await connect(gym.deskId);
    expect(ok(await desk.command(`gym:${gym.gymId}`, "gym:checkIn", { code }))).toMatchObject({ status: "checked_in" });
    const forged = code.slice(0, -3) + "AAA";
    expect(ok(await desk.command(`gym:${gym.gymId}`, "gym:checkIn", { code: forged }))).toMatchObject({
      status: "denied",
      reason: "UNKNOWN_MEMBER",
    });
  });

  it("denies frozen and unbooked members with the reason, and records every denial", async () => {
    const desk = await connect(gym.deskId);
    const frozen = gym.members[5]!;
    const unbooked = gym.members[2]!;
    expect(ok(await desk.command(`gym:${gym.gymId}`, "gym:checkIn", { memberId: frozen.id }))).toMatchObject({
      status: "denied",
      reason: "MEMBERSHIP_FROZEN",
      message: expect.stringMatching(/frozen/i),
    });
    expect(ok(await desk.command(`gym:${gym.gymId}`, "gym:checkIn", { memberId: unbooked.id }))).toMatchObject({
      status: "denied",
      reason: "NO_BOOKING",
    });
    const denied = await t.server.db.orm.em.fork().find(CheckInEntity, { gymId: gym.gymId, result: "denied" });
    expect(denied.map((d) => d.reason).sort()).toEqual(expect.arrayContaining(["MEMBERSHIP_FROZEN", "NO_BOOKING"]));
  });

  it("checks an unbooked member in for open gym when the desk asks for it", async () => {
    const desk = await connect(gym.deskId);
    const walkIn = gym.members[4]!;
    expect(ok(await desk.command(`gym:${gym.gymId}`, "gym:checkIn", { memberId: walkIn.id, openGym: true }))).toMatchObject({
      status: "checked_in",
      className: null,
    });
    expect(ok(await desk.command(`gym:${gym.gymId}`, "gym:checkIn", { memberId: walkIn.id, openGym: true }))).toMatchObject({
      status: "already_checked_in",
    });
  });

  it("refuses desk check-ins from members", async () => {
    const member = await connect(gym.members[3]!.id);
    const answer = await member.command(`gym:${gym.gymId}`, "gym:checkIn", { memberId: gym.members[0]!.id });
    expect(answer).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  });

  it("tells a waitlisted member at once when a cancellation promotes them", async () => {
    // Far enough ahead that a freed spot is promoted automatically (before the auto-promotion cut-off).
    const startsAt = Date.now() + 24 * 3_600_000;
    const session = await gym.addSession({ capacity: 1, startsAt, endsAt: startsAt + 3_600_000 });
    const room = `class:${session.id}`;
    const [, , , x, y] = gym.members;
    const first = await connect(x!.id);
    ok(await first.command(room, "class:book", { sessionId: session.id }));
    const second = await connect(y!.id);
    const mine = await watch<UserView>(second, `user:${y!.id}`);
    expect(ok(await second.command(room, "class:book", { sessionId: session.id, waitlist: true }))).toMatchObject({
      status: "waitlisted",
      position: 1,
    });
    await eventually(() => expect(Object.values(mine().waitlist)[0]).toMatchObject({ sessionId: session.id, position: 1 }));
    ok(await first.command(room, "class:cancelBooking", { sessionId: session.id }));
    await eventually(() => {
      expect(Object.values(mine().notices).map((n) => n.text)).toContainEqual(expect.stringMatching(/^You're in: .* Strength$/));
      expect(Object.values(mine().bookings).find((b) => b.sessionId === session.id)?.status).toBe("booked");
      expect(Object.values(mine().waitlist)).toHaveLength(0);
    }, 1_000);
  });

  it("does not let anyone watch another member's own room", async () => {
    const s = await connect(gym.members[0]!.id);
    expect(await s.join(`user:${gym.members[1]!.id}`)).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });
});
