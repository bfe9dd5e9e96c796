import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/core";
import { DomainError } from "../../domain/errors.js";
import { decodeCursor, encodeCursor, type FeedPosition } from "../../domain/feed/cursor.js";
import type { FeedEventKind, Visibility } from "../../domain/feed/events.js";
import { FeedPageSize, ReactionKinds, type ReactionKind } from "../../domain/feed/social.js";
import { canSee } from "../../domain/feed/visibility.js";
import type { FeedCard, FeedCommentView, FeedPage } from "../../domain/protocol/feed.js";
import { firstName } from "../../domain/views/people.js";

/** Who a viewer must not see (blocked either way) and whom they follow. */
export interface Relations {
  blocked: Set<string>;
  following: Set<string>;
}

/** `(?, ?, …)` for a non-empty list, its values appended to `params`. */
const list = (ids: Iterable<string>, params: unknown[]) => {
  const values = [...ids];
  params.push(...values);
  return `(${values.map(() => "?").join(", ")})`;
};

/** Raw SQL through `em`, in its transaction when it has one. */
export const sql = <T = unknown>(em: EntityManager, query: string, params: unknown[]): Promise<T[]> =>
  em.getConnection().execute(query, params, "all", em.getTransactionContext()) as Promise<T[]>;

/** The members `userId` blocked or was blocked by. */
export async function blockedWith(em: EntityManager, userId: string): Promise<string[]> {
  const rows = await sql<{ other: string }>(
    em,
    `select blocked_id as other from feed_block where blocker_id = ? union select blocker_id from feed_block where blocked_id = ?`,
    [userId, userId],
  );
  return rows.map((r) => r.other);
}

export async function relationsOf(em: EntityManager, userId: string): Promise<Relations> {
  const [blocked, following] = await Promise.all([
    blockedWith(em, userId),
    sql<{ followee_id: string }>(em, `select followee_id from feed_follow where follower_id = ?`, [userId]),
  ]);
  return { blocked: new Set(blocked), following: new Set(following.map((r) => r.followee_id)) };
}

type EventRow = {
  id: string;
  gym_id: string;
  actor_id: string;
  kind: FeedEventKind;
  visibility: Visibility;
  payload: unknown;
  at: Date | string;
  name: string;
};

const relationTo = (rel: Relations, actorId: string) => ({ follows: rel.following.has(actorId), blocked: rel.blocked.has(actorId) });
const seen = (viewerId: string, gymId: string, rel: Relations) => (r: EventRow) =>
  canSee({ userId: viewerId, gymId }, { gymId: r.gym_id, actorId: r.actor_id, visibility: r.visibility }, relationTo(rel, r.actor_id));

/**
 * One page of a gym's feed as `viewerId` may see it: 50 cards, newest first, strictly after `cursor` in
 * (at desc, id desc) order. One statement (a backward scan of the `(gym_id, at, id)` index, the viewer's blocks
 * and follows as hashed subplans, counts per card from their own indexes). Every row is checked against `canSee`
 * again (gym, visibility, follows; blocks are excluded by the statement), so a drift between the SQL and the rule
 * hides a card rather than leaking it.
 */
export async function feedPage(em: EntityManager, gymId: string, viewerId: string, cursor: FeedPosition | null): Promise<FeedPage> {
  const q = feedPageQuery(gymId, viewerId, cursor);
  const rows = await sql<PageRow>(em, q.sql, q.params);
  const page = rows.slice(0, FeedPageSize);
  const cards = page
    .filter((r) =>
      canSee(
        { userId: viewerId, gymId },
        { gymId: r.gym_id, actorId: r.actor_id, visibility: r.visibility },
        { follows: r.follows, blocked: false },
      ),
    )
    .map((r): FeedCard => {
      const counts = json<Record<string, number | string>>(r.reactions);
      const mine = json<ReactionKind[]>(r.mine);
      return {
        ...baseCard(r, viewerId),
        reactions: Object.fromEntries(ReactionKinds.map((k) => [k, Number(counts[k] ?? 0)])) as Record<ReactionKind, number>,
        mine: ReactionKinds.filter((k) => mine.includes(k)),
        comments: Number(r.comments),
      };
    });
  const last = rows.length > FeedPageSize ? page[page.length - 1] : undefined;
  return { cards, nextCursor: last ? encodeCursor({ at: new Date(last.at).getTime(), id: last.id }) : null };
}

/** The statement behind {@link feedPage} (`?` placeholders); the benchmark also runs it under EXPLAIN ANALYZE. */
export function feedPageQuery(gymId: string, viewerId: string, cursor: FeedPosition | null): { sql: string; params: unknown[] } {
  const params: unknown[] = [viewerId, viewerId, viewerId, gymId];
  let after = "";
  if (cursor) {
    after = " and (e.at, e.id) < (?, ?)";
    params.push(new Date(cursor.at), cursor.id);
  }
  params.push(viewerId, viewerId);
  const sql = `with b as (select blocked_id as id from feed_block where blocker_id = ? union select blocker_id from feed_block where blocked_id = ?),
          f as (select followee_id as id from feed_follow where follower_id = ?),
          p as (
            select e.id, e.gym_id, e.actor_id, e.kind, e.visibility, e.payload, e.at, e.actor_id in (select id from f) as follows
            from feed_event e
            where e.gym_id = ?${after}
              and (e.actor_id = ? or e.visibility in ('public', 'gym') or (e.visibility = 'followers' and e.actor_id in (select id from f)))
              and e.actor_id not in (select id from b)
            order by e.at desc, e.id desc limit ${FeedPageSize + 1})
     select p.*, u.name,
            (select coalesce(json_object_agg(x.kind, x.n), '{}') from (
               select r.kind, count(*) as n from feed_reaction r where r.event_id = p.id and r.user_id not in (select id from b) group by r.kind) x) as reactions,
            (select coalesce(json_agg(r.kind), '[]') from feed_reaction r where r.event_id = p.id and r.user_id = ?) as mine,
            (select count(*) from feed_comment c where c.event_id = p.id and c.author_id not in (select id from b)) as comments
     from p join app_user u on u.id = p.actor_id
     order by p.at desc, p.id desc`;
  return { sql, params };
}

type PageRow = EventRow & { follows: boolean; reactions: unknown; mine: unknown; comments: number | string };

const json = <T>(v: unknown): T => (typeof v === "string" ? JSON.parse(v) : v) as T;

const baseCard = (r: EventRow, viewerId: string) => ({
  id: r.id,
  kind: r.kind,
  at: new Date(r.at).getTime(),
  actor: { id: r.actor_id, firstName: firstName(r.name) },
  visibility: r.actor_id === viewerId ? r.visibility : null,
  payload: json<Record<string, unknown>>(r.payload),
});

/** Cards for event rows: reactions and comment counts leave out members blocked with the viewer. */
async function toCards(em: EntityManager, viewerId: string, rel: Relations, rows: EventRow[]): Promise<FeedCard[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const rp: unknown[] = [viewerId];
  const rIn = list(ids, rp);
  const rBlocked = rel.blocked.size ? ` and user_id not in ${list(rel.blocked, rp)}` : "";
  const cp: unknown[] = [];
  const cIn = list(ids, cp);
  const cBlocked = rel.blocked.size ? ` and author_id not in ${list(rel.blocked, cp)}` : "";
  const [reactions, comments] = await Promise.all([
    sql<{ event_id: string; kind: ReactionKind; n: number | string; mine: boolean }>(
      em,
      `select event_id, kind, count(*) as n, bool_or(user_id = ?) as mine from feed_reaction where event_id in ${rIn}${rBlocked} group by event_id, kind`,
      rp,
    ),
    sql<{ event_id: string; n: number | string }>(
      em,
      `select event_id, count(*) as n from feed_comment where event_id in ${cIn}${cBlocked} group by event_id`,
      cp,
    ),
  ]);
  return rows.map((r) => {
    const mine = reactions.filter((x) => x.event_id === r.id);
    return {
      ...baseCard(r, viewerId),
      reactions: Object.fromEntries(ReactionKinds.map((k) => [k, Number(mine.find((x) => x.kind === k)?.n ?? 0)])) as Record<
        ReactionKind,
        number
      >,
      mine: ReactionKinds.filter((k) => mine.some((x) => x.kind === k && x.mine)),
      comments: Number(comments.find((c) => c.event_id === r.id)?.n ?? 0),
    };
  });
}

/** The event if `viewerId` may see it in `gymId` (else null: unknown, another gym's, hidden and blocked all look alike). */
export async function visibleEvent(
  em: EntityManager,
  gymId: string,
  viewerId: string,
  rel: Relations,
  eventId: string,
): Promise<EventRow | null> {
  const rows = await sql<EventRow>(
    em,
    `select e.id, e.gym_id, e.actor_id, e.kind, e.visibility, e.payload, e.at, u.name from feed_event e join app_user u on u.id = e.actor_id where e.id = ? and e.gym_id = ?`,
    [eventId, gymId],
  );
  const row = rows[0];
  return row && seen(viewerId, gymId, rel)(row) ? row : null;
}

/** Toggles one reaction (one per member, event and kind): `{ eventId, kind, reacted, reactions }`. */
export async function toggleReaction(em: EntityManager, gymId: string, viewerId: string, eventId: string, kind: ReactionKind, now: number) {
  const rel = await relationsOf(em, viewerId);
  const event = await visibleEvent(em, gymId, viewerId, rel, eventId);
  if (!event) return new DomainError("NOT_FOUND");
  const removed = await sql<{ id: string }>(em, `delete from feed_reaction where event_id = ? and user_id = ? and kind = ? returning id`, [
    eventId,
    viewerId,
    kind,
  ]);
  if (removed.length === 0) {
    await sql(
      em,
      `insert into feed_reaction (id, event_id, user_id, kind, at) values (?, ?, ?, ?, ?) on conflict (event_id, user_id, kind) do nothing`,
      [randomUUID(), eventId, viewerId, kind, new Date(now)],
    );
  }
  const [card] = await toCards(em, viewerId, rel, [event]);
  return { eventId, kind, reacted: removed.length === 0, reactions: card!.reactions };
}

/** Adds a comment (the body is already trimmed and 1–500 characters). */
export async function addComment(em: EntityManager, gymId: string, viewerId: string, eventId: string, body: string, now: number) {
  const rel = await relationsOf(em, viewerId);
  if (!(await visibleEvent(em, gymId, viewerId, rel, eventId))) return new DomainError("NOT_FOUND");
  const id = randomUUID();
  await sql(em, `insert into feed_comment (id, gym_id, event_id, author_id, body, at) values (?, ?, ?, ?, ?, ?)`, [
    id,
    gymId,
    eventId,
    viewerId,
    body,
    new Date(now),
  ]);
  const [me] = await sql<{ name: string }>(em, `select name from app_user where id = ?`, [viewerId]);
  const comment: FeedCommentView = { id, eventId, author: { id: viewerId, firstName: firstName(me?.name ?? "") }, body, at: now };
  return { comment };
}

/** An event's comments, oldest first, 50 a page, without those of members blocked with the viewer. */
export async function listComments(em: EntityManager, gymId: string, viewerId: string, eventId: string, cursorText: string | undefined) {
  const cursor = cursorText === undefined ? null : decodeCursor(cursorText);
  if (cursorText !== undefined && !cursor)
    return new DomainError("VALIDATION_FAILED", "That page link is not valid — reload the comments.", {
      fields: { cursor: "Not a cursor" },
    });
  const rel = await relationsOf(em, viewerId);
  if (!(await visibleEvent(em, gymId, viewerId, rel, eventId))) return new DomainError("NOT_FOUND");
  const params: unknown[] = [eventId];
  let where = "c.event_id = ?";
  if (cursor) {
    where += " and (c.at, c.id) > (?, ?)";
    params.push(new Date(cursor.at), cursor.id);
  }
  if (rel.blocked.size) where += ` and c.author_id not in ${list(rel.blocked, params)}`;
  const rows = await sql<{ id: string; author_id: string; name: string; body: string; at: Date | string }>(
    em,
    `select c.id, c.author_id, u.name, c.body, c.at from feed_comment c join app_user u on u.id = c.author_id where ${where} order by c.at, c.id limit ${FeedPageSize + 1}`,
    params,
  );
  const comments: FeedCommentView[] = rows.slice(0, FeedPageSize).map((r) => ({
    id: r.id,
    eventId,
    author: { id: r.author_id, firstName: firstName(r.name) },
    body: r.body,
    at: new Date(r.at).getTime(),
  }));
  const last = comments[comments.length - 1];
  return { comments, nextCursor: rows.length > FeedPageSize && last ? encodeCursor({ at: last.at, id: last.id }) : null };
}

/** Whether `userId` holds a membership (any status) in `gymId`. */
async function inGym(em: EntityManager, gymId: string, userId: string): Promise<boolean> {
  const rows = await sql<unknown>(em, `select 1 from gym_membership where gym_id = ? and user_id = ?`, [gymId, userId]);
  return rows.length > 0;
}

/** Follow or unfollow a member of the gym. Blocked pairs cannot follow each other. */
export async function setFollow(em: EntityManager, gymId: string, viewerId: string, memberId: string, follow: boolean, now: number) {
  if (memberId === viewerId)
    return new DomainError("VALIDATION_FAILED", "You can't follow yourself.", { fields: { memberId: "That's you" } });
  if (!(await inGym(em, gymId, memberId))) return new DomainError("NOT_FOUND");
  if (!follow) {
    await sql(em, `delete from feed_follow where follower_id = ? and followee_id = ?`, [viewerId, memberId]);
    return { memberId, following: false };
  }
  const blocks = await sql<{ blocker_id: string }>(
    em,
    `select blocker_id from feed_block where (blocker_id = ? and blocked_id = ?) or (blocker_id = ? and blocked_id = ?)`,
    [viewerId, memberId, memberId, viewerId],
  );
  if (blocks.some((b) => b.blocker_id === viewerId)) return new DomainError("MEMBER_BLOCKED");
  // Blocked by them: answered like a member who isn't there, so nobody learns who blocked them.
  if (blocks.length) return new DomainError("NOT_FOUND");
  await sql(
    em,
    `insert into feed_follow (id, follower_id, followee_id, created_at) values (?, ?, ?, ?) on conflict (follower_id, followee_id) do nothing`,
    [randomUUID(), viewerId, memberId, new Date(now)],
  );
  return { memberId, following: true };
}

/** Block or unblock a member of the gym; blocking also ends follows both ways. */
export async function setBlock(em: EntityManager, gymId: string, viewerId: string, memberId: string, block: boolean, now: number) {
  if (memberId === viewerId)
    return new DomainError("VALIDATION_FAILED", "You can't block yourself.", { fields: { memberId: "That's you" } });
  if (!(await inGym(em, gymId, memberId))) return new DomainError("NOT_FOUND");
  await em.transactional(async (tx) => {
    if (!block) {
      await sql(tx, `delete from feed_block where blocker_id = ? and blocked_id = ?`, [viewerId, memberId]);
      return;
    }
    await sql(
      tx,
      `insert into feed_block (id, blocker_id, blocked_id, created_at) values (?, ?, ?, ?) on conflict (blocker_id, blocked_id) do nothing`,
      [randomUUID(), viewerId, memberId, new Date(now)],
    );
    await sql(tx, `delete from feed_follow where (follower_id = ? and followee_id = ?) or (follower_id = ? and followee_id = ?)`, [
      viewerId,
      memberId,
      memberId,
      viewerId,
    ]);
  });
  return { memberId, blocked: block };
}

/** A member's default visibility for their new events. */
export async function setDefaultVisibility(em: EntityManager, userId: string, visibility: Visibility, now: number) {
  await sql(
    em,
    `insert into feed_setting (user_id, default_visibility, updated_at) values (?, ?, ?)
     on conflict (user_id) do update set default_visibility = excluded.default_visibility, updated_at = excluded.updated_at`,
    [userId, visibility, new Date(now)],
  );
  return { visibility };
}
