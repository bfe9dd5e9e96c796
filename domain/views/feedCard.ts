/** A feed event as the card a viewer's screen shows, before anyone reacted or commented (live delivery of a new post). */
import type { FeedCard } from "../protocol/feed.js";
import type { FeedEventKind, Visibility } from "../feed/events.js";
import { ReactionKinds, type ReactionKind } from "../feed/social.js";
import { firstName } from "./people.js";

/** `visibility` is shown to the actor only (null for everyone else). */
export function newCard(
  e: { id: string; kind: FeedEventKind; at: number; actorId: string; payload: Record<string, unknown> },
  actorName: string,
  visibility: Visibility | null,
): FeedCard {
  return {
    id: e.id,
    kind: e.kind,
    at: e.at,
    actor: { id: e.actorId, firstName: firstName(actorName) },
    visibility,
    payload: e.payload,
    reactions: Object.fromEntries(ReactionKinds.map((k) => [k, 0])) as Record<ReactionKind, number>,
    mine: [],
    comments: 0,
  };
}
