import type { Audience, JoinResult, RoomId } from "../domain/protocol/envelope.js";
import { diff } from "../domain/protocol/patch.js";
import { mergeChanges, patchSections, type ViewChange, type ViewSections } from "../domain/views/sections.js";
import { afterReplies } from "./afterReplies.js";
import type { RoomRuntime } from "./ports.js";
import { ViewStream } from "./viewStream.js";

/** Deltas are still built this long after an audience's last watcher left, so a reconnecting watcher resumes with deltas, not a snapshot. */
export const RESUME_GRACE_MS = 60_000;

/** A hot room holds its deltas only when the hold would be at least this long (smaller rooms publish on the next turn). */
export const MIN_FANOUT_HOLD_MS = 2;

/** What a room's views are made of: its audiences, their channels and projections (see `RoomActor`). */
export interface ViewSource<S> {
  room: RoomId;
  audiences(): readonly Audience[];
  rt: RoomRuntime;
  channel(audience: Audience): string;
  project(state: S, audience: Audience, now: number): unknown;
  sections(audience: Audience): ViewSections<S> | null;
}

/**
 * A room's published views, one `ViewStream` per audience, moved together to each committed state.
 * Audiences with sections get ops built from the change; others a diff of whole projections. An
 * audience nobody has watched for `RESUME_GRACE_MS` gets no delta at all: its stream skips to a new
 * sequence and projects a snapshot only when someone joins.
 *
 * Watchers wait on nobody's answer: a room whose audiences are watchers (staff, public) builds and sends its deltas
 * on the next turn of the event loop, after the commit's answers (and the notes someone waits on) were written, and
 * commits landing before then go out as one delta. A room whose audience is its owner (a user room: the member's own
 * screens, where a promotion notice lands) publishes at once. Anything that must follow the deltas in order (a join,
 * a reset, a revocation, a stop) calls {@link flush} first, so sequences stay gapless and in commit order.
 *
 * A hot room (issue 15): writing one delta to every watcher costs a few µs per socket (a kernel write each: ~50 ms of
 * a core at 10,000 watchers), whatever the delta holds. So a watcher room may be set to publish at most once per
 * `fanoutHoldUsPerWatcher` µs × its watchers on this node since its last publish; commits landing in between go out
 * together as the next delta (one sequence number, ops merged from the change). The first delta after a quiet spell
 * still goes on the next turn, and a room with few watchers never waits (the hold is under {@link MIN_FANOUT_HOLD_MS}).
 * Off by default: measured on the fan-out bench, commits that land while the thread writes the previous delta already
 * share a frame (~0.5 frames per booking at 10,000 watchers), and the hold bought no lower p99 (docs/benchmarks.md).
 */
export class RoomViews<S> {
  private readonly streams = new Map<Audience, ViewStream>();
  /** The committed state the views show, and the clock reading they were projected at. */
  private shown: { state: S; at: number } | null = null;
  /** When each audience last had (or got) a watcher. */
  private readonly watchedAt = new Map<Audience, number>();
  /** Committed but not yet published: the newest state and what changed since {@link shown}. */
  private pending: { state: S; change: ViewChange } | null = null;
  private due = false;
  /** When {@link flush} last published, and the timer of a held flush (a hot room). */
  private flushedAt = -Infinity;
  private held: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly src: ViewSource<S>) {}

  /** Whether deltas wait for the next turn (watcher audiences) or go at once (an owner's own screens). */
  private get deferred(): boolean {
    return !this.src.audiences().includes("owner");
  }

  /** Shows `state`: the first time, streams starting at `firstSeq`; later, as a change to everything. */
  load(state: S, firstSeq: number): void {
    if (this.shown) {
      this.publish(state, "all");
      return;
    }
    const at = this.src.rt.now();
    this.shown = { state, at };
    for (const audience of this.src.audiences())
      this.streams.set(
        audience,
        new ViewStream(this.src.room, audience, firstSeq, () => this.src.project(state, audience, at), this.src.rt.ringSize),
      );
  }

  /** Moves every audience to `state`; `change` says what differs from the state shown so far (sent now or on the next turn). */
  publish(state: S, change: ViewChange): void {
    this.pending = { state, change: this.pending ? mergeChanges(this.pending.change, change) : change };
    if (!this.deferred) this.flush();
    else if (!this.due) {
      this.due = true;
      const hold = this.holdMs();
      if (hold > 0) this.held = setTimeout(() => this.due && this.flush(), hold);
      else afterReplies(() => this.due && this.flush());
    }
  }

  /** How long a delta due now waits for the next publish of this room (0: the next turn). */
  private holdMs(): number {
    const perWatcherUs = this.src.rt.fanoutHoldUsPerWatcher ?? 0;
    const count = this.src.rt.broadcaster.watchers;
    if (perWatcherUs <= 0 || !count) return 0;
    let watchers = 0;
    for (const audience of this.src.audiences()) watchers += count(this.src.channel(audience));
    const gap = (watchers * perWatcherUs) / 1000;
    // At most `gap` from now: a wall clock stepped back (NTP) must not hold the deltas for the size of the step.
    return gap < MIN_FANOUT_HOLD_MS ? 0 : Math.min(gap, this.flushedAt + gap - this.src.rt.now());
  }

  /**
   * Builds and sends what is pending now. Never throws: an audience whose delta cannot be built (a bug) is logged
   * and skipped a step, so its watchers see a gap and resume from a snapshot, and every other audience, the reset,
   * revocation or stop that called this, and the room's mailbox go on.
   */
  flush(): void {
    this.due = false;
    if (this.held !== undefined) clearTimeout(this.held);
    this.held = undefined;
    const next = this.pending;
    if (!next) return;
    this.pending = null;
    const { state, change } = next;
    const before = this.shown!;
    const at = this.src.rt.now();
    this.shown = { state, at };
    this.flushedAt = at;
    const { broadcaster } = this.src.rt;
    for (const audience of this.src.audiences()) {
      const stream = this.streams.get(audience)!;
      const channel = this.src.channel(audience);
      const snapshot = () => this.src.project(state, audience, at);
      if (broadcaster.watched?.(channel) !== false) this.watchedAt.set(audience, at);
      else if (at - (this.watchedAt.get(audience) ?? -Infinity) > RESUME_GRACE_MS) {
        stream.skip(snapshot);
        continue;
      }
      try {
        const sections = this.src.sections(audience);
        let delta;
        if (sections) delta = stream.publish(patchSections(sections, before.state, before.at, state, at, change), snapshot);
        else {
          const view = { value: snapshot() };
          delta = stream.publish(diff(stream.current(), view.value), snapshot, view);
        }
        if (delta) broadcaster.delta(channel, delta);
      } catch (err) {
        this.src.rt.log.error({ room: this.src.room, audience, err }, "building a delta threw: watchers resume from a snapshot");
        stream.skip(snapshot);
      }
    }
  }

  /** Snapshot or missed deltas for a watcher (who from now on counts as watching). */
  join(audience: Audience, since?: number): JoinResult {
    const stream = this.streams.get(audience);
    if (!stream) throw new Error(`room ${this.src.room} has no audience ${audience}`);
    this.flush();
    this.watchedAt.set(audience, this.src.rt.now());
    return stream.join(since);
  }
}

/**
 * Where an incarnation's sequence starts: above every incarnation that loaded an earlier version (on any node), so
 * a watcher of one sees a gap and gets a fresh snapshot, never deltas that do not apply to what it holds. Loading
 * writes nothing, so two incarnations can load the same version: the clock's low bits place them apart within that
 * version's range. Rooms without a version use the clock.
 */
export function firstSeq(version: number, now: number): number {
  return version > 0 ? version * 2 ** 24 + (now % 2 ** 22) : now * 1_000;
}
