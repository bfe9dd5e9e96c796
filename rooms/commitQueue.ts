/**
 * Group commit's queue: decided messages waiting for the room's next commit. A commit goes when the queue
 * holds a full batch, when nothing else waits to be decided (no message could join it: waiting would only delay
 * the answers), or `flushMaxDelayMs` after the first message of a batch arrived; never while one is in flight
 * (the caller says so). A message marked `isolated` (its batch failed for a reason of its own) is
 * committed alone, so one command the database refuses fails only itself.
 */
export class CommitQueue<P extends { job: { isolated?: boolean } }> {
  private pending: P[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly limits: { readonly flushMaxBatch: number; readonly flushMaxDelayMs: number }) {}

  get size(): number {
    return this.pending.length;
  }

  push(p: P): void {
    this.pending.push(p);
  }

  /**
   * Starts `flush` now (a full batch, no delay, or `nothingWaits`: no message is left to decide) or once the delay
   * has passed; nothing if `busy()`.
   */
  schedule(busy: () => boolean, flush: () => void, nothingWaits = false): void {
    if (busy() || this.pending.length === 0) return;
    if (this.pending.length >= this.limits.flushMaxBatch || this.limits.flushMaxDelayMs === 0 || nothingWaits) {
      this.cancelTimer();
      flush();
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!busy()) flush();
    }, this.limits.flushMaxDelayMs);
  }

  /** The next group commit: up to the batch limit, but an isolated message goes alone. */
  takeBatch(): P[] {
    const max = this.limits.flushMaxBatch;
    const alone = this.pending.findIndex((p) => p.job.isolated);
    return this.pending.splice(0, alone === 0 ? 1 : alone > 0 ? Math.min(alone, max) : max);
  }

  /** Everything queued, and no commit due any more (a reload decides it all again). */
  takeAll(): P[] {
    this.cancelTimer();
    return this.pending.splice(0);
  }

  cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
