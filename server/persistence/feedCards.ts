/**
 * What a viewer sees of a gym's feed: pages of cards (one statement, re-checked against `canSee`), single events
 * the viewer may see, and cards with reaction and comment counts that leave out members blocked with the viewer.
 */
import type { EntityManager } from "@mikro-orm/core";
import { encodeCursor, type FeedPosition } from "../../domain/feed/cursor.js";
import type { FeedEventKind, Visibility } from "../../domain/feed/events.js";
import { FeedPageSize, ReactionKinds, type ReactionKind } from "../../domain/feed/social.js";
import { canSee } from "../../domain/feed/visibility.js";
import type { FeedCard, FeedPage } from "../../domain/protocol/feed.js";
import { firstName } from "../../domain/views/people.js";
import { list, sql, type Relations } from "./feedRelations.js";

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
export async function toCards(em: EntityManager, viewerId: string, rel: Relations, rows: EventRow[]): Promise<FeedCard[]> {
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
