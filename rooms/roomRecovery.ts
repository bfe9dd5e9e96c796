/**
 * What a room does after a commit did not land (one job of `RoomActor`): reload from the database and put the
 * messages decided on top of the lost batch back at the head of the mailbox — or answer them UNAVAILABLE. Nobody
 * has an answer yet at that point (answers come only after a commit), so deciding again is always safe.
 */
import type { RoomId } from "../domain/protocol/envelope.js";
import { RoomNotFound, UNSAVED, type Job, type Pending } from "./outcome.js";
import type { GroupCommit } from "./groupCommit.js";
import type { Mailbox } from "./mailbox.js";
import { StaleOwner, StandingConflict, type Loaded, type RoomMessage, type RoomRuntime } from "./ports.js";

/** The actor's side of a recovery. */
export interface RecoveryHost<S, C> {
  readonly id: RoomId;
  readonly rt: RoomRuntime;
  load(): Promise<Loaded<S> | null>;
  /** Adopts a loaded state: fence, processed commands, views. */
  reset(loaded: Loaded<S>): void;
  /** Drops what was decided but not committed (the state goes back to the committed one). */
  rewind(): void;
  /** The group commit: its timer is held while the room reloads, and what it still queues is decided again. */
  readonly commits: Pick<GroupCommit<S, C>, "hold" | "takeQueued">;
  /** The mailbox: the message being handled joins a batch decided again; jobs go back at its head. */
  readonly mailbox: Pick<Mailbox, "handling" | "putBack">;
  /** Starts a message's read-ahead again (see `RoomActor.prepare`). */
  prepare(message: RoomMessage): Promise<unknown> | undefined;
  /** A newer owner fenced this room out: stop taking messages and send watchers to rejoin. */
  fencedOut(): void;
}

/**
 * Which messages a failed commit decides again: after a refused standing, those not decided again already (once);
 * after a database refusal of a batch of several, each of them and what came after, alone; after a lone message's
 * refusal, only what came after it. A stale owner decides nothing again.
 */
export function decideAgain<S, C>(batch: Pending<S, C>[], later: Pending<S, C>[], err: unknown): Job[] {
  const all = [...batch, ...later];
  if (err instanceof StaleOwner) return [];
  if (err instanceof StandingConflict)
    return all.filter((p) => !p.job.redecided).map((p) => ({ ...p.job, resolve: p.resolve, redecided: true }));
  return (batch.length > 1 ? all : later).map((p) => ({ ...p.job, resolve: p.resolve, isolated: true }));
}

export class RoomRecovery<S, C> {
  private current: Promise<void> | null = null;

  constructor(private readonly host: RecoveryHost<S, C>) {}

  /** The recovery under way: the mailbox waits for it, as its head may be messages put back. */
  get running(): Promise<void> | null {
    return this.current;
  }

  /**
   * Another owner committed after this room loaded (it took the room over from them and their last commits
   * landed in between): reload, and decide the batch and everything handled after it again, in their order,
   * ahead of what is still queued.
   */
  async redecide(batch: Pending<S, C>[]): Promise<void> {
    const h = this.host;
    h.commits.hold();
    h.rt.log.info({ room: h.id, commands: batch.length }, "another owner committed since this room loaded; deciding again");
    await this.run(async () => {
      // The message being handled right now joins the batch, so it is decided again too, in its place.
      await h.mailbox.handling;
      const jobs = [...batch, ...h.commits.takeQueued()].map((p) => p.job);
      h.rewind();
      try {
        const loaded = await h.load();
        if (!loaded) throw new RoomNotFound(h.id);
        h.reset(loaded);
      } catch (err) {
        h.rt.log.error({ room: h.id, err }, "reload after a version conflict failed");
        for (const j of jobs) j.resolve(UNSAVED);
        return;
      }
      this.requeue(jobs);
    });
  }

  /**
   * After a failed commit: reloads from the database (three tries), and answers or decides again the batch and
   * everything handled after it (see {@link decideAgain}). When the reload fails too (the database is away),
   * everything answers UNAVAILABLE. Resolves true when messages were put back in the mailbox.
   */
  async afterFailure(batch: Pending<S, C>[], err: unknown): Promise<boolean> {
    const h = this.host;
    h.commits.hold();
    let again: Job[] = [];
    let reloaded = false;
    await this.run(async () => {
      // The message being handled right now (awaiting a read) decided on state that held the lost batch: it joins what
      // follows the batch, answered or decided again with it. Regression: it was pushed after the batch's followers
      // were taken, and committed on the reloaded state what it had decided on the lost one.
      await h.mailbox.handling;
      const later = h.commits.takeQueued();
      const all = [...batch, ...later];
      again = decideAgain(batch, later, err);
      const retried = new Set(again.map((j) => j.resolve));
      for (const p of all) if (!retried.has(p.resolve)) p.resolve(UNSAVED);
      if (err instanceof StaleOwner) {
        h.rt.log.warn({ room: h.id }, "fenced out by a newer owner; stopping");
        again = [];
        h.fencedOut();
        return;
      }
      if (err instanceof StandingConflict)
        h.rt.log.warn({ room: h.id, commands: again.length }, "a standing changed elsewhere; deciding again");
      else h.rt.log.error({ room: h.id, err, commands: all.length, decidedAgain: again.length }, "commit failed; reloading room");
      h.rewind();
      reloaded = await this.reload();
      if (reloaded) this.requeue(again);
      else for (const j of again) j.resolve(UNSAVED);
    });
    return again.length > 0 && reloaded;
  }

  /** Puts jobs back at the head of the mailbox, in their order, their read-ahead started again. */
  private requeue(jobs: Job[]): void {
    this.host.mailbox.putBack(jobs.map((j) => ({ ...j, prepared: this.host.prepare(j.message) })));
  }

  /** Loads the room again, up to three tries 100 and 200 ms apart; false when all failed (the last committed state stays). */
  private async reload(): Promise<boolean> {
    const h = this.host;
    for (let attempt = 0; ; attempt++) {
      try {
        const loaded = await h.load();
        if (loaded) h.reset(loaded);
        return true;
      } catch (e) {
        if (attempt >= 2) {
          // Keep the last committed state; the next failure will try again.
          h.rt.log.error({ room: h.id, err: e }, "reload after failed commit failed");
          return false;
        }
        await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
      }
    }
  }

  private async run(recover: () => Promise<void>): Promise<void> {
    this.current = recover().finally(() => {
      this.current = null;
    });
    await this.current;
  }
}
