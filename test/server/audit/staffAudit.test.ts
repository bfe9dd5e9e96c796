/**
 * Issue 14 item 6: staff actions without an audit row. Staff changes outside rooms are audited in their own
 * transaction; staff reads of personal data go through the outbox into the same chain, which stays valid.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAudit } from "../../../server/audit/verifyAudit.js";
import {
  AuditLogEntity,
  AuditOutboxEntity,
  ChallengeEntity,
  ChallengeParticipantEntity,
  ChallengeSubmissionEntity,
  FeedEventEntity,
  ModerationItemEntity,
} from "../../../server/db/entities/index.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { postgresOrPglite, suiteDatabase, startTestServer, type SuiteDatabase, type TestServer } from "../../support/services.js";
import { eventually, suiteSockets } from "../../support/sockets.js";
import { signToken } from "../../../server/auth.js";

const pg = await postgresOrPglite();

describe("staff audit", () => {
  let db: SuiteDatabase;
  let t: TestServer;
  let gym: GymFixture;
  const sockets = suiteSockets(() => t.server);
  const rows = (where: Record<string, unknown>) => t.server.db.orm.em.fork().find(AuditLogEntity, { gymId: gym.gymId, ...where });

  beforeAll(async () => {
    db = await suiteDatabase(pg);
    t = await startTestServer({ ...db.env, SPOTTER_MODE: "embedded", JWT_SECRET: "a".repeat(40) });
    gym = await aGym(t.server.db.orm, { members: 3 });
  }, 60_000);

  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
    await db?.drop();
  });

  it("regression: gym:createChallenge, gym:reviewSubmission and gym:resolveModerationItem left no audit row", async () => {
    const coach = await sockets.connect(gym.coachId);
    const owner = await sockets.connect(gym.ownerId);
    const room = `gym:${gym.gymId}`;
    const now = Date.now();
    const created = await coach.command(
      room,
      "gym:createChallenge",
      { title: "Row 10 km", kind: "distance", target: 10_000, startsAt: now, endsAt: now + 86_400_000 },
      "audit-create-1",
    );
    expect(created).toMatchObject({ ok: true });
    const challengeId = (created as { result: { challengeId: string } }).result.challengeId;

    const em = t.server.db.orm.em.fork();
    const member = gym.members[0]!.id;
    const submissionId = randomUUID();
    const eventId = randomUUID();
    const itemId = randomUUID();
    em.create(ChallengeParticipantEntity, {
      id: randomUUID(),
      challengeId,
      gymId: gym.gymId,
      memberId: member,
      status: "joined",
      joinedAt: now,
      progress: 0,
      completedAt: null,
    });
    em.create(ChallengeSubmissionEntity, {
      id: submissionId,
      challengeId,
      gymId: gym.gymId,
      memberId: member,
      workoutLogId: null,
      amount: 5_000,
      status: "held",
      createdAt: now,
      reviewedBy: null,
      reviewedAt: null,
    });
    em.create(FeedEventEntity, {
      id: eventId,
      gymId: gym.gymId,
      actorId: member,
      kind: "workout_logged",
      visibility: "gym",
      payload: {},
      at: now,
      dedupeKey: null,
      createdAt: now,
    });
    em.create(ModerationItemEntity, {
      id: itemId,
      gymId: gym.gymId,
      reporterId: gym.members[1]!.id,
      targetType: "event",
      targetId: eventId,
      authorId: member,
      excerpt: "x",
      reason: "spam",
      status: "open",
      createdAt: now,
    });
    await em.flush();
    expect(await coach.command(room, "gym:reviewSubmission", { submissionId, approve: true }, "audit-review-1")).toMatchObject({
      ok: true,
      result: { status: "approved" },
    });
    expect(await owner.command(room, "gym:resolveModerationItem", { itemId }, "audit-resolve-1")).toMatchObject({
      ok: true,
      result: { status: "resolved" },
    });

    expect(await rows({ commandId: "audit-create-1" })).toMatchObject([
      { actorId: gym.coachId, role: "coach", action: "gym:createChallenge", entityType: "challenge", entityId: challengeId },
    ]);
    expect(await rows({ commandId: "audit-review-1" })).toMatchObject([
      {
        actorId: gym.coachId,
        action: "gym:reviewSubmission",
        entityId: submissionId,
        summary: { before: { status: "held" }, after: { status: "approved" } },
      },
    ]);
    expect(await rows({ commandId: "audit-resolve-1" })).toMatchObject([
      {
        actorId: gym.ownerId,
        role: "owner",
        action: "gym:resolveModerationItem",
        entityId: itemId,
        summary: { before: { status: "open" }, after: { status: "resolved" } },
      },
    ]);
    // The challenge's title is free text: it stays out of the trail.
    expect(JSON.stringify(await rows({ commandId: "audit-create-1" }))).not.toContain("Row 10 km");
    expect(await t.server.db.orm.em.fork().count(ChallengeEntity, { id: challengeId })).toBe(1);
  });

  it("audits staff reads of personal data through the outbox — search, profile, moderation queue, CSV export, staff view — and the chain stays valid", async () => {
    const desk = await sockets.connect(gym.deskId);
    const room = `gym:${gym.gymId}`;
    expect(await desk.command(room, "gym:searchMembers", { q: "Member" }, "audit-search-1")).toMatchObject({ ok: true });
    expect(await desk.command(room, "gym:memberProfile", { memberId: gym.members[2]!.id }, "audit-profile-1")).toMatchObject({ ok: true });
    expect(await desk.command(room, "gym:moderationItems", {}, "audit-queue-1")).toMatchObject({ ok: true });
    expect((await desk.join(`class:${gym.sessionId}`)).ok).toBe(true);
    const token = await signToken(t.server.jwtSecret!, gym.deskId);
    expect(
      (await fetch(`${t.server.url}/api/gyms/${gym.gymId}/members.csv`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(200);
    // A member's own reads are not staff reads.
    const member = await sockets.connect(gym.members[0]!.id);
    expect((await member.join(`class:${gym.sessionId}`)).ok).toBe(true);

    await eventually(async () => expect(await t.server.db.orm.em.fork().count(AuditOutboxEntity, {})).toBe(0));
    const reads = await rows({ actorId: gym.deskId });
    expect(reads.map((r) => r.action).sort()).toEqual([
      "export:members.csv",
      "gym:memberProfile",
      "gym:moderationItems",
      "gym:searchMembers",
      "room:join",
    ]);
    expect(reads.find((r) => r.action === "gym:searchMembers")).toMatchObject({
      role: "front_desk",
      commandId: "audit-search-1",
      summary: { results: 3 },
    });
    expect(JSON.stringify(reads), "no search text, no contact data").not.toMatch(/"Member"|@test\.spotter/);
    expect(await rows({ actorId: gym.members[0]!.id, action: "room:join" })).toEqual([]);
    expect((await verifyAudit(t.server.db.orm.em.fork(), gym.gymId)).broken).toBeNull();
  });
});
