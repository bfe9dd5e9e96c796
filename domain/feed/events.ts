/** The member feed: what can appear in it, and who may set what (see docs/domain.md "The feed"). */

/** What happened. Producers (workouts, attendance, challenges) append one event per fact. */
export const FeedEventKinds = [
  "workout_logged",
  "pr",
  "checkin_milestone",
  "challenge_joined",
  "challenge_completed",
  "streak_milestone",
] as const;
export type FeedEventKind = (typeof FeedEventKinds)[number];

/**
 * Who sees an event, besides its actor (who always does):
 * - `public`: every member of the gym; may later be shown outside the gym (public profile);
 * - `gym`: every member of the gym, never outside it;
 * - `followers`: members who follow the actor;
 * - `private`: nobody but the actor.
 * Blocks override all of these, both ways.
 */
export const Visibilities = ["public", "followers", "gym", "private"] as const;
export type Visibility = (typeof Visibilities)[number];

/** Check-in counts that make a feed event (the 10th, 50th, 100th class…). */
export const CheckInMilestones = [10, 50, 100, 250, 500, 1000] as const;
/** Streak lengths in days that make a feed event. */
export const StreakMilestones = [7, 14, 30, 60, 100, 365] as const;

/** Whether `count` (check-ins so far, this one included) is a check-in milestone. */
export const isCheckInMilestone = (count: number): boolean => (CheckInMilestones as readonly number[]).includes(count);
/** Whether a streak of `days` is a streak milestone. */
export const isStreakMilestone = (days: number): boolean => (StreakMilestones as readonly number[]).includes(days);

/** Largest payload accepted, as JSON text: events are cards, not documents. */
export const MaxFeedPayloadChars = 2_000;

/**
 * An event to append (see `appendFeedEvents` in server/persistence/feedStore.ts).
 *
 * @example
 * { gymId, actorId: memberId, kind: "pr", payload: { count: 2, movements: ["back squat"] }, at: now, dedupeKey: `pr:${logId}` }
 */
export interface NewFeedEvent {
  gymId: string;
  actorId: string;
  kind: FeedEventKind;
  /** Default: the actor's setting (see {@link defaultVisibility}). */
  visibility?: Visibility;
  /** Small JSON (at most {@link MaxFeedPayloadChars} characters serialized). */
  payload: Record<string, unknown>;
  /** When it happened, epoch ms. */
  at: number;
  /** Appending the same key twice in one gym stores one event (retries, replays). */
  dedupeKey?: string;
}

/** A stored event. */
export interface FeedEvent {
  id: string;
  gymId: string;
  actorId: string;
  kind: FeedEventKind;
  visibility: Visibility;
  payload: Record<string, unknown>;
  at: number;
  dedupeKey: string | null;
  createdAt: number;
}

/**
 * The visibility an event gets when its producer names none: the member's own setting, else `gym` —
 * or `private` for members who chose not to be shown on rosters (their earlier privacy choice wins).
 */
export function defaultVisibility(setting: Visibility | null | undefined, visibleOnRosters: boolean): Visibility {
  return setting ?? (visibleOnRosters ? "gym" : "private");
}

/** Why a {@link NewFeedEvent} is refused, or null when it is valid. */
export function invalidFeedEvent(e: NewFeedEvent): string | null {
  if (!(FeedEventKinds as readonly string[]).includes(e.kind)) return `unknown feed event kind "${String(e.kind)}"`;
  if (e.visibility !== undefined && !(Visibilities as readonly string[]).includes(e.visibility))
    return `unknown visibility "${String(e.visibility)}"`;
  if (!Number.isSafeInteger(e.at) || e.at < 0) return "at must be epoch milliseconds";
  if (e.dedupeKey !== undefined && (e.dedupeKey.length < 1 || e.dedupeKey.length > 200)) return "dedupeKey must have 1–200 characters";
  const json = JSON.stringify(e.payload);
  if (json === undefined || typeof e.payload !== "object" || e.payload === null || Array.isArray(e.payload))
    return "payload must be a JSON object";
  if (json.length > MaxFeedPayloadChars) return `payload exceeds ${MaxFeedPayloadChars} characters`;
  return null;
}
