/**
 * What the feed's requests need from the outside world; `server/persistence/feedRequestStore.ts` implements it over
 * PostgreSQL. Every method that can refuse answers a {@link DomainError} (NOT_FOUND for what the viewer may not see).
 */
import type { DomainError } from "../../domain/errors.js";
import type { FeedPosition } from "../../domain/feed/cursor.js";
import type { Visibility } from "../../domain/feed/events.js";
import type { ReactionKind, ReportTarget } from "../../domain/feed/social.js";
import type { FeedCommentView, FeedPage } from "../../domain/protocol/feed.js";
import type { Clock, StaffReadLog } from "../requestContext.js";

export interface ModerationQueue {
  items: unknown[];
}

export interface FeedStore {
  page(gymId: string, viewerId: string, cursor: FeedPosition | null): Promise<FeedPage>;
  react(
    gymId: string,
    viewerId: string,
    eventId: string,
    kind: ReactionKind,
    now: number,
  ): Promise<{ eventId: string; kind: ReactionKind; reacted: boolean; reactions: Record<ReactionKind, number> } | DomainError>;
  comment(gymId: string, viewerId: string, eventId: string, body: string, now: number): Promise<{ comment: FeedCommentView } | DomainError>;
  comments(
    gymId: string,
    viewerId: string,
    eventId: string,
    cursor: string | undefined,
  ): Promise<{ comments: FeedCommentView[]; nextCursor: string | null } | DomainError>;
  report(
    gymId: string,
    viewerId: string,
    target: ReportTarget,
    id: string,
    reason: string,
    now: number,
  ): Promise<{ reportId: string; reportedAt: number } | DomainError>;
  follow(
    gymId: string,
    viewerId: string,
    memberId: string,
    follow: boolean,
    now: number,
  ): Promise<{ memberId: string; following: boolean } | DomainError>;
  block(
    gymId: string,
    viewerId: string,
    memberId: string,
    block: boolean,
    now: number,
  ): Promise<{ memberId: string; blocked: boolean } | DomainError>;
  setDefaultVisibility(userId: string, visibility: Visibility, now: number): Promise<{ visibility: Visibility }>;
  /** Open reports of the gym, newest first (100), without those about the viewer's own posts and comments. */
  moderationItems(gymId: string, viewerId: string): Promise<ModerationQueue>;
  resolveModerationItem(
    gymId: string,
    itemId: string,
    by: { actorId: string; commandId: string | null; at: number },
  ): Promise<{ itemId: string; status: "resolved" } | DomainError>;
}

export interface FeedPorts {
  store: FeedStore;
  readAudit: StaffReadLog;
  now: Clock;
}
