/**
 * The ports of live feed delivery: persistence hands each committed batch of feed events to a {@link FeedSink}
 * (`server/persistence/feedStore.ts`), and the socket side (`server/realtime/feedDelivery.ts`) asks a
 * {@link FeedAudience} (`server/persistence/feedAudience.ts`) who may hear each event.
 */
import type { FeedEvent } from "../../domain/feed/events.js";

/** Receives events once the transaction that stored them has committed (live delivery). */
export type FeedSink = (events: FeedEvent[]) => void;

/** What deciding a batch's listeners reads; one reader per batch. */
export interface FeedAudience {
  /** Actors' names by user id. */
  names(userIds: readonly string[]): Promise<Map<string, string>>;
  /** Members whose access to the gym ended (a cancelled membership, inactive staff): they stop hearing what they watched. */
  revokedIn(gymId: string): Promise<string[]>;
  /** The members `userId` blocked or was blocked by. */
  blockedWith(userId: string): Promise<string[]>;
  /** Who follows `userId`. */
  followersOf(userId: string): Promise<string[]>;
}

/** Opens a reader for one batch. */
export type OpenFeedAudience = () => FeedAudience;
