/** The feed's {@link FeedStore} port over PostgreSQL: each call on its own `em.fork()`. */
import type { MikroORM } from "@mikro-orm/core";
import type { FeedStore } from "../../app/feed/ports.js";
import { openModerationItems, report, resolveModerationItem } from "./feedModeration.js";
import { addComment, feedPage, listComments, setBlock, setDefaultVisibility, setFollow, toggleReaction } from "./feedSocialStore.js";

export function feedRequestStore(orm: MikroORM): FeedStore {
  const em = () => orm.em.fork();
  return {
    page: (gymId, viewerId, cursor) => feedPage(em(), gymId, viewerId, cursor),
    react: (gymId, viewerId, eventId, kind, now) => toggleReaction(em(), gymId, viewerId, eventId, kind, now),
    comment: (gymId, viewerId, eventId, body, now) => addComment(em(), gymId, viewerId, eventId, body, now),
    comments: (gymId, viewerId, eventId, cursor) => listComments(em(), gymId, viewerId, eventId, cursor),
    report: (gymId, viewerId, target, id, reason, now) => report(em(), gymId, viewerId, target, id, reason, now),
    follow: (gymId, viewerId, memberId, follow, now) => setFollow(em(), gymId, viewerId, memberId, follow, now),
    block: (gymId, viewerId, memberId, block, now) => setBlock(em(), gymId, viewerId, memberId, block, now),
    setDefaultVisibility: (userId, visibility, now) => setDefaultVisibility(em(), userId, visibility, now),
    moderationItems: (gymId, viewerId) => openModerationItems(em(), gymId, viewerId),
    resolveModerationItem: (gymId, itemId, by) => resolveModerationItem(orm, gymId, itemId, by),
  };
}
