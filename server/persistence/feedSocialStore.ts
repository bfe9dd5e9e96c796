/**
 * Reactions and comments on feed events: toggling a reaction, adding a comment, and listing an event's comments —
 * each only on an event the member may see, and without what members blocked with them wrote.
 * Pages of the feed are `feedCards.ts`; follows, blocks and settings `feedRelations.ts`.
 */
import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/core";
import { DomainError } from "../../domain/errors.js";
import { decodeCursor, encodeCursor } from "../../domain/feed/cursor.js";
import { FeedPageSize, type ReactionKind } from "../../domain/feed/social.js";
import type { FeedCommentView } from "../../domain/protocol/feed.js";
import { firstName } from "../../domain/views/people.js";
import { list, relationsOf, sql } from "./feedRelations.js";
import { toCards, visibleEvent } from "./feedCards.js";

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
