import type { Audience, JoinResult, RoomDelta, RoomId } from "../domain/protocol/envelope.js";
import type { PatchOp } from "../domain/protocol/patch.js";

/**
 * What one audience of a room has been shown: its sequence number, the last deltas (a ring) and the
 * view at that sequence — projected only when someone joins, so a view nobody watches costs nothing.
 * A watcher joins with a snapshot or resumes with the deltas it missed.
 *
 * Invariant: the snapshot at sequence n equals any earlier snapshot with the ring's deltas up to n applied.
 * When deltas were skipped (nobody watched), the ring is emptied, so every resumer gets a snapshot.
 */
export class ViewStream {
  private readonly ring: RoomDelta[] = [];
  private view: { value: unknown } | null = null;

  constructor(
    private readonly room: RoomId,
    private readonly audience: Audience,
    private seq: number,
    /** Projects the view at the current sequence (called at most once per sequence). */
    private snapshot: () => unknown,
    private readonly ringSize: number,
  ) {}

  /** The view at the current sequence (projected now if nobody asked for it since it changed). */
  current(): unknown {
    this.view ??= { value: this.snapshot() };
    return this.view.value;
  }

  /**
   * Moves on by `ops`, which lead to the view `snapshot` projects; the delta to send, or null when
   * `ops` is empty (nothing this audience sees changed). `view` is that view when the caller already has it.
   */
  publish(ops: PatchOp[], snapshot: () => unknown, view?: { value: unknown }): RoomDelta | null {
    if (ops.length === 0) {
      // Same view; keep a projection already made but read later states through the new thunk.
      this.snapshot = snapshot;
      return null;
    }
    this.seq += 1;
    this.snapshot = snapshot;
    this.view = view ?? null;
    const delta: RoomDelta = { room: this.room, seq: this.seq, ops };
    this.ring.push(delta);
    if (this.ring.length > this.ringSize) this.ring.shift();
    return delta;
  }

  /** Moves on without building a delta (nobody watches): a new sequence, and no deltas to resume from. */
  skip(snapshot: () => unknown): void {
    this.seq += 1;
    this.snapshot = snapshot;
    this.view = null;
    this.ring.length = 0;
  }

  /** The deltas after `since` when the ring still holds them all, else a snapshot. */
  join(since?: number): JoinResult {
    const { room, audience, seq } = this;
    if (since !== undefined && since <= seq) {
      const missed = this.ring.filter((d) => d.seq > since);
      if (since === seq || missed[0]?.seq === since + 1) return { room, audience, seq, deltas: missed };
    }
    return { room, audience, seq, snapshot: this.current() };
  }
}
