/**
 * A room's group commit (one job of `RoomActor`): decided messages wait in the commit queue; one batch at a time
 * goes to the store in one transaction that compare-and-sets the room's version. Whoever handles the messages
 * learns of a landed batch (answer now) or a failed one (recover) through {@link GroupCommitHost}.
 */
import { GENESIS_HASH } from "../domain/audit/chain.js";
import type { RoomId } from "../domain/protocol/envelope.js";
import { objectList } from "../domain/shapes.js";
import { afterReplies } from "./afterReplies.js";
import { CommitQueue } from "./commitQueue.js";
import type { Pending } from "./outcome.js";
import { StaleOwner, VersionConflict, type Loaded, type ProcessedRecord, type RoomMark, type RoomRuntime } from "./ports.js";

/** How many times in a row a batch is decided again after finding another owner's commit before it is refused. */
const MAX_REDECIDE = 3;

export interface GroupCommitHost<S, C> {
  readonly id: RoomId;
  readonly rt: RoomRuntime;
  /** The last committed state: the base of the next commit. */
  committed(): S;
  commit(base: S, changes: C[], processed: ProcessedRecord[], mark: RoomMark): Promise<RoomMark | void>;
  /** A batch landed: adopt its state, publish, answer. */
  landed(batch: Pending<S, C>[]): void;
  /** Another owner committed since this room loaded (and this room did not): reload and decide the batch again. */
  redecide(batch: Pending<S, C>[]): Promise<void>;
  /** The commit failed (a {@link StaleOwner} when a newer owner fenced this room out). */
  failed(batch: Pending<S, C>[], err: unknown): Promise<void>;
  /** Whether no message waits to be decided (none could join the next batch): commit without the grouping delay. */
  nothingWaits?(): boolean;
}

export class GroupCommit<S, C> {
  private readonly queue: CommitQueue<Pending<S, C>>;
  private inflight: Promise<void> | null = null;
  private mark: RoomMark = { version: 0, audit: { seq: 0, hash: GENESIS_HASH } };
  /** Whether this room committed since it last loaded: a version conflict after that means a newer owner. */
  private committedSinceLoad = false;
  private redecided = 0;

  constructor(private readonly host: GroupCommitHost<S, C>) {
    this.queue = new CommitQueue(host.rt);
  }

  /** Nothing waits to be committed and nothing is in flight. */
  get settled(): boolean {
    return this.queue.size === 0 && !this.inflight;
  }

  /** After a load: the version (and audit head) the next commit builds on. */
  loaded(loaded: Pick<Loaded<S>, "fence" | "audit">): void {
    this.mark = { version: loaded.fence, audit: loaded.audit ?? { seq: 0, hash: GENESIS_HASH } };
    this.committedSinceLoad = false;
  }

  push(pending: Pending<S, C>): void {
    this.queue.push(pending);
    this.schedule();
  }

  /** For a recovery: no commit is due any more. */
  hold(): void {
    this.queue.cancelTimer();
  }

  /** For a recovery: everything still queued, taken out. */
  takeQueued(): Pending<S, C>[] {
    return this.queue.takeAll();
  }

  /** Commits everything queued now (the room is stopping). */
  async drain(): Promise<void> {
    while (this.inflight || this.queue.size > 0) {
      this.queue.cancelTimer();
      if (!this.inflight) this.inflight = this.flush();
      await this.inflight;
    }
  }

  private schedule(): void {
    this.queue.schedule(
      () => this.inflight !== null,
      () => {
        this.inflight = this.flush();
      },
      this.host.nothingWaits?.() ?? false,
    );
  }

  private async flush(): Promise<void> {
    const h = this.host;
    const batch = this.queue.takeBatch();
    try {
      const next = await h.commit(h.committed(), changesOf(batch), processedOf(batch), this.mark);
      if (next) this.mark = next;
    } catch (err) {
      this.inflight = null;
      if (err instanceof VersionConflict && !this.committedSinceLoad && this.redecided < MAX_REDECIDE) {
        this.redecided += 1;
        await h.redecide(batch);
        return;
      }
      h.rt.onFlushFailure();
      await h.failed(batch, err instanceof VersionConflict ? new StaleOwner(h.id) : err);
      return;
    }
    this.committedSinceLoad = true;
    this.redecided = 0;
    h.rt.onFlush(batch.length);
    try {
      h.landed(batch);
    } finally {
      // Even when adopting the batch threw (a bug), the room takes its next batch instead of waiting for good.
      this.inflight = null;
      // What queued meanwhile is built into the next statement (CPU) only after this batch's answers are written.
      if (this.queue.size > 0) afterReplies(() => this.schedule());
    }
  }
}

/** The batch's changes in order, in one object-elements list: every commit hands its hooks the same array map (domain/shapes.ts). */
function changesOf<C>(batch: readonly { changes: readonly C[] }[]): C[] {
  const out = objectList<C>();
  for (const p of batch) for (const c of p.changes) out.push(c);
  return out;
}

/** The batch's processed-command records, in one object-elements list (also when none; domain/shapes.ts). */
function processedOf(batch: readonly { processed?: ProcessedRecord | null }[]): ProcessedRecord[] {
  const out = objectList<ProcessedRecord>();
  for (const p of batch) if (p.processed) out.push(p.processed);
  return out;
}
