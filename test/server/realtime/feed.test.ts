/**
 * The member feed over real sockets, on embedded PGlite and on PostgreSQL: live delivery after commit (never for a
 * rollback), per-viewer visibility (gym, followers, private, never another gym), blocks both ways asserted on the raw
 * frames a blocked member receives, stable keyset pages, reactions, comments with length limits, reports for staff.
 */
import { randomUUID } from "node:crypto";
import type { MikroORM } from "@mikro-orm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeCursor } from "../../../domain/feed/cursor.js";
import type { NewFeedEvent, Visibility } from "../../../domain/feed/events.js";
import type { Ack } from "../../../domain/protocol/envelope.js";
import type { FeedCard, FeedPage } from "../../../domain/protocol/feed.js";
import {
  FeedCommentEntity,
  FeedEventEntity,
  FeedReactionEntity,
  GymMembershipEntity,
  ModerationItemEntity,
} from "../../../server/db/entities/index.js";
import { appendFeedEvents } from "../../../server/persistence/feedStore.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { requirePostgres, serverTargets, startTestServer, type TestDatabase, type TestServer } from "../../support/services.js";
import { connectAs, eventually, type TestSocket } from "../../support/sockets.js";

const pg = await requirePostgres();

const ok = <T>(a: Ack<unknown>): T => {
  if (!a.ok) throw new Error(`expected ok, got ${JSON.stringify(a.error)}`);
  return a.result as T;
};

describe.each(serverTargets(pg))("the feed on $name", ({ env }) => {
  let t: TestServer;
  let db: TestDatabase | undefined;
  let orm: MikroORM;
  let gym: GymFixture;
  let otherGym: GymFixture;
  const sockets: TestSocket[] = [];
  let clock = Date.UTC(2026, 10, 1, 12);
  const as = async (userId: string) => {
    const s = await connectAs(t.server, userId);
    const posted: { gymId: string; card: FeedCard }[] = [];
    s.socket.on("feed:posted", (p: { gymId: string; card: FeedCard }) => posted.push(p));
    sockets.push(s);
    return Object.assign(s, { posted });
  };
  const room = () => `gym:${gym.gymId}`;
  const post = async (actorId: string, visibility: Visibility | undefined, payload: Record<string, unknown> = {}, g = gym) => {
    const id = randomUUID();
    const event: NewFeedEvent = {
      gymId: g.gymId,
      actorId,
      kind: "workout_logged",
      payload: { ...payload, marker: id },
      at: (clock += 1_000),
      dedupeKey: `test:${id}`,
    };
    if (visibility) event.visibility = visibility;
    await orm.em.fork().transactional((tx) => appendFeedEvents(tx, [event]));
    const row = await orm.em.fork().findOneOrFail(FeedEventEntity, { dedupeKey: `test:${id}` });
    return row.id;
  };
  const member = (i: number) => gym.members[i]!.id;

  beforeAll(async () => {
    const e = await env();
    db = e.db;
    t = await startTestServer({ ...e.env, COMMANDS_PER_SECOND: "1000" });
    orm = t.server.db.orm;
    gym = await aGym(orm, { members: 12 });
    otherGym = await aGym(orm, { members: 2 });
  }, 60_000);

  afterAll(async () => {
    for (const s of sockets) s.close();
    await t?.cleanup();
    await db?.drop();
  });

  it("pushes a committed event live to watchers, and nothing for a rolled-back one", async () => {
    const watcher = await as(member(1));
    ok(await watcher.command(room(), "feed:watch", {}));
    const rolledBack = randomUUID();
    await expect(
      orm.em.fork().transactional(async (tx) => {
        await appendFeedEvents(tx, [
          { gymId: gym.gymId, actorId: member(2), kind: "pr", visibility: "gym", payload: { marker: rolledBack }, at: (clock += 1_000) },
        ]);
        throw new Error("the producer's commit failed");
      }),
    ).rejects.toThrow("the producer's commit failed");
    const id = await post(member(2), "gym", { title: "Fran" });
    await eventually(() => expect(watcher.posted.map((p) => p.card.id)).toContain(id));
    const card = watcher.posted.find((p) => p.card.id === id)!.card;
    expect(card).toMatchObject({
      kind: "workout_logged",
      actor: { id: member(2), firstName: "Member" },
      visibility: null,
      payload: { title: "Fran" },
      comments: 0,
    });
    expect(watcher.frames.join("\n")).not.toContain(rolledBack);
    expect(await orm.em.fork().count(FeedEventEntity, { payload: { marker: rolledBack } })).toBe(0);
  });

  it("pushes the events a member's logged workout makes (user:logWorkout) to watchers after its commit", async () => {
    const g = await aGym(orm, { members: 2 });
    const watcher = await as(g.members[1]!.id);
    ok(await watcher.command(`gym:${g.gymId}`, "feed:watch", {}));
    const logger = await as(g.members[0]!.id);
    ok(await logger.command(`user:${g.members[0]!.id}`, "feed:setDefaultVisibility", { visibility: "gym" }));
    ok(
      await logger.command(`user:${g.members[0]!.id}`, "user:logWorkout", {
        gymId: g.gymId,
        exercises: [{ movement: "Back squat", sets: [{ reps: 5, grams: 100_000 }] }],
      }),
    );
    await eventually(() => expect(watcher.posted.map((p) => p.card.kind)).toContain("workout_logged"));
    // One log can make several events (the workout, a first-workout milestone): each is pushed after its own commit.
    await eventually(async () => {
      const stored = await orm.em.fork().find(FeedEventEntity, { gymId: g.gymId, actorId: g.members[0]!.id });
      expect(watcher.posted.map((p) => p.card.id).sort()).toEqual(stored.map((e) => e.id).sort());
    });
  });

  it("stops pushing to a watcher whose membership was cancelled after they started watching", async () => {
    const g = await aGym(orm, { members: 3 });
    const leaving = await as(g.members[1]!.id);
    const staying = await as(g.members[2]!.id);
    for (const s of [leaving, staying]) ok(await s.command(`gym:${g.gymId}`, "feed:watch", {}));
    await orm.em.fork().nativeUpdate(GymMembershipEntity, { gymId: g.gymId, userId: g.members[1]!.id }, { status: "cancelled" });
    // A change made outside the rooms tells every node's resident standings.
    t.server.standings.invalidateMember(g.gymId, g.members[1]!.id);
    const id = await post(g.members[0]!.id, "gym", {}, g);
    await eventually(() => expect(staying.posted.map((p) => p.card.id)).toContain(id));
    expect(leaving.frames.join("\n")).not.toContain(id);
    expect(await leaving.command(`gym:${g.gymId}`, "feed:page", {})).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  });

  it("stores and pushes an event once however often its dedupe key is appended", async () => {
    const watcher = await as(member(3));
    ok(await watcher.command(room(), "feed:watch", {}));
    const event: NewFeedEvent = {
      gymId: gym.gymId,
      actorId: member(4),
      kind: "checkin_milestone",
      visibility: "gym",
      payload: { count: 10 },
      at: (clock += 1_000),
      dedupeKey: `dedupe:${randomUUID()}`,
    };
    await appendFeedEvents(orm.em.fork(), [event]);
    await orm.em.fork().transactional((tx) => appendFeedEvents(tx, [event, event]));
    const rows = await orm.em.fork().find(FeedEventEntity, { dedupeKey: event.dedupeKey! });
    expect(rows).toHaveLength(1);
    await eventually(() => expect(watcher.posted.filter((p) => p.card.id === rows[0]!.id)).toHaveLength(1));
    const marker = await post(member(4), "gym");
    await eventually(() => expect(watcher.posted.map((p) => p.card.id)).toContain(marker));
    expect(watcher.posted.filter((p) => p.card.id === rows[0]!.id)).toHaveLength(1);
  });

  it("delivers followers events to followers only and private events to their actor only", async () => {
    const [actor, follower, stranger] = [member(5), member(6), member(7)];
    const sActor = await as(actor);
    const sFollower = await as(follower);
    const sStranger = await as(stranger);
    for (const s of [sActor, sFollower, sStranger]) ok(await s.command(room(), "feed:watch", {}));
    expect(ok(await sFollower.command(room(), "feed:follow", { memberId: actor, follow: true }))).toEqual({
      memberId: actor,
      following: true,
    });
    const forFollowers = await post(actor, "followers");
    const secret = await post(actor, "private");
    const marker = await post(actor, "gym");
    for (const s of [sActor, sFollower, sStranger]) await eventually(() => expect(s.posted.map((p) => p.card.id)).toContain(marker));
    expect(sFollower.posted.map((p) => p.card.id)).toContain(forFollowers);
    expect(sStranger.frames.join("\n")).not.toContain(forFollowers);
    expect(sFollower.frames.join("\n")).not.toContain(secret);
    expect(sStranger.frames.join("\n")).not.toContain(secret);
    expect(sActor.posted.find((p) => p.card.id === secret)?.card.visibility).toBe("private");
    // Pages apply the same rule.
    const ids = async (s: TestSocket) => ok<FeedPage>(await s.command(room(), "feed:page", {})).cards.map((c) => c.id);
    expect(await ids(sFollower)).toEqual(expect.arrayContaining([forFollowers, marker]));
    expect(await ids(sFollower)).not.toContain(secret);
    expect(await ids(sStranger)).not.toContain(forFollowers);
    expect(await ids(sActor)).toEqual(expect.arrayContaining([forFollowers, secret, marker]));
  });

  it("gives a blocked member none of the blocker's events, reactions or comments, and lets neither interact (raw frames)", async () => {
    const [blocker, blocked, friend] = [member(8), member(9), member(10)];
    const sBlocker = await as(blocker);
    const sBlocked = await as(blocked);
    const sFriend = await as(friend);
    for (const s of [sBlocker, sBlocked, sFriend]) ok(await s.command(room(), "feed:watch", {}));
    ok(await sBlocked.command(room(), "feed:follow", { memberId: blocker, follow: true }));
    const before = await post(blocker, "gym");
    const friendsPost = await post(friend, "gym");
    ok(await sBlocked.command(room(), "feed:react", { eventId: friendsPost, kind: "kudos" }));
    const blockedComment = ok<{ comment: { id: string } }>(
      await sBlocked.command(room(), "feed:comment", { eventId: friendsPost, body: "blocked person's words" }),
    ).comment;
    expect(ok(await sBlocker.command(room(), "feed:block", { memberId: blocked, block: true }))).toEqual({
      memberId: blocked,
      blocked: true,
    });

    const after = await Promise.all([post(blocker, "gym"), post(blocker, "public"), post(blocker, "followers")]);
    const marker = await post(friend, "gym");
    await eventually(() => expect(sBlocked.posted.map((p) => p.card.id)).toContain(marker));
    await eventually(() => expect(sBlocker.posted.map((p) => p.card.id)).toContain(marker));
    const raw = sBlocked.frames.join("\n");
    for (const id of after) expect(raw).not.toContain(id);
    expect(sFriend.posted.map((p) => p.card.id)).toEqual(expect.arrayContaining(after.slice(0, 2)));

    // Pages, both ways: the blocker's events (old and new) are gone for the blocked member, and the other way round.
    const blockedPage = ok<FeedPage>(await sBlocked.command(room(), "feed:page", {}));
    expect(blockedPage.cards.map((c) => c.actor.id)).not.toContain(blocker);
    const blockerPage = ok<FeedPage>(await sBlocker.command(room(), "feed:page", {}));
    expect(blockerPage.cards.map((c) => c.actor.id)).not.toContain(blocked);
    expect(JSON.stringify(blockerPage)).not.toContain(blocked);
    // The blocked member's reaction and comment on a third member's event are invisible to the blocker.
    const seenByBlocker = blockerPage.cards.find((c) => c.id === friendsPost)!;
    expect(seenByBlocker).toMatchObject({ reactions: { kudos: 0 }, comments: 0 });
    const friendsView = ok<FeedPage>(await sFriend.command(room(), "feed:page", {})).cards.find((c) => c.id === friendsPost)!;
    expect(friendsView).toMatchObject({ reactions: { kudos: 1 }, comments: 1 });
    const comments = ok<{ comments: { id: string }[] }>(await sBlocker.command(room(), "feed:comments", { eventId: friendsPost }));
    expect(comments.comments.map((c) => c.id)).not.toContain(blockedComment.id);

    // No interaction either way; the follow ended with the block.
    const rows = async () => ({
      reactions: await orm.em.fork().count(FeedReactionEntity, {}),
      comments: await orm.em.fork().count(FeedCommentEntity, {}),
    });
    const rowsBefore = await rows();
    for (const eventId of [before, after[0]!]) {
      expect(await sBlocked.command(room(), "feed:react", { eventId, kind: "fire" })).toMatchObject({
        ok: false,
        error: { code: "NOT_FOUND" },
      });
      expect(await sBlocked.command(room(), "feed:comment", { eventId, body: "hi" })).toMatchObject({
        ok: false,
        error: { code: "NOT_FOUND" },
      });
      expect(await sBlocked.command(room(), "feed:report", { target: "event", id: eventId, reason: "" })).toMatchObject({
        ok: false,
        error: { code: "NOT_FOUND" },
      });
    }
    expect(await sBlocked.command(room(), "feed:follow", { memberId: blocker, follow: true })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
    expect(await sBlocker.command(room(), "feed:follow", { memberId: blocked, follow: true })).toMatchObject({
      ok: false,
      error: { code: "MEMBER_BLOCKED" },
    });
    expect(await rows()).toEqual(rowsBefore);

    // Unblocking restores visibility (the follow does not come back by itself).
    ok(await sBlocker.command(room(), "feed:block", { memberId: blocked, block: false }));
    const later = await post(blocker, "gym");
    await eventually(() => expect(sBlocked.posted.map((p) => p.card.id)).toContain(later));
  });

  it("filters live frames for a member whose token names them in upper case like for any other (blocks, cancelled membership)", async () => {
    // Identity providers may send a UUID subject in upper case; access lower-cases it, so the feed must too.
    const g = await aGym(orm, { members: 4 });
    const [blocker, blocked, leaving, actor] = g.members.map((m) => m.id) as [string, string, string, string];
    const r = `gym:${g.gymId}`;
    const sBlocked = await as(blocked.toUpperCase());
    const sLeaving = await as(leaving.toUpperCase());
    for (const s of [sBlocked, sLeaving]) ok(await s.command(r, "feed:watch", {}));
    ok(await (await as(blocker)).command(r, "feed:block", { memberId: blocked, block: true }));
    await orm.em.fork().nativeUpdate(GymMembershipEntity, { gymId: g.gymId, userId: leaving }, { status: "cancelled" });
    t.server.standings.invalidateMember(g.gymId, leaving);
    const hidden = await post(blocker, "gym", {}, g);
    const afterLeaving = await post(actor, "gym", {}, g);
    await eventually(() => expect(sBlocked.posted.map((p) => p.card.id)).toContain(afterLeaving));
    expect(sBlocked.frames.join("\n")).not.toContain(hidden);
    expect(sLeaving.frames.join("\n")).not.toContain(afterLeaving);
    // Their own private events are theirs on a page too.
    const own = await post(blocked, "private", {}, g);
    expect(ok<FeedPage>(await sBlocked.command(r, "feed:page", {})).cards.map((c) => c.id)).toContain(own);
  });

  it("never shows another gym's feed: its members get NOT_FOUND and none of its frames", async () => {
    const outsider = await as(otherGym.members[0]!.id);
    ok(await outsider.command(`gym:${otherGym.gymId}`, "feed:watch", {}));
    const eventId = await post(member(1), "public");
    const own = await post(otherGym.members[1]!.id, "gym", {}, otherGym);
    await eventually(() => expect(outsider.posted.map((p) => p.card.id)).toContain(own));
    expect(outsider.frames.join("\n")).not.toContain(eventId);
    for (const [type, payload] of [
      ["feed:watch", {}],
      ["feed:page", {}],
      ["feed:react", { eventId, kind: "kudos" }],
      ["feed:comment", { eventId, body: "hello" }],
      ["feed:follow", { memberId: member(1), follow: true }],
    ] as const) {
      expect(await outsider.command(room(), type, payload), type).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    }
    // Reaching our event through their own gym's room is no way round it either.
    expect(await outsider.command(`gym:${otherGym.gymId}`, "feed:react", { eventId, kind: "kudos" })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
  });

  it("pages 50 cards newest first with a stable cursor: no duplicates or gaps while new events arrive", async () => {
    const g = await aGym(orm, { members: 3 });
    const reader = await as(g.members[0]!.id);
    const r = `gym:${g.gymId}`;
    const at0 = Date.UTC(2026, 0, 1);
    // 120 events, some sharing an instant (ties are broken by id).
    const events: NewFeedEvent[] = Array.from({ length: 120 }, (_, i) => ({
      gymId: g.gymId,
      actorId: g.members[1]!.id,
      kind: "workout_logged",
      visibility: "gym",
      payload: { i },
      at: at0 + Math.floor(i / 3) * 1000,
    }));
    await orm.em.fork().transactional((tx) => appendFeedEvents(tx, events));
    const first = ok<FeedPage>(await reader.command(r, "feed:page", {}));
    expect(first.cards).toHaveLength(50);
    // New events arrive between pages, newer than everything: the next pages neither repeat nor skip.
    await appendFeedEvents(orm.em.fork(), [
      { gymId: g.gymId, actorId: g.members[1]!.id, kind: "pr", visibility: "gym", payload: {}, at: at0 + 1e9 },
    ]);
    const second = ok<FeedPage>(await reader.command(r, "feed:page", { cursor: first.nextCursor }));
    const third = ok<FeedPage>(await reader.command(r, "feed:page", { cursor: second.nextCursor }));
    expect(second.cards).toHaveLength(50);
    expect(third.cards).toHaveLength(20);
    expect(third.nextCursor).toBeNull();
    const all = [...first.cards, ...second.cards, ...third.cards];
    expect(new Set(all.map((c) => c.id)).size).toBe(120);
    expect(all.map((c) => c.payload.i).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 120 }, (_, i) => i));
    for (let i = 1; i < all.length; i++) expect(all[i - 1]!.at).toBeGreaterThanOrEqual(all[i]!.at);
    expect(await reader.command(r, "feed:page", { cursor: "not-a-cursor" })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", fields: { cursor: expect.any(String) } },
    });
  });

  it("toggles reactions, limits comments to 1–500 characters and changes nothing on bad input", async () => {
    const s = await as(member(11));
    const eventId = await post(member(1), "gym");
    expect(ok(await s.command(room(), "feed:react", { eventId, kind: "kudos" }))).toMatchObject({
      reacted: true,
      reactions: { kudos: 1, fire: 0 },
    });
    expect(ok(await s.command(room(), "feed:react", { eventId, kind: "fire" }))).toMatchObject({
      reacted: true,
      reactions: { kudos: 1, fire: 1 },
    });
    expect(ok(await s.command(room(), "feed:react", { eventId, kind: "kudos" }))).toMatchObject({
      reacted: false,
      reactions: { kudos: 0, fire: 1 },
    });
    const before = await orm.em.fork().count(FeedCommentEntity, { eventId });
    for (const body of ["", "   ", "x".repeat(501)]) {
      expect(await s.command(room(), "feed:comment", { eventId, body })).toMatchObject({
        ok: false,
        error: { code: "VALIDATION_FAILED", fields: { body: expect.any(String) } },
      });
    }
    expect(await s.command(room(), "feed:react", { eventId, kind: "love" })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED" },
    });
    expect(await s.command(room(), "feed:comment", { eventId: randomUUID(), body: "hi" })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
    expect(await orm.em.fork().count(FeedCommentEntity, { eventId })).toBe(before);
    const c = ok<{ comment: { body: string } }>(await s.command(room(), "feed:comment", { eventId, body: `  ${"y".repeat(500)}  ` }));
    expect(c.comment.body).toBe("y".repeat(500));
    const page = ok<FeedPage>(await s.command(room(), "feed:page", {}));
    expect(page.cards.find((x) => x.id === eventId)).toMatchObject({ reactions: { kudos: 0, fire: 1 }, mine: ["fire"], comments: 1 });
  });

  it("records a report as a moderation item that staff can list and members cannot", async () => {
    const reporter = await as(member(2));
    const staff = await as(gym.coachId);
    const eventId = await post(member(3), "gym", { title: "rude" });
    const comment = ok<{ comment: { id: string } }>(
      await (await as(member(4))).command(room(), "feed:comment", { eventId, body: "something rude" }),
    ).comment;
    const first = ok<{ reportId: string }>(
      await reporter.command(room(), "feed:report", { target: "comment", id: comment.id, reason: "Insulting" }),
    );
    expect(
      ok<{ reportId: string }>(await reporter.command(room(), "feed:report", { target: "comment", id: comment.id, reason: "again" }))
        .reportId,
    ).toBe(first.reportId);
    expect(await reporter.command(room(), "gym:moderationItems", {})).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    const items = ok<{ items: { id: string; excerpt: string; reason: string; author: { id: string } }[] }>(
      await staff.command(room(), "gym:moderationItems", {}),
    ).items;
    expect(items.find((i) => i.id === first.reportId)).toMatchObject({
      excerpt: "something rude",
      reason: "Insulting",
      author: { id: member(4) },
    });
    expect(await staff.command(room(), "gym:resolveModerationItem", { itemId: first.reportId })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    const owner = await as(gym.ownerId);
    ok(await owner.command(room(), "gym:resolveModerationItem", { itemId: first.reportId }));
    expect(await orm.em.fork().count(ModerationItemEntity, { id: first.reportId, status: "resolved" })).toBe(1);
  });

  it("never shows a reported staff member the reports about their own posts and comments (who reported them stays hidden)", async () => {
    const reporter = await as(member(2));
    const coachPost = await post(gym.coachId, "gym", { title: "coach's post" });
    const report = ok<{ reportId: string }>(
      await reporter.command(room(), "feed:report", { target: "event", id: coachPost, reason: "Reported by a member" }),
    );
    type Items = { items: { id: string; reporter: { id: string } }[] };
    const coachView = ok<Items>(await (await as(gym.coachId)).command(room(), "gym:moderationItems", {}));
    expect(coachView.items.map((i) => i.id)).not.toContain(report.reportId);
    expect(JSON.stringify(coachView)).not.toContain(member(2));
    // Other staff still moderate it.
    const ownerView = ok<Items>(await (await as(gym.ownerId)).command(room(), "gym:moderationItems", {}));
    expect(ownerView.items.find((i) => i.id === report.reportId)).toMatchObject({ reporter: { id: member(2) } });
  });

  it("refuses a NUL character in a comment or report reason with VALIDATION_FAILED, never INTERNAL, and stores nothing", async () => {
    const s = await as(member(3));
    const eventId = await post(member(1), "gym");
    const counts = async () => [await orm.em.fork().count(FeedCommentEntity, {}), await orm.em.fork().count(ModerationItemEntity, {})];
    const before = await counts();
    expect(await s.command(room(), "feed:comment", { eventId, body: "a\u0000b" })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", fields: { body: expect.any(String) } },
    });
    expect(await s.command(room(), "feed:report", { target: "event", id: eventId, reason: "spam\u0000" })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", fields: { reason: expect.any(String) } },
    });
    expect(await counts()).toEqual(before);
  });

  it("refuses half of a surrogate pair in a comment or report reason instead of storing U+FFFD while the ack echoes it", async () => {
    const s = await as(member(3));
    const eventId = await post(member(1), "gym");
    const counts = async () => [await orm.em.fork().count(FeedCommentEntity, {}), await orm.em.fork().count(ModerationItemEntity, {})];
    const before = await counts();
    for (const body of ["a\uD800b", "\uDC00", "end\uD83D"]) {
      expect(await s.command(room(), "feed:comment", { eventId, body })).toMatchObject({
        ok: false,
        error: { code: "VALIDATION_FAILED", fields: { body: expect.any(String) } },
      });
    }
    expect(await s.command(room(), "feed:report", { target: "event", id: eventId, reason: "\uDE00 spam" })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", fields: { reason: expect.any(String) } },
    });
    expect(await counts()).toEqual(before);
    // Whole emoji (surrogate pairs) are fine, and come back as sent.
    const c = ok<{ comment: { id: string; body: string } }>(
      await s.command(room(), "feed:comment", { eventId, body: "strong \uD83D\uDCAA" }),
    );
    expect(c.comment.body).toBe("strong 💪");
    const listed = ok<{ comments: { id: string; body: string }[] }>(await s.command(room(), "feed:comments", { eventId })).comments;
    expect(listed.find((x) => x.id === c.comment.id)?.body).toBe("strong 💪");
  });

  it("refuses a well-formed cursor past the year 9999 with VALIDATION_FAILED, never INTERNAL", async () => {
    const s = await as(member(3));
    const eventId = await post(member(1), "gym");
    for (const at of [Date.UTC(10000, 0, 1), 8_640_000_000_000_000, 9_000_000_000_000_000]) {
      const cursor = encodeCursor({ at, id: randomUUID() });
      expect(await s.command(room(), "feed:page", { cursor })).toMatchObject({
        ok: false,
        error: { code: "VALIDATION_FAILED", fields: { cursor: expect.any(String) } },
      });
      expect(await s.command(room(), "feed:comments", { eventId, cursor })).toMatchObject({
        ok: false,
        error: { code: "VALIDATION_FAILED", fields: { cursor: expect.any(String) } },
      });
    }
    // The last instant itself is a valid (if pointless) position: everything is older.
    const last = encodeCursor({ at: Date.UTC(9999, 11, 31, 23, 59, 59, 999), id: randomUUID() });
    expect(ok<FeedPage>(await s.command(room(), "feed:page", { cursor: last })).cards.map((c) => c.id)).toContain(eventId);
    expect(await s.command(room(), "feed:comments", { eventId, cursor: last })).toMatchObject({ ok: true });
  });

  it("exports a member's feed data and removes it on an approved deletion", async () => {
    const g = await aGym(orm, { members: 3 });
    const r = `gym:${g.gymId}`;
    const [leaver, friend] = [g.members[0]!.id, g.members[1]!.id];
    const sLeaver = await as(leaver);
    const sFriend = await as(friend);
    const own = await post(leaver, "gym", { title: "leaver's workout" }, g);
    const friends = await post(friend, "gym", {}, g);
    ok(await sLeaver.command(r, "feed:comment", { eventId: friends, body: "leaver's words" }));
    ok(await sLeaver.command(r, "feed:react", { eventId: friends, kind: "fire" }));
    ok(await sFriend.command(r, "feed:comment", { eventId: own, body: "on the leaver's post" }));
    ok(await sLeaver.command(r, "feed:follow", { memberId: friend, follow: true }));
    ok(await sFriend.command(r, "feed:report", { target: "event", id: own, reason: "spam" }));
    const exported = ok<{
      feed: { events: { id: string }[]; comments: { body: string }[]; reactions: unknown[]; following: { memberId: string }[] };
    }>(await sLeaver.command(`user:${leaver}`, "user:exportData", {}));
    expect(exported.feed.events.map((e) => e.id)).toEqual([own]);
    expect(exported.feed).toMatchObject({
      comments: [{ body: "leaver's words" }],
      reactions: [{ kind: "fire" }],
      following: [{ memberId: friend }],
    });
    expect(JSON.stringify(exported)).not.toContain("on the leaver's post");

    ok(await sLeaver.command(`user:${leaver}`, "user:requestDeletion", {}));
    ok(await (await as(g.ownerId)).command(r, "gym:approveDeletion", { memberId: leaver }));
    const e = orm.em.fork();
    expect(await e.count(FeedEventEntity, { actorId: leaver })).toBe(0);
    expect(await e.count(FeedCommentEntity, { $or: [{ authorId: leaver }, { eventId: own }] })).toBe(0);
    expect(await e.count(FeedReactionEntity, { userId: leaver })).toBe(0);
    const items = await e.find(ModerationItemEntity, { authorId: leaver });
    expect(items.map((i) => i.excerpt)).toEqual([""]);
    const page = ok<FeedPage>(await sFriend.command(r, "feed:page", {}));
    expect(page.cards.map((c) => c.id)).toEqual([friends]);
    expect(page.cards[0]).toMatchObject({ reactions: { fire: 0 }, comments: 0 });
  });

  it("gives new events the member's default visibility", async () => {
    const s = await as(member(6));
    expect(ok(await s.command(`user:${member(6)}`, "feed:setDefaultVisibility", { visibility: "followers" }))).toEqual({
      visibility: "followers",
    });
    expect(await s.command(`user:${member(5)}`, "feed:setDefaultVisibility", { visibility: "gym" })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
    expect(await s.command(`user:${member(6)}`, "feed:setDefaultVisibility", { visibility: "everyone" })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED" },
    });
    const id = await post(member(6), undefined);
    expect((await orm.em.fork().findOneOrFail(FeedEventEntity, { id })).visibility).toBe("followers");
    // Without a setting: gym for members shown on rosters, private for those who chose not to be (fixture: members[0] hidden, members[1] shown).
    expect((await orm.em.fork().findOneOrFail(FeedEventEntity, { id: await post(gym.members[1]!.id, undefined) })).visibility).toBe("gym");
    expect((await orm.em.fork().findOneOrFail(FeedEventEntity, { id: await post(gym.members[0]!.id, undefined) })).visibility).toBe(
      "private",
    );
  });
});

describe("appendFeedEvents", () => {
  it("refuses an invalid event before writing anything", async () => {
    const t = await startTestServer();
    try {
      const g = await aGym(t.server.db.orm, { members: 1 });
      const good: NewFeedEvent = { gymId: g.gymId, actorId: g.members[0]!.id, kind: "pr", visibility: "gym", payload: {}, at: 1 };
      await expect(appendFeedEvents(t.server.db.orm.em.fork(), [good, { ...good, payload: { big: "x".repeat(5000) } }])).rejects.toThrow(
        /payload/,
      );
      expect(await t.server.db.orm.em.fork().count(FeedEventEntity, { gymId: g.gymId })).toBe(0);
    } finally {
      await t.cleanup();
    }
  });
});
