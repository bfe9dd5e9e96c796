/**
 * Resident standings on two nodes: both hold a member's standing in memory, so both may decide on the
 * same last credit or last weekly slot. The commit's guards must let exactly one through, and an
 * outside change must reach the other node's copy as an invalidation note.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Ack } from "../../../domain/protocol/envelope.js";
import { BookingEntity, GymMembershipEntity, MembershipPlanEntity } from "../../../server/db/entities/index.js";
import { twoNodes } from "../../support/cluster.js";
import { requirePostgres, requireRedis } from "../../support/services.js";
import { connectAs, eventually, type TestSocket } from "../../support/sockets.js";

const pg = await requirePostgres();
const redis = await requireRedis();

/** Retries a client had to make (a refused commit is decided again by the room itself: there should be none). */
let retries = 0;

/** Sends until the answer is definite. */
async function definite(s: TestSocket, room: string, type: string, payload: unknown): Promise<Ack<unknown>> {
  const commandId = randomUUID();
  for (let i = 0; i < 20; i++) {
    const ack = await s.command(room, type, payload, commandId);
    if (ack.ok || ack.error.code !== "UNAVAILABLE") return ack;
    retries += 1;
    await new Promise((r) => setTimeout(r, ack.error.retryAfterMs ?? 200));
  }
  throw new Error(`no definite answer for ${type}`);
}

describe.skipIf(!pg.ok || !redis.ok)("resident standings on two nodes", () => {
  const nodes = twoNodes(pg, redis, "standings", 3);

  /** Two sessions of the same week, the first owned by node A, the second by node B; both nodes hold the gym's standings. */
  const twoRooms = async () => {
    const { a, b, gym, sockets } = nodes;
    const s1 = await gym.addSession({ startsAt: gym.session.startsAt + 3_600_000, endsAt: gym.session.startsAt + 7_200_000 });
    const s2 = await gym.addSession({ startsAt: gym.session.startsAt + 7_200_000, endsAt: gym.session.startsAt + 10_800_000 });
    const coachA = await connectAs(a.server, gym.coachId);
    const coachB = await connectAs(b.server, gym.coachId);
    sockets.push(coachA, coachB);
    expect(await coachA.join(`class:${s1.id}`)).toMatchObject({ ok: true });
    expect(await coachB.join(`class:${s2.id}`)).toMatchObject({ ok: true });
    expect(a.server.router.isLocal(`class:${s1.id}`) && b.server.router.isLocal(`class:${s2.id}`)).toBe(true);
    return { s1, s2 };
  };

  const plan = async (memberId: string, entitlement: object, credits: number | null) => {
    const em = nodes.a.server.db.orm.em.fork();
    const planId = randomUUID();
    em.create(MembershipPlanEntity, {
      id: planId,
      gymId: nodes.gym.gymId,
      name: `plan ${planId.slice(0, 4)}`,
      entitlement: entitlement as never,
      weeklyTarget: 1,
      priceCents: 100,
    });
    await em.flush();
    await em.nativeUpdate(GymMembershipEntity, { gymId: nodes.gym.gymId, userId: memberId }, { planId, credits });
    nodes.a.server.standings.invalidateMember(nodes.gym.gymId, memberId);
  };

  const liveBookings = (memberId: string) =>
    nodes.a.server.db.orm.em.fork().count(BookingEntity, { gymId: nodes.gym.gymId, memberId, status: { $in: ["booked", "checked_in"] } });

  /** The same member books one session on each node at once. */
  const race = async (memberId: string) => {
    const { s1, s2 } = await twoRooms();
    const onA = await connectAs(nodes.a.server, memberId);
    const onB = await connectAs(nodes.b.server, memberId);
    nodes.sockets.push(onA, onB);
    // Both nodes hold the member's current standing before the race (each decides from memory).
    expect(await onA.join(`class:${s1.id}`)).toMatchObject({ ok: true });
    expect(await onB.join(`class:${s2.id}`)).toMatchObject({ ok: true });
    return Promise.all([
      definite(onA, `class:${s1.id}`, "class:book", { sessionId: s1.id }),
      definite(onB, `class:${s2.id}`, "class:book", { sessionId: s2.id }),
    ]);
  };

  it("gives a member's last pack credit to exactly one of two nodes booking it at once", async () => {
    const member = nodes.gym.members[0]!.id;
    await plan(member, { kind: "pack", credits: 10, validDays: 90 }, 1);
    retries = 0;
    const acks = await race(member);
    expect(acks.filter((x) => x.ok)).toHaveLength(1);
    expect(acks.find((x) => !x.ok)).toMatchObject({ ok: false, error: { code: "NO_CREDITS" } });
    expect(retries).toBe(0);
    const m = await nodes.a.server.db.orm.em.fork().findOneOrFail(GymMembershipEntity, { gymId: nodes.gym.gymId, userId: member });
    expect(m.credits).toBe(0);
    expect(await liveBookings(member)).toBe(1);
  });

  it("gives a member's last weekly slot to exactly one of two nodes booking it at once", async () => {
    const member = nodes.gym.members[1]!.id;
    await plan(member, { kind: "weekly", classesPerWeek: 1 }, null);
    retries = 0;
    const acks = await race(member);
    expect(acks.filter((x) => x.ok)).toHaveLength(1);
    expect(acks.find((x) => !x.ok)).toMatchObject({ ok: false, error: { code: "WEEKLY_LIMIT_REACHED" } });
    expect(retries).toBe(0);
    expect(await liveBookings(member)).toBe(1);
  });

  it("drops a member's resident standing on every node when it changes outside the class rooms", async () => {
    const { gym, a, b, sockets } = nodes;
    const member = gym.members[2]!.id;
    const onB = await connectAs(b.server, member);
    sockets.push(onB);
    expect(await onB.join(`gym:${gym.gymId}`)).toMatchObject({ ok: true });
    await a.server.db.orm.em.fork().nativeUpdate(GymMembershipEntity, { gymId: gym.gymId, userId: member }, { status: "cancelled" });
    a.server.standings.invalidateMember(gym.gymId, member);
    await eventually(async () => expect(await onB.join(`gym:${gym.gymId}`)).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } }));
  });
});
