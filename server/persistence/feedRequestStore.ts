/** The feed's {@link FeedStore} port over PostgreSQL: each call on its own `em.fork()`. */
import type { MikroORM } from "@mikro-orm/core";
import type { FeedStore } from "../../app/feed/ports.js";
import type { NoticeSender } from "../../app/notices/ports.js";
import { openModerationItems } from "./feedModeration.js";
import { feedNotices } from "./feedNotices.js";
import { feedPage } from "./feedCards.js";
import { setBlock, setDefaultVisibility, setFollow } from "./feedRelations.js";
import { listComments } from "./feedSocialStore.js";

/** Reactions, comments, reports and their outcome tell someone: those run with their notices (`feedNotices.ts`). */
export function feedRequestStore(orm: MikroORM, notices: NoticeSender): FeedStore {
  const em = () => orm.em.fork();
  return {
    ...feedNotices(orm, notices),
    page: (gymId, viewerId, cursor) => feedPage(em(), gymId, viewerId, cursor),
    comments: (gymId, viewerId, eventId, cursor) => listComments(em(), gymId, viewerId, eventId, cursor),
    follow: (gymId, viewerId, memberId, follow, now) => setFollow(em(), gymId, viewerId, memberId, follow, now),
    block: (gymId, viewerId, memberId, block, now) => setBlock(em(), gymId, viewerId, memberId, block, now),
    setDefaultVisibility: (userId, visibility, now) => setDefaultVisibility(em(), userId, visibility, now),
    moderationItems: (gymId, viewerId) => openModerationItems(em(), gymId, viewerId),
  };
}
