import { EntitySchema } from "@mikro-orm/core";
import type { FeedEvent } from "../../../domain/feed/events.js";
import type { FeedBlock, FeedComment, FeedFollow, FeedReaction, FeedSetting, ModerationItem } from "../../../domain/feed/social.js";
import { EpochMsType } from "../EpochMsType.js";

/** One feed card. Pages read `(gym_id, at desc, id desc)`: the index below serves them on a 200k-event gym. */
export const FeedEventEntity = new EntitySchema<FeedEvent>({
  name: "FeedEvent",
  tableName: "feed_event",
  indexes: [{ name: "feed_event_page_index", properties: ["gymId", "at", "id"] }, { properties: ["actorId"] }],
  uniques: [{ properties: ["gymId", "dedupeKey"] }],
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    actorId: { type: "uuid" },
    kind: { type: "string", length: 32 },
    visibility: { type: "string", length: 16 },
    payload: { type: "json" },
    at: { type: EpochMsType },
    dedupeKey: { type: "string", length: 200, nullable: true },
    createdAt: { type: EpochMsType },
  },
});

/** A member's feed settings (no row: the default, see `defaultVisibility`). */
export const FeedSettingEntity = new EntitySchema<FeedSetting>({
  name: "FeedSetting",
  tableName: "feed_setting",
  properties: {
    userId: { type: "uuid", primary: true },
    defaultVisibility: { type: "string", length: 16 },
    updatedAt: { type: EpochMsType },
  },
});

export const FeedFollowEntity = new EntitySchema<FeedFollow>({
  name: "FeedFollow",
  tableName: "feed_follow",
  uniques: [{ properties: ["followerId", "followeeId"] }],
  indexes: [{ properties: ["followeeId"] }],
  properties: {
    id: { type: "uuid", primary: true },
    followerId: { type: "uuid" },
    followeeId: { type: "uuid" },
    createdAt: { type: EpochMsType },
  },
});

export const FeedBlockEntity = new EntitySchema<FeedBlock>({
  name: "FeedBlock",
  tableName: "feed_block",
  uniques: [{ properties: ["blockerId", "blockedId"] }],
  indexes: [{ properties: ["blockedId"] }],
  properties: {
    id: { type: "uuid", primary: true },
    blockerId: { type: "uuid" },
    blockedId: { type: "uuid" },
    createdAt: { type: EpochMsType },
  },
});

export const FeedReactionEntity = new EntitySchema<FeedReaction>({
  name: "FeedReaction",
  tableName: "feed_reaction",
  uniques: [{ properties: ["eventId", "userId", "kind"] }],
  indexes: [{ properties: ["userId"] }],
  properties: {
    id: { type: "uuid", primary: true },
    eventId: { type: "uuid" },
    userId: { type: "uuid" },
    kind: { type: "string", length: 16 },
    at: { type: EpochMsType },
  },
});

export const FeedCommentEntity = new EntitySchema<FeedComment>({
  name: "FeedComment",
  tableName: "feed_comment",
  indexes: [{ properties: ["eventId", "at"] }, { properties: ["authorId"] }],
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    eventId: { type: "uuid" },
    authorId: { type: "uuid" },
    body: { type: "string", length: 500 },
    at: { type: EpochMsType },
  },
});

/** Reports for staff: open items are listed newest first per gym. */
export const ModerationItemEntity = new EntitySchema<ModerationItem>({
  name: "ModerationItem",
  tableName: "moderation_item",
  indexes: [{ properties: ["gymId", "status", "createdAt"] }, { properties: ["reporterId"] }],
  uniques: [{ properties: ["reporterId", "targetType", "targetId"] }],
  properties: {
    id: { type: "uuid", primary: true },
    gymId: { type: "uuid" },
    reporterId: { type: "uuid" },
    targetType: { type: "string", length: 16 },
    targetId: { type: "uuid" },
    authorId: { type: "uuid" },
    excerpt: { type: "string", length: 500 },
    reason: { type: "string", length: 500 },
    status: { type: "string", length: 16 },
    createdAt: { type: EpochMsType },
  },
});
