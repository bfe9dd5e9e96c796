/** Reactions, comments and reports on feed events. */
import type { Visibility } from "./events.js";

/** Reaction kinds; one of each per member per event, toggled. */
export const ReactionKinds = ["kudos", "fire", "strong"] as const;
export type ReactionKind = (typeof ReactionKinds)[number];

/** Comment length after trimming. */
export const CommentLimits = { min: 1, max: 500 } as const;
/** Report reason length after trimming (may be empty). */
export const ReportReasonMax = 500;
/** Cards per feed page. */
export const FeedPageSize = 50;

/** A stored follow: `followerId` sees `followeeId`'s `followers` events. */
export interface FeedFollow {
  id: string;
  followerId: string;
  followeeId: string;
  createdAt: number;
}

/** A stored block: hides both members from each other, in every gym. */
export interface FeedBlock {
  id: string;
  blockerId: string;
  blockedId: string;
  createdAt: number;
}

/** A member's feed settings. */
export interface FeedSetting {
  userId: string;
  defaultVisibility: Visibility;
  updatedAt: number;
}

export interface FeedReaction {
  id: string;
  eventId: string;
  userId: string;
  kind: ReactionKind;
  at: number;
}

export interface FeedComment {
  id: string;
  gymId: string;
  eventId: string;
  authorId: string;
  body: string;
  at: number;
}

/** What a report points at. */
export const ReportTargets = ["event", "comment"] as const;
export type ReportTarget = (typeof ReportTargets)[number];

/** A report, kept for staff as a moderation item with a copy of what was reported. */
export interface ModerationItem {
  id: string;
  gymId: string;
  reporterId: string;
  targetType: ReportTarget;
  targetId: string;
  /** The reported content's author. */
  authorId: string;
  /** A copy of the reported text or card summary at report time (max 500 chars). */
  excerpt: string;
  reason: string;
  status: "open" | "resolved";
  createdAt: number;
}
