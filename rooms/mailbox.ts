/**
 * A room's mailbox (one job of `RoomActor`): messages are handled strictly one at a time, in arrival order, and
 * the loop waits while a recovery puts messages back at its head.
 */
import type { Job } from "./outcome.js";

export class Mailbox {
  private readonly jobs: Job[] = [];
  private draining = false;
  private current: Promise<void> | null = null;

  constructor(
    /** Handles one message (the mailbox awaits it before the next). */
    private readonly handle: (job: Job) => Promise<void>,
    /** A recovery under way: the loop waits for it, as the head may be messages put back to be decided again. */
    private readonly paused: () => Promise<void> | null,
  ) {}

  /** Whether messages are waiting or being handled. */
  get busy(): boolean {
    return this.draining || this.jobs.length > 0;
  }

  /** How many messages wait behind the one being handled. */
  get waiting(): number {
    return this.jobs.length;
  }

  /** The message being handled right now, if any. */
  get handling(): Promise<void> | null {
    return this.current;
  }

  push(job: Job): void {
    this.jobs.push(job);
    if (!this.draining) void this.drain();
  }

  /** Puts jobs back at the head, in their order (call {@link resume} once the recovery is over). */
  putBack(jobs: Job[]): void {
    this.jobs.unshift(...jobs);
  }

  /** Drains again if messages wait and nothing drains them. */
  resume(): void {
    if (!this.draining && this.jobs.length > 0) void this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.jobs.length > 0) {
        // After a reload the head of the mailbox may be messages put back to be decided again: read it afresh.
        const paused = this.paused();
        if (paused) {
          await paused.catch(() => undefined);
          continue;
        }
        this.current = this.handle(this.jobs.shift()!);
        await this.current;
        this.current = null;
      }
    } finally {
      this.draining = false;
    }
  }
}
