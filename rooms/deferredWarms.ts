/**
 * Gym loads asked for "soon" (see `ResidentStandings.warmSoon`): background work that waits for a lull in the gym's
 * cold room loads. A cold class room's first join is answered from the room's own read; the gym's bulk load started
 * beside that read (or by the room completing its standings at once) shared PostgreSQL and the main thread with it,
 * and its rows were parsed inside the join or the next one (issue 15: 20–50 ms against ~4). A decision that needs
 * the standings loads them at once.
 */

/** How long a gym's cold room loads must pause before its members' bulk load starts (see `schedule`). */
export const WARM_QUIET_MS = 50;

/** However often it is asked again, a gym's load starts at most this long after the first ask. */
export const MAX_DEFER_MS = 1_000;

interface Pending {
  firstAt: number;
  due: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  waiters: (() => void)[];
}

export class DeferredWarms {
  private readonly pending = new Map<string, Pending>();

  /**
   * Runs `start` once no ask for the gym came for `quietMs` (each ask may push it later: a burst of room loads first),
   * but no later than {@link MAX_DEFER_MS} after the first ask.
   */
  schedule(gymId: string, quietMs: number, start: () => void): void {
    const now = performance.now();
    const was = this.pending.get(gymId);
    const p: Pending = was ?? { firstAt: now, due: Infinity, timer: undefined, waiters: [] };
    const due = Math.min(p.firstAt + MAX_DEFER_MS, now + quietMs);
    if (p.timer && Math.abs(p.due - due) < 1) return;
    clearTimeout(p.timer);
    p.due = due;
    p.timer = setTimeout(() => (this.started(gymId), start()), Math.max(0, due - now));
    p.timer.unref?.();
    this.pending.set(gymId, p);
  }

  /** Resolves when the gym's load starts (its scheduled time, or {@link started} by a read that needs it sooner). */
  wait(gymId: string, schedule: () => void): Promise<void> {
    return new Promise((resolve) => {
      schedule();
      const p = this.pending.get(gymId);
      if (p) p.waiters.push(resolve);
      else resolve();
    });
  }

  /** The gym's load started (whoever started it): nothing left to schedule; its waiters go on. */
  started(gymId: string): void {
    const p = this.pending.get(gymId);
    if (!p) return;
    this.pending.delete(gymId);
    clearTimeout(p.timer);
    for (const resolve of p.waiters) resolve();
  }

  /** Cancels every pending start (their waiters go on). */
  clear(): void {
    for (const gymId of [...this.pending.keys()]) this.started(gymId);
  }
}
