import type { Audience, ErrorBody, JoinResult, RoomDelta, RoomId } from "../protocol/envelope.js";
import { applyPatch } from "../protocol/patch.js";

/**
 * Where a watched room stands:
 * - `joining`: waiting for the first snapshot (or re-syncing; `view` is then the last known one);
 * - `live`: every delta up to `seq` is applied;
 * - `stale`: the connection dropped; `view` is kept but may be out of date;
 * - `error`: the server refused the join (`error` says why); the client will not retry by itself.
 */
export type RoomStatus = "joining" | "live" | "stale" | "error";

/** What a watcher of one room sees. */
export interface RoomState<V> {
  room: RoomId;
  status: RoomStatus;
  /** The projection; undefined until the first snapshot. */
  view: V | undefined;
  /** Sequence number of the last applied delta. */
  seq: number;
  audience: Audience | null;
  error: ErrorBody | null;
}

/** What applying something decided: `gap` means rejoin with `since` = the current `seq`. */
export type FeedResult = "applied" | "buffered" | "ignored" | "gap";

/**
 * The ordered projection of one room: applies a join answer, then each delta exactly once in
 * sequence order. Deltas that arrive while a join is in flight are held and replayed after it.
 * Pure state — the socket work lives in {@link SpotterClient}.
 */
export class RoomFeed<V = unknown> {
  state: RoomState<V>;
  private held: RoomDelta[] = [];
  private joinToken = 0;
  private joining = false;

  constructor(room: RoomId) {
    this.state = { room, status: "joining", view: undefined, seq: 0, audience: null, error: null };
  }

  /** Starts a join; `since` is set only when a view exists to resume from. */
  beginJoin(fresh = false): { token: number; since: number | undefined } {
    this.joining = true;
    this.held = [];
    this.joinToken += 1;
    const since = fresh || this.state.view === undefined ? undefined : this.state.seq;
    if (fresh) this.state = { ...this.state, seq: 0 };
    if (this.state.status !== "stale") this.set({ status: "joining", error: null });
    return { token: this.joinToken, since };
  }

  /** Whether `token` is the join still awaited (older answers are dropped). */
  isCurrent(token: number): boolean {
    return this.joining && token === this.joinToken;
  }

  /** Applies a join answer, then the deltas held meanwhile. */
  applyJoin(token: number, result: JoinResult<V>): FeedResult {
    if (!this.isCurrent(token)) return "ignored";
    this.joining = false;
    let { view, seq } = this.state;
    if ("snapshot" in result) {
      view = result.snapshot;
      seq = result.seq;
    } else {
      for (const d of result.deltas) {
        if (d.seq <= seq) continue;
        if (d.seq !== seq + 1 || view === undefined) return this.gap();
        view = applyPatch(view, d.ops);
        seq = d.seq;
      }
      if (seq !== result.seq) return this.gap();
    }
    this.set({ view, seq, audience: result.audience, status: "live", error: null });
    const held = this.held.sort((a, b) => a.seq - b.seq);
    this.held = [];
    for (const d of held) if (this.onDelta(d) === "gap") return "gap";
    return "applied";
  }

  /** A join failed for good (forbidden, not found, ...). */
  fail(error: ErrorBody): void {
    this.joining = false;
    this.joinToken += 1;
    this.set({ status: "error", error });
  }

  /** One broadcast delta: applied if it is the next one, held during a join, dropped if already seen. */
  onDelta(delta: RoomDelta): FeedResult {
    if (this.joining) {
      this.held.push(delta);
      return "buffered";
    }
    if (this.state.view === undefined || this.state.status === "error" || delta.seq <= this.state.seq) return "ignored";
    if (delta.seq !== this.state.seq + 1) return this.gap();
    this.set({ view: applyPatch(this.state.view, delta.ops), seq: delta.seq });
    return "applied";
  }

  /** The connection dropped: keep the view, say it may be out of date, forget any join in flight. */
  markStale(): void {
    this.joining = false;
    this.joinToken += 1;
    this.held = [];
    if (this.state.status !== "error") this.set({ status: this.state.view === undefined ? "joining" : "stale" });
  }

  private gap(): FeedResult {
    this.joining = false;
    return "gap";
  }

  private set(patch: Partial<RoomState<V>>): void {
    this.state = { ...this.state, ...patch };
  }
}
