import type { Audience, JoinResult, RoomDelta, RoomId } from "../domain/protocol/envelope.js";
import { diff } from "../domain/protocol/patch.js";

/**
 * What one audience of a room has been shown: the current projection, its sequence number and the
 * last deltas (a ring), so a watcher joins with a snapshot or resumes with the deltas it missed.
 */
export class ViewStream {
  private readonly ring: RoomDelta[] = [];

  constructor(
    private readonly room: RoomId,
    private readonly audience: Audience,
    private seq: number,
    private view: unknown,
    private readonly ringSize: number,
  ) {}

  /** Moves to `view`; the delta to send, or null when nothing this audience sees changed. */
  publish(view: unknown): RoomDelta | null {
    const ops = diff(this.view, view);
    this.view = view;
    if (ops.length === 0) return null;
    this.seq += 1;
    const delta: RoomDelta = { room: this.room, seq: this.seq, ops };
    this.ring.push(delta);
    if (this.ring.length > this.ringSize) this.ring.shift();
    return delta;
  }

  /** The deltas after `since` when the ring still holds them all, else a snapshot. */
  join(since?: number): JoinResult {
    const { room, audience, seq } = this;
    if (since !== undefined && since <= seq) {
      const missed = this.ring.filter((d) => d.seq > since);
      if (since === seq || missed[0]?.seq === since + 1) return { room, audience, seq, deltas: missed };
    }
    return { room, audience, seq, snapshot: this.view };
  }
}
