/**
 * What a room actor's handler decides and how an actor answers: the outcome of one message, the jobs and
 * pending commits it tracks, and the answers it gives when it cannot store or find something.
 */
import { refuse } from "../domain/protocol/acks.js";
import type { Ack, RoomId } from "../domain/protocol/envelope.js";
import type { ViewChange } from "../domain/views/sections.js";
import { afterReplies } from "./afterReplies.js";
import type { ProcessedRecord, RoomMessage } from "./ports.js";

/** What handling one message decided. `changes` are persisted in the next group commit before `reply` is sent. */
export interface Outcome<S, C> {
  state: S;
  changes: C[];
  reply: Ack<unknown>;
  /**
   * What of the room's views the new state changed (see `sections`); deltas are built from it alone.
   * Without it a changed state is compared whole.
   */
  touched?: ViewChange;
  /**
   * Runs once the changes are committed, right after the batch's answers are resolved: the room's own
   * bookkeeping and what someone waits on (a promotion notice). Keep it small; the answers' sends queue behind it.
   */
  afterCommit?: () => void;
  /**
   * Runs after the batch's answers have gone out (on the next turn of the event loop): cross-room notes nobody
   * waits on (waitlist positions, the gym's schedule line). In memory only, like `afterCommit`: never durable work.
   */
  later?: () => void;
  /**
   * With no changes: the answer comes from elsewhere (another room's commit). The mailbox moves on at
   * once and the caller gets this answer when it arrives; `reply` is ignored.
   */
  replyLater?: Promise<Ack<unknown>>;
}

export interface Pending<S, C> {
  changes: C[];
  stateAfter: S;
  reply: Ack<unknown>;
  processed: ProcessedRecord | null;
  resolve: (ack: Ack<unknown>) => void;
  afterCommit: (() => void) | undefined;
  later: (() => void) | undefined;
  touched: ViewChange;
  /** The message, to decide it again when the commit's guard refused a standing it rested on, or another owner committed first. */
  job: Job;
}

export interface Job {
  message: RoomMessage;
  resolve: (ack: Ack<unknown>) => void;
  /** What `prepare` fetched for it, started when it arrived (resolves undefined when that failed). */
  prepared: Promise<unknown> | undefined;
  /** Set once it was decided again after a `StandingConflict` (a second conflict answers UNAVAILABLE). */
  redecided?: boolean;
  /**
   * Set when a group commit it shared failed for another reason: it is decided again and committed alone, so one
   * command the database refuses fails only itself, never its batch-mates (a failing lone commit answers UNAVAILABLE).
   */
  isolated?: boolean;
}

/** An error answer with the code's default words (the protocol's one refusal helper). */
export const fail = refuse;

/** A settled promise for work that finished at once (one for every caller: nothing to allocate). */
export const DONE: Promise<void> = Promise.resolve();

/** A commit failed and the message was not decided again: nothing was stored, try again. */
export const UNSAVED = fail("UNAVAILABLE", "We couldn't save that just now — please try again.", { retryAfterMs: 500 });

/** The room is stopping (handed to another node): try again, it will be elsewhere. */
export const MOVING = fail("UNAVAILABLE", "This room is moving to another server — try again.", { retryAfterMs: 200 });

/** The handler threw, or a forwarded answer failed: nothing was changed. */
export const INTERNAL = fail("INTERNAL", "Something went wrong on our side — nothing was changed.");

/** The room's entity does not exist (or is not visible): answered as NOT_FOUND. */
export class RoomNotFound extends Error {
  constructor(readonly room: RoomId) {
    super(`room ${room} not found`);
  }
}

/** A decided message waiting for its commit. */
export function pendingOf<S, C>(outcome: Outcome<S, C>, job: Job, processed: ProcessedRecord | null, touched: ViewChange): Pending<S, C> {
  const { changes, state: stateAfter, reply, afterCommit, later } = outcome;
  return { changes, stateAfter, reply, processed, resolve: job.resolve, afterCommit, later, touched, job };
}

/** A message's `prepare`, started when it arrives: a read that failed (or threw) is none (undefined). */
export function prepareSafely(prepare: () => Promise<unknown> | undefined): Promise<unknown> | undefined {
  try {
    return prepare()?.catch(() => undefined);
  } catch {
    return undefined;
  }
}

/** An answer that comes from elsewhere (another room's commit): the job gets it when it arrives. */
export function answerLater(answer: Promise<Ack<unknown>>, job: Job, onError: (err: unknown) => void): void {
  void answer.then(job.resolve, (err: unknown) => {
    onError(err);
    job.resolve(INTERNAL);
  });
}

/**
 * Runs committed outcomes' `afterCommit` now and their `later` once the answers have gone out (`afterReplies`: the
 * next turn, after the microtasks that write the answers to their sockets). One effect that throws stops no other.
 */
export function runAfterReplies(
  done: readonly Pick<Outcome<unknown, unknown>, "afterCommit" | "later">[],
  onError: (err: unknown) => void,
): void {
  const guard = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      onError(err);
    }
  };
  for (const p of done) if (p.afterCommit) guard(p.afterCommit);
  const later = done.flatMap((p) => (p.later ? [p.later] : []));
  if (later.length > 0) afterReplies(() => later.forEach(guard));
}
