import type { ReactiveController, ReactiveControllerHost } from "lit";

/**
 * Calls `tick` every `ms` while the host element is in the document, and stops when it is removed.
 *
 * @example
 * class ReportsScreen extends LitElement {
 *   private readonly _refresh = new IntervalController(this, 30_000, () => void this._load());
 * }
 */
export class IntervalController implements ReactiveController {
  private _timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    host: ReactiveControllerHost,
    private readonly ms: number,
    private readonly tick: () => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this._timer = setInterval(this.tick, this.ms);
  }

  hostDisconnected(): void {
    clearInterval(this._timer);
  }
}
