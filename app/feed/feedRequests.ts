/**
 * The feed's requests (`domain/protocol/feed.ts`) as use cases: members and staff of the room's gym (the dispatch
 * table checks who may), answered through the {@link FeedStore} port. Ids compare lower-case: access matches a
 * token's subject case-insensitively, while channels, blocks and visibility compare stored (lower-case) ids.
 */
import { decodeCursor } from "../../domain/feed/cursor.js";
import { DomainError } from "../../domain/errors.js";
import type { RequestPayload, RequestType } from "../../domain/protocol/requests.js";
import type { GymRequest, UserRequest } from "../requestContext.js";
import type { FeedPorts } from "./ports.js";

type In<K extends RequestType> = GymRequest<RequestPayload<K>>;

const BadCursor = new DomainError("VALIDATION_FAILED", "That page link is not valid — reload the feed.", {
  fields: { cursor: "Not a cursor" },
});

const viewer = (c: { userId: string }) => c.userId.toLowerCase();

async function page(p: FeedPorts, gymId: string, userId: string, cursorText: string | undefined) {
  const cursor = cursorText === undefined ? null : decodeCursor(cursorText);
  if (cursorText !== undefined && !cursor) return BadCursor;
  return p.store.page(gymId, userId, cursor);
}

/** Watch the gym's feed live and get the first page. */
export function watchFeed(p: FeedPorts, c: In<"feed:watch">) {
  const userId = viewer(c);
  // Subscribe before reading: an event committed in between arrives live (and may also be on the page; clients de-duplicate by id).
  c.live?.watchFeed(c.gymId, userId);
  return page(p, c.gymId, userId, undefined);
}

export async function unwatchFeed(_p: FeedPorts, c: In<"feed:unwatch">) {
  c.live?.unwatchFeed(c.gymId, viewer(c));
  return { watching: false };
}

export const feedPage = (p: FeedPorts, c: In<"feed:page">) => page(p, c.gymId, viewer(c), c.payload.cursor);

export const react = (p: FeedPorts, c: In<"feed:react">) => p.store.react(c.gymId, viewer(c), c.payload.eventId, c.payload.kind, p.now());

export const comment = (p: FeedPorts, c: In<"feed:comment">) =>
  p.store.comment(c.gymId, viewer(c), c.payload.eventId, c.payload.body, p.now());

export const comments = (p: FeedPorts, c: In<"feed:comments">) => p.store.comments(c.gymId, viewer(c), c.payload.eventId, c.payload.cursor);

export const report = (p: FeedPorts, c: In<"feed:report">) =>
  p.store.report(c.gymId, viewer(c), c.payload.target, c.payload.id, c.payload.reason, p.now());

export const follow = (p: FeedPorts, c: In<"feed:follow">) =>
  p.store.follow(c.gymId, viewer(c), c.payload.memberId, c.payload.follow, p.now());

export const block = (p: FeedPorts, c: In<"feed:block">) => p.store.block(c.gymId, viewer(c), c.payload.memberId, c.payload.block, p.now());

/** Staff: the open moderation items — several members' content and names, an audited read. */
export async function moderationItems(p: FeedPorts, c: In<"gym:moderationItems">) {
  const userId = viewer(c);
  const queue = await p.store.moderationItems(c.gymId, userId);
  await p.readAudit.record({
    gymId: c.gymId,
    actorId: userId,
    action: "gym:moderationItems",
    entityType: "moderation_queue",
    entityId: null,
    summary: { items: queue.items.length },
    commandId: c.commandId,
    at: p.now(),
  });
  return queue;
}

export const resolveModerationItem = (p: FeedPorts, c: In<"gym:resolveModerationItem">) =>
  p.store.resolveModerationItem(c.gymId, c.payload.itemId, { actorId: viewer(c), commandId: c.commandId, at: p.now() });

/** Room `user:<me>`: the visibility my events get when their producer names none. */
export const setDefaultVisibility = (p: FeedPorts, c: UserRequest<RequestPayload<"feed:setDefaultVisibility">>) =>
  p.store.setDefaultVisibility(c.userId, c.payload.visibility, p.now());
