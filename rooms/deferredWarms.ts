/**
 * Gym loads asked for "soon" (see `ResidentStandings.warmSoon`): background work that waits for a lull in the gym's
 * cold room loads. A cold class room's first join is answered from the room's own read; the gym's bulk load started
 * beside that read shared PostgreSQL and the main thread with it, and its rows were parsed inside the join (issue 15:
 * the first join, then the next one, 20–50 ms against ~4). A decision that needs the standings loads them at once.
 */

/** How long a gym's cold room loads must pause before its members' bulk load starts (see `schedule`). */
export const WARM_QUIET_MS = 50;

/** However often it is asked again, a gym's load starts at most this long after the first ask. */
export const MAX_DEFER_MS = 1_000;

export class DeferredWarms {
  private readonly pending = new Map<string, { firstAt: number; due: number; timer: ReturnType<typeof setTimeout> }>();

  /**
   * Runs `start` once no ask for the gym came for `quietMs` (each ask may push it later: a burst of room loads first),
   * but no later than {@link MAX_DEFER_MS} after the first ask.
   */
  schedule(gymId: string, quietMs: number, start: () => void): void {
    const now = performance.now();
    const was = this.pending.get(gymId);
    const firstAt = was?.firstAt ?? now;
    const due = Math.min(firstAt + MAX_DEFER_MS, now + quietMs);
    if (was && Math.abs(was.due - due) < 1) return;
    if (was) clearTimeout(was.timer);
    const timer = setTimeout(
      () => {
        this.pending.delete(gymId);
        start();
      },
      Math.max(0, due - now),
    );
    timer.unref?.();
    this.pending.set(gymId, { firstAt, due, timer });
  }

  /** Cancels every pending start. */
  clear(): void {
    for (const { timer } of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
