import type { Visibility } from "./events.js";

/** Who looks: a member reading one gym's feed. */
export interface FeedViewer {
  userId: string;
  gymId: string;
}

/** The parts of an event that decide who sees it. */
export interface VisibleEvent {
  gymId: string;
  actorId: string;
  visibility: Visibility;
}

/** The viewer's relations to the event's actor. */
export interface FeedRelations {
  /** The viewer follows the actor. */
  follows: boolean;
  /** Either blocked the other (blocks work both ways). */
  blocked: boolean;
}

/**
 * Whether `viewer` may see `event`. The one rule every feed read and every live push applies:
 * never across gyms; the actor always sees their own events; a block hides everything both ways;
 * `private` is for the actor only; `followers` for followers only; `gym` and `public` for every member of the gym.
 *
 * @example canSee({ userId: me, gymId }, event, { follows: true, blocked: false })
 */
export function canSee(viewer: FeedViewer, event: VisibleEvent, relations: FeedRelations): boolean {
  if (viewer.gymId !== event.gymId) return false;
  if (viewer.userId === event.actorId) return true;
  if (relations.blocked) return false;
  switch (event.visibility) {
    case "public":
    case "gym":
      return true;
    case "followers":
      return relations.follows;
    case "private":
      return false;
  }
}

/**
 * Whether `a` and `b` may interact (follow, react, comment, see each other's reactions and comments):
 * not the same member, and neither blocked the other.
 */
export function mayInteract(a: string, b: string, blocked: boolean): boolean {
  return a !== b && !blocked;
}
