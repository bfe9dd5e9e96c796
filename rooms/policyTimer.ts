/**
 * A gym room's policy timer (issue 18): a policy version published to take effect later changes which version is in
 * force at that instant, with no command to say so. The timer fires then, and the room republishes its `policies`
 * (a timed view section), so every open member app — on whichever node it is connected — reads its documents again.
 * At most an hour ahead (looked at again then): a clock the room reads may move apart from the timers' real time.
 */
import { nextPolicyChange } from "../domain/admin/waivers.js";
import type { WaiverVersionRef } from "../domain/model.js";

/** Longest single wait; a later change is looked at again after it. */
export const POLICY_TIMER_MAX_MS = 3_600_000;

export class PolicyTimer {
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** The instant `timer` was set for. */
  private due = Infinity;

  constructor(
    private readonly now: () => number,
    private readonly fire: () => void,
  ) {}

  /** Sets the timer for the next version taking effect after now; `stopped` rooms keep none. */
  arm(versions: readonly WaiverVersionRef[] | undefined, stopped: boolean): void {
    const due = nextPolicyChange(versions, this.now()) ?? Infinity;
    if (this.timer && this.due === due && !stopped) return;
    this.stop();
    if (stopped || due === Infinity) return;
    this.due = due;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.due = Infinity;
        this.fire();
      },
      Math.min(Math.max(0, due - this.now()), POLICY_TIMER_MAX_MS),
    );
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.due = Infinity;
  }
}
