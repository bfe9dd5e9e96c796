/**
 * Every notice kind of issue 20 written in the commit of the event that caused it, through the real requests: a
 * freeze and its end, a pack running low, a challenge entry held (member and reviewers) and reviewed, a report
 * (owners and admins, never the reported author), its outcome (the reporter), a reaction or a comment (the author), and a member
 * at a class without a signed waiver (its coach). A send that joins a transaction that rolls back leaves nothing.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "../../../domain/errors.js";
import { ChallengeParticipantEntity, FeedEventEntity } from "../../../server/db/entities/index.js";
import { adminStore } from "../../../server/persistence/adminStore.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { createTestDatabase, requirePostgres, startTestServer, type TestDatabase, type TestServer } from "../../support/services.js";
import type { UserView } from "../../../domain/views/userView.js";
import { eventually, suiteSockets, watchRoom } from "../../support/sockets.js";

const pg = await requirePostgres();

describe("notices: every kind, in the commit of its event", () => {
  let db: TestDatabase;
  let t: TestServer;
  let gym: GymFixture;
  const sockets = suiteSockets(() => t.server);
  const sql = async <T = Record<string, unknown>>(q: string, params: unknown[] = []): Promise<T[]> =>
    (await t.server.db.orm.em.fork().getConnection().execute(q, params)) as T[];
  const noticesOf = (userId: string, kind: string) =>
    sql<{ text: string }>(`select text from notice where user_id = ? and kind = ? order by at`, [userId, kind]);
  const room = () => `gym:${gym.gymId}`;

  beforeAll(async () => {
    db = await createTestDatabase(pg.url!);
    t = await startTestServer({ DATABASE_URL: db.url, SPOTTER_MODE: "embedded", JWT_SECRET: "k".repeat(40), COMMANDS_PER_SECOND: "1000" });
    gym = await aGym(t.server.db.orm, { capacity: 10, members: 6, startsInMinutes: 24 * 60 });
  }, 60_000);

  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
    await db?.drop();
  });

  it("tells a member their membership is frozen, and active again, in the audited transaction that changes it", async () => {
    const m = gym.members[0]!;
    const owner = await sockets.connect(gym.ownerId);
    expect(await owner.command(room(), "gym:freezeMember", { memberId: m.id, until: "2099-01-01", reason: "Knee surgery" })).toMatchObject({
      ok: true,
    });
    expect(await noticesOf(m.id, "membership")).toEqual([{ text: expect.stringMatching(/^Your membership is frozen until 2099-01-01/) }]);
    expect(JSON.stringify(await noticesOf(m.id, "membership"))).not.toContain("Knee");
    expect(await owner.command(room(), "gym:unfreezeMember", { memberId: m.id })).toMatchObject({ ok: true });
    expect((await noticesOf(m.id, "membership")).at(-1)).toEqual({ text: "Your membership is active again — you can book classes." });
    // Refused (not frozen): nothing is told.
    expect(await owner.command(room(), "gym:unfreezeMember", { memberId: m.id })).toMatchObject({ ok: false });
    expect(await noticesOf(m.id, "membership")).toHaveLength(2);
  });

  it("writes nothing when the transaction a send joined rolls back", async () => {
    const m = gym.members[0]!;
    const store = adminStore(t.server.db.orm);
    const actor = { userId: gym.ownerId, role: "owner", gymId: gym.gymId, commandId: null, now: Date.now() };
    const answer = await store.transaction(actor, "test:rollback", async (tx) => {
      await t.server.notices.notify([m.id], { kind: "message", text: "Never stored", gymId: gym.gymId }, tx.notices);
      throw new DomainError("CONFLICT", "changed concurrently");
    });
    expect(answer).toBeInstanceOf(DomainError);
    expect(await sql(`select 1 from notice where text = 'Never stored'`)).toEqual([]);
  });

  it("tells a member once when a booking leaves their pack running low, in the class commit", async () => {
    const m = gym.members[1]!;
    const owner = await sockets.connect(gym.ownerId);
    const saved = (await owner.command(room(), "gym:savePlan", {
      name: "4-pack",
      kind: "pack",
      priceCents: 4_000,
      billingPeriod: "once",
      credits: 4,
      validDays: 90,
      weeklyTarget: 2,
      classTypeIds: [],
    })) as { result: { planId: string } };
    expect(await owner.command(room(), "gym:assignPlan", { memberId: m.id, planId: saved.result.planId })).toMatchObject({
      ok: true,
      result: { credits: 4 },
    });
    const s = await sockets.connect(m.id);
    for (const h of [30, 32, 34]) {
      const c = await gym.addSession({ startsAt: Date.now() + h * 3_600_000, endsAt: Date.now() + (h + 1) * 3_600_000 });
      expect(await s.command(`class:${c.id}`, "class:book", { sessionId: c.id })).toMatchObject({ ok: true });
    }
    // 4 → 3 says nothing, 3 → 2 crosses into running low, 2 → 1 says nothing more.
    expect(await noticesOf(m.id, "pack_low")).toEqual([{ text: "2 classes left on your pack — time to top up." }]);
  });

  it("tells the member and the gym's reviewers of a held challenge entry, and the member of the review, in their transactions", async () => {
    const m = gym.members[2]!;
    const coach = await sockets.connect(gym.coachId);
    const now = Date.now();
    const created = (await coach.command(room(), "gym:createChallenge", {
      title: "Row 10 km",
      kind: "distance",
      target: 10_000,
      startsAt: now - 60_000,
      endsAt: now + 86_400_000,
    })) as { result: { challengeId: string } };
    const em = t.server.db.orm.em.fork();
    em.create(ChallengeParticipantEntity, {
      id: randomUUID(),
      challengeId: created.result.challengeId,
      gymId: gym.gymId,
      memberId: m.id,
      status: "joined",
      joinedAt: now,
      progress: 0,
      completedAt: null,
    });
    await em.flush();
    const s = await sockets.connect(m.id);
    // An implausible jump (a marathon of rowing in one log) is held for review.
    const logged = (await s.command(`user:${m.id}`, "user:logWorkout", {
      gymId: gym.gymId,
      exercises: [{ movement: "Row", sets: [{ meters: 50_000, ms: 12_000_000 }] }],
    })) as { result: { challenges: { status: string }[] } };
    expect(logged.result.challenges).toMatchObject([{ status: "held" }]);
    expect(await noticesOf(m.id, "challenge")).toEqual([
      { text: "Your entry for “Row 10 km” is held for a coach to check — it counts once approved." },
    ]);
    for (const staff of [gym.ownerId, gym.coachId]) expect(await noticesOf(staff, "challenge_review")).toHaveLength(1);
    expect(await noticesOf(gym.deskId, "challenge_review")).toEqual([]);
    const [held] = await sql<{ id: string }>(`select id from challenge_submission where member_id = ? and status = 'held'`, [m.id]);
    expect(await coach.command(room(), "gym:reviewSubmission", { submissionId: held!.id, approve: false })).toMatchObject({ ok: true });
    expect((await noticesOf(m.id, "challenge")).at(-1)).toEqual({
      text: "Your entry of 50000 for “Row 10 km” was not approved by staff, so it doesn't count.",
    });
  });

  it("tells owners and admins of a report (never its author), the reporter of the outcome, and the author of a reaction once", async () => {
    const [author, reporter] = [gym.members[3]!, gym.members[4]!];
    const em = t.server.db.orm.em.fork();
    const eventId = randomUUID();
    const now = Date.now();
    em.create(FeedEventEntity, {
      id: eventId,
      gymId: gym.gymId,
      actorId: author.id,
      kind: "workout_logged",
      visibility: "gym",
      payload: {},
      at: now,
      dedupeKey: null,
      createdAt: now,
    });
    await em.flush();
    const s = await sockets.connect(reporter.id);
    const reported = (await s.command(room(), "feed:report", { target: "event", id: eventId, reason: "Not a real workout" })) as {
      ok: boolean;
      result: { reportId: string };
    };
    expect(reported.ok).toBe(true);
    expect(await noticesOf(gym.ownerId, "report")).toEqual([
      { text: "A post was reported: “Not a real workout” — review it under Reports." },
    ]);
    expect(await noticesOf(gym.coachId, "report")).toEqual([]);
    expect(await noticesOf(author.id, "report")).toEqual([]);
    // Reporting again answers the first report and tells nobody again.
    await s.command(room(), "feed:report", { target: "event", id: eventId, reason: "Not a real workout" });
    expect(await noticesOf(gym.ownerId, "report")).toHaveLength(1);
    const owner = await sockets.connect(gym.ownerId);
    expect(await owner.command(room(), "gym:resolveModerationItem", { itemId: reported.result.reportId })).toMatchObject({ ok: true });
    expect(await noticesOf(reporter.id, "moderation")).toEqual([
      { text: "Staff reviewed the post you reported. Thank you for keeping the feed kind." },
    ]);

    for (let i = 0; i < 3; i++) await s.command(room(), "feed:react", { eventId, kind: "kudos" });
    expect(await noticesOf(author.id, "social")).toEqual([{ text: expect.stringMatching(/ gave kudos to your post$/) }]);
    // Social notices stay in the app unless the member chose more.
    const prefs = (await (await sockets.connect(author.id)).command(`user:${author.id}`, "inbox:preferences", {})) as {
      result: { preferences: { kind: string; enabled: boolean }[] };
    };
    expect(prefs.result.preferences.filter((p) => p.kind === "social").map((p) => p.enabled)).toEqual([false, false]);
  });

  it("tells the author of a comment on their post live (its first 120 characters), once a day for the same words, never for their own", async () => {
    const [author, viewer] = [gym.members[3]!, gym.members[1]!];
    const em = t.server.db.orm.em.fork();
    const eventId = randomUUID();
    const now = Date.now();
    em.create(FeedEventEntity, {
      id: eventId,
      gymId: gym.gymId,
      actorId: author.id,
      kind: "workout_logged",
      visibility: "gym",
      payload: {},
      at: now,
      dedupeKey: null,
      createdAt: now,
    });
    await em.flush();
    const mine = await sockets.connect(author.id);
    const inbox = await watchRoom<UserView>(mine, `user:${author.id}`);
    const commented = () =>
      sql<{ id: string; text: string }>(`select id, text from notice where user_id = ? and kind = 'social' and text like '%commented%'`, [
        author.id,
      ]);
    const body = `Huge session! ${"x".repeat(130)}`;
    const s = await sockets.connect(viewer.id);
    for (let i = 0; i < 2; i++) expect(await s.command(room(), "feed:comment", { eventId, body })).toMatchObject({ ok: true });
    const [told, ...more] = await commented();
    expect(more).toEqual([]);
    expect(told!.text).toBe(`${viewer.name.split(" ")[0]} commented on your post: “${body.slice(0, 120)}”`);
    await eventually(() => expect(inbox().notices[told!.id]).toMatchObject({ kind: "social", text: told!.text, readAt: null }));
    // Other words are another notice; the author's own reply tells nobody.
    expect(await s.command(room(), "feed:comment", { eventId, body: "And a PR too" })).toMatchObject({ ok: true });
    expect(await mine.command(room(), "feed:comment", { eventId, body: "Thanks!" })).toMatchObject({ ok: true });
    expect((await commented()).map((n) => n.text.replace(/^\S+ /, ""))).toEqual([
      `commented on your post: “${body.slice(0, 120)}”`,
      "commented on your post: “And a PR too”",
    ]);
  });

  it("tells the class's coach when a member comes to the class without the signed waiver, once", async () => {
    const m = gym.members[5]!;
    const owner = await sockets.connect(gym.ownerId);
    expect(
      await owner.command(room(), "gym:publishWaiver", {
        title: "Liability waiver",
        version: "2027-01",
        text: "I know lifting is heavy. ".repeat(4),
      }),
    ).toMatchObject({ ok: true });
    expect(await owner.command(room(), "gym:setPolicy", { waiverRequired: "check_in" })).toMatchObject({ ok: true });
    const s = await sockets.connect(m.id);
    const c = `class:${gym.sessionId}`;
    expect(await s.command(c, "class:book", { sessionId: gym.sessionId })).toMatchObject({ ok: true });
    // The owner checks them in from the roster (this gym checks in at the desk, not in the app).
    for (let i = 0; i < 2; i++)
      expect(await owner.command(c, "class:checkIn", { sessionId: gym.sessionId, memberId: m.id })).toMatchObject({
        ok: true,
        result: { status: "denied", reason: "WAIVER_NOT_SIGNED" },
      });
    expect(await noticesOf(gym.coachId, "waiver_unsigned")).toEqual([
      { text: expect.stringMatching(/ came to .* without a signed waiver — ask them to sign it\.$/) },
    ]);
  });
});
