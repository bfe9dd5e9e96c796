/**
 * Gym loads asked for "soon" (see `ResidentStandings.warmSoon`): one pending start per gym (the earliest asked for),
 * cancelled on close. A cold class room's first join reads its own roster; the gym's bulk load started beside that
 * read shared PostgreSQL and the main thread with it, and its rows were parsed inside the join (issue 15).
 */
export class DeferredWarms {
  private readonly pending = new Map<string, { due: number; cancel: () => void }>();

  /** Runs `start` after `afterMs` (0: after this turn's I/O callbacks, `setImmediate`), once, at the earliest time asked. */
  schedule(gymId: string, afterMs: number, start: () => void): void {
    const due = performance.now() + afterMs;
    const was = this.pending.get(gymId);
    if (was && was.due <= due) return;
    was?.cancel();
    const run = () => {
      this.pending.delete(gymId);
      start();
    };
    if (afterMs > 0) {
      const timer = setTimeout(run, afterMs);
      timer.unref?.();
      this.pending.set(gymId, { due, cancel: () => clearTimeout(timer) });
    } else {
      const immediate = setImmediate(run);
      this.pending.set(gymId, { due, cancel: () => clearImmediate(immediate) });
    }
  }

  /** Cancels every pending start. */
  clear(): void {
    for (const { cancel } of this.pending.values()) cancel();
    this.pending.clear();
  }
}
