/**
 * A class room's one timer: it fires at the next offer expiry or when check-in closes after the class (at most an
 * hour ahead; looked at again then). A commit that leaves the next deadline where it was keeps the timer.
 */
import type { ClassState } from "../domain/class/index.js";

export class ClassTimer {
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** The deadline `timer` was set for (it fires then, or after an hour to look again), and when it fires (real time). */
  private due = Infinity;
  private firesAt = 0;

  constructor(
    private readonly now: () => number,
    private readonly fire: () => void,
  ) {}

  /** Sets the timer for `cls`'s next deadline; `stopped` rooms keep none. */
  arm(cls: ClassState, stopped: boolean): void {
    let due = Infinity;
    for (const e of cls.waitlist) if (e.status === "offered" && e.offerExpiresAt !== null && e.offerExpiresAt < due) due = e.offerExpiresAt;
    if (cls.session.status === "scheduled") due = Math.min(due, cls.session.endsAt + cls.session.checkInClosesMinutes * 60_000);
    const wait = Math.min(Math.max(0, due - this.now()), 3_600_000);
    // Most commits leave the next deadline where it was (every booking of a storm): keep the timer, not one per commit,
    // unless it would now fire later than a new one (the room's clock jumped ahead of the timers' real time).
    if (this.timer && this.due === due && !stopped && this.firesAt - performance.now() <= wait + 5) return;
    this.stop();
    if (stopped || due === Infinity) return;
    this.due = due;
    this.firesAt = performance.now() + wait;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.fire();
    }, wait);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
