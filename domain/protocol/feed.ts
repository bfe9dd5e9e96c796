import { z } from "zod";
import { storableText } from "./text.js";
import { CommentLimits, ReactionKinds, ReportReasonMax, ReportTargets } from "../feed/social.js";
import { Visibilities, type FeedEventKind, type Visibility } from "../feed/events.js";
import type { ReactionKind } from "../feed/social.js";

const Id = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "must be a UUID")
  .transform((s) => s.toLowerCase());
const Cursor = storableText({ min: 1, max: 100 });

/**
 * Feed requests, sent with the `command` event like the queries of `queries.ts` (same envelope and ack), answered
 * from the database. `feed:*` go to room `gym:<gymId>` (the caller's gym: another gym's is NOT_FOUND), except
 * `feed:setDefaultVisibility` which goes to `user:<me>`. Pages hold 50 cards, newest first; pass `nextCursor` as
 * `cursor` for the next page. See docs/protocol.md "The feed".
 */
export const FeedCommandSchemas = {
  /** Watch the gym's feed live (`feed:posted` frames) and get the first page: `{ cards, nextCursor }`. */
  "feed:watch": z.strictObject({}),
  /** Stop the live frames of this gym's feed. */
  "feed:unwatch": z.strictObject({}),
  /** A page of 50 cards older than `cursor` (or the newest): `{ cards, nextCursor }`. */
  "feed:page": z.strictObject({ cursor: Cursor.optional() }),
  /**
   * Toggle my reaction of one kind on an event: `{ eventId, kind, reacted, reactions }`.
   * @example { eventId, kind: "kudos" }
   */
  "feed:react": z.strictObject({ eventId: Id, kind: z.enum(ReactionKinds) }),
  /** Comment on an event (1–500 characters after trimming): `{ comment }`. */
  "feed:comment": z.strictObject({
    eventId: Id,
    body: storableText({
      min: CommentLimits.min,
      required: "Write something first",
      max: CommentLimits.max,
      tooLong: `At most ${CommentLimits.max} characters`,
    }),
  }),
  /** An event's comments, oldest first, 50 a page: `{ comments, nextCursor }`. */
  "feed:comments": z.strictObject({ eventId: Id, cursor: Cursor.optional() }),
  /**
   * Report an event or a comment to the gym's staff (a moderation item); reporting again answers the first report.
   * @example { target: "comment", id: commentId, reason: "Rude" }
   */
  "feed:report": z.strictObject({
    target: z.enum(ReportTargets),
    id: Id,
    reason: storableText({ max: ReportReasonMax, tooLong: `At most ${ReportReasonMax} characters` }),
  }),
  /** Follow (`follow: true`) or unfollow a member of the gym. */
  "feed:follow": z.strictObject({ memberId: Id, follow: z.boolean() }),
  /** Block (`block: true`) or unblock a member of the gym: blocked pairs see nothing of each other, everywhere. */
  "feed:block": z.strictObject({ memberId: Id, block: z.boolean() }),
  /** Staff: the gym's open moderation items, newest first (max 100). */
  "gym:moderationItems": z.strictObject({}),
  /** Owners and admins: close a moderation item. */
  "gym:resolveModerationItem": z.strictObject({ itemId: Id }),
  /** Room `user:<me>`: the visibility my events get when their producer names none. */
  "feed:setDefaultVisibility": z.strictObject({ visibility: z.enum(Visibilities) }),
} as const;

export type FeedCommandType = keyof typeof FeedCommandSchemas;

/** One card of the feed, as every viewer who may see it receives it. */
export interface FeedCard {
  id: string;
  kind: FeedEventKind;
  at: number;
  /** The actor's id (to follow, block or report) and first name. */
  actor: { id: string; firstName: string };
  /** Shown to the actor only (others get null). */
  visibility: Visibility | null;
  payload: Record<string, unknown>;
  /** Reactions per kind, not counting members blocked with the viewer. */
  reactions: Record<ReactionKind, number>;
  /** The viewer's own reactions. */
  mine: ReactionKind[];
  comments: number;
}

/** A page of the feed: `nextCursor` is null on the last page. */
export interface FeedPage {
  cards: FeedCard[];
  nextCursor: string | null;
}

/** A comment as viewers see it. */
export interface FeedCommentView {
  id: string;
  eventId: string;
  author: { id: string; firstName: string };
  body: string;
  at: number;
}
