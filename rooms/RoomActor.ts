import type { Ack, Audience, JoinResult, RoomId } from "../domain/protocol/envelope.js";
import { mergeChanges, Untouched, type ViewSections } from "../domain/views/sections.js";
import { keys } from "./keys.js";
import type { Loaded, ProcessedRecord, RoomMark, RoomMessage, RoomRuntime } from "./ports.js";
import { CommandLog, processedRecord } from "./commandLog.js";
import { GroupCommit } from "./groupCommit.js";
import { answerLater, DONE, fail, INTERNAL, MOVING, pendingOf, prepareSafely, RoomNotFound, runAfterReplies, UNSAVED } from "./outcome.js";
import type { Job, Outcome, Pending } from "./outcome.js";
import { Mailbox } from "./mailbox.js";
import { RoomRecovery } from "./roomRecovery.js";
import { RoomCompletion } from "./roomCompletion.js";
import { RoomGate } from "./roomGate.js";
import { firstSeq, RoomViews } from "./roomViews.js";

export { fail, RoomNotFound, type Outcome } from "./outcome.js";

/**
 * A serialized in-memory actor for one room. Messages are handled strictly one at a time in arrival order; their changes are
 * group-committed (the actor keeps handling messages while a commit is in flight, and the next batch goes in one transaction). A reply is
 * sent only after its changes are committed (`groupCommit.ts`). After a failed commit the room reloads and decides again or refuses what
 * was not stored (`roomRecovery.ts`). Watchers get per-audience deltas after each commit (`roomViews.ts`); the mailbox is `mailbox.ts`,
 * retried commands `commandLog.ts`. Lifecycle: `start()` runs once before any message; if loading fails the room stays idle and the next
 * message retries. `stop()` drains: queued messages are handled and committed first.
 */
export abstract class RoomActor<S, C> {
  protected state!: S;
  private committed!: S;
  private startup: Promise<void> | null = null;
  private stopped = false;
  private readonly mailbox: Mailbox;
  private readonly gate = new RoomGate();
  private readonly recovery: RoomRecovery<S, C>;
  private readonly commits: GroupCommit<S, C>;
  private readonly commands = new CommandLog();
  private readonly views: RoomViews<S>;
  private readonly completion = new RoomCompletion<S>(
    (state) => this.complete?.(state) ?? Promise.resolve(state),
    (state) => void (this.state = this.committed = state),
  );
  /** An `afterCommit` or `later` effect threw (the others still run). */
  private readonly effectFailed = (err: unknown) => this.rt.log.error({ room: this.id, err }, "after-commit effect threw");
  /** Last time a message arrived or a watcher left; the registry evicts idle rooms. */
  lastActive: number;
  watchers = 0;

  constructor(
    readonly id: RoomId,
    protected readonly rt: RoomRuntime,
  ) {
    this.lastActive = rt.now();
    this.commits = new GroupCommit<S, C>({
      id,
      rt,
      committed: () => this.committed,
      commit: (base, changes, processed, mark) => this.commit(base, changes, processed, mark),
      landed: (batch) => this.landed(batch),
      redecide: (batch) => this.recovery.redecide(batch).then(() => this.mailbox.resume()),
      failed: async (batch, err) => {
        if (await this.recovery.afterFailure(batch, err)) this.mailbox.resume();
      },
      nothingWaits: () => this.mailbox.waiting === 0 && !this.recovery.running, // a lone command: no wait to group it
    });
    this.views = new RoomViews<S>({
      room: id,
      rt,
      // Subclasses set `audiences` after this constructor runs: read it when needed.
      audiences: () => this.audiences,
      channel: (a) => this.channel(a),
      project: (state, a, now) => this.project(state, a, now),
      sections: (a) => this.sections(a),
    });
    // Waits while a recovery runs, or while the room is held (see `hold`).
    this.mailbox = new Mailbox(
      (job) => this.take(job),
      () => this.recovery.running ?? this.gate.opened,
    );
    this.recovery = new RoomRecovery<S, C>({
      id,
      rt,
      load: () => this.load(),
      reset: (loaded) => this.reset(loaded),
      rewind: () => void (this.state = this.committed),
      commits: this.commits,
      mailbox: this.mailbox,
      prepare: (message) => prepareSafely(() => this.prepare(message)),
      fencedOut: () => {
        this.stopped = true;
        this.resetWatchers();
      },
    });
  }

  /** Loads state, fence and recently processed commands. Null means the room does not exist. */
  protected abstract load(): Promise<Loaded<S> | null>;
  /**
   * Persists a batch in ONE transaction that compare-and-sets `mark.version` and appends to the room's audit
   * chain after `mark.audit`; answers the new mark. Throws `VersionConflict` when someone else committed.
   */
  protected abstract commit(base: S, changes: C[], processed: ProcessedRecord[], mark: RoomMark): Promise<RoomMark | void>;
  /** Completes a state loaded `incomplete` (views answer from it, decisions need more), beside the first joins. */
  protected complete?(state: S): Promise<S>;
  /** Audiences this room kind serves. */
  protected abstract readonly audiences: readonly Audience[];
  /** The view of `state` at `now` one audience may see. Must not leak what that audience may not see. */
  protected abstract project(state: S, audience: Audience, now: number): unknown;
  /**
   * The audience's view as sections, for rooms whose outcomes say what they `touched`: deltas are then
   * built from the change (O(change)) instead of diffing whole projections. Null: whole views are diffed.
   */
  protected sections(_audience: Audience): ViewSections<S> | null {
    return null;
  }
  /**
   * Decides one message. Must not mutate `state`; return the new state and the changes to persist.
   * `prepared` is what `prepare` fetched for this message (or undefined).
   */
  protected abstract handle(message: RoomMessage, state: S, prepared?: unknown): Promise<Outcome<S, C>> | Outcome<S, C>;

  /**
   * Reads a message needs, started when it arrives — outside the mailbox, concurrently with the messages
   * ahead of it — so the serialized part does no I/O. `handle` must check that what was read is still current.
   */
  protected prepare(_message: RoomMessage): Promise<unknown> | undefined {
    return undefined;
  }

  /** Channel name for an audience of this room. */
  channel(audience: Audience): string {
    return keys.audienceChannel(this.id, audience);
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Whether the state is loaded. */
  protected get isStarted(): boolean {
    return this.startup !== null && this.state !== undefined;
  }

  /** True when nothing is queued, in flight, or watching. */
  get idle(): boolean {
    return this.watchers === 0 && !this.mailbox.busy && this.commits.settled;
  }

  /** Whether the committed state mentions `text` anywhere (e.g. a member id; rare admin events only — it serializes the state). */
  mentions(text: string): boolean {
    return this.startup !== null && this.committed !== undefined && JSON.stringify(this.committed).includes(text);
  }

  /** Tells every watcher to rejoin for a fresh snapshot (the room is being reloaded). */
  resetWatchers(): void {
    this.views.flush();
    for (const audience of this.audiences) this.rt.broadcaster.reset(this.channel(audience), { room: this.id, reason: "room_restarted" });
  }

  /** Approximate bytes of committed state (for /metrics; computed on demand). */
  stateBytes(): number {
    return this.startup && this.committed !== undefined ? JSON.stringify(this.committed).length : 0;
  }

  /** Hydrates once; concurrent callers share the same attempt; a failed attempt can be retried. */
  start(): Promise<void> {
    this.startup ??= this.hydrate().catch((err: unknown) => {
      this.startup = null;
      throw err;
    });
    return this.startup;
  }

  private async hydrate(): Promise<void> {
    const loaded = await this.load();
    if (!loaded) throw new RoomNotFound(this.id);
    this.reset(loaded);
  }

  private reset(loaded: Loaded<S>): void {
    this.state = this.committed = loaded.state;
    this.commits.loaded(loaded);
    const horizon = this.rt.now() - this.rt.idempotencyWindowMs;
    this.commands.remember(loaded.processed, horizon);
    this.views.load(this.committed, firstSeq(loaded.fence, this.rt.now()));
    this.completion.loaded(loaded);
  }

  /** Snapshot or missed deltas for a watcher; call `start()` first. Synchronous, so no delta slips between. */
  join(audience: Audience, since?: number): JoinResult {
    return this.views.join(audience, since);
  }

  /** Queues a message; resolves with its answer once it is durable (or refused). The answer's own promise: no async wrapper. */
  send(message: RoomMessage): Promise<Ack<unknown>> {
    this.lastActive = this.rt.now();
    if (this.stopped) return Promise.resolve(MOVING);
    return message.kind === "command" ? this.commands.answer(message, () => this.enqueue(message)) : this.enqueue(message);
  }

  private enqueue(message: RoomMessage): Promise<Ack<unknown>> {
    return new Promise((resolve) => this.mailbox.push({ message, resolve, prepared: prepareSafely(() => this.prepare(message)) }));
  }

  /** Keeps messages in the mailbox, unhandled, until {@link release} (or {@link discardHeld}); see `roomGate.ts`. */
  hold(): void {
    this.gate.hold();
  }

  /** Lets held messages through, in order. */
  release(): void {
    this.gate.release();
  }

  /** Stops a held room without handling anything it holds (each is answered MOVING and goes where the room is). */
  discardHeld(): void {
    this.stopped = true;
    this.release();
    this.onStop();
  }

  /** One message from the mailbox: the room starts (once) and completes first — if not done: no awaits of settled promises. */
  private take(job: Job): Promise<void> {
    if (!this.isStarted || this.completion.incomplete) return this.startThenTake(job);
    return this.stopped ? (job.resolve(MOVING), DONE) : this.process(job);
  }

  private async startThenTake(job: Job): Promise<void> {
    try {
      await this.start();
      await this.completion.settle();
    } catch (err) {
      if (!(err instanceof RoomNotFound)) this.rt.log.warn({ room: this.id, err: String(err) }, "room failed to start");
      return job.resolve(err instanceof RoomNotFound ? fail("NOT_FOUND") : UNSAVED);
    }
    if (this.stopped) return job.resolve(MOVING);
    await this.process(job);
  }

  private async process(job: Job): Promise<void> {
    const { message } = job;
    if (message.kind === "note" && message.note.type === "revoke") {
      // In mailbox order: every delta this room publishes from now on skips the user's sockets (those of earlier commits go first).
      this.views.flush();
      this.rt.broadcaster.revoke(this.id, message.note.userId);
      return job.resolve({ ok: true, result: null });
    }
    // Checked again here, after start(): a room that just loaded knows answers from before it lived.
    const done = message.kind === "command" ? this.commands.answerOf(message) : undefined;
    if (done) return job.resolve(done);
    let outcome: Outcome<S, C>;
    try {
      const prepared = job.prepared ? await job.prepared : undefined;
      outcome = await this.handle(message, this.state, prepared);
    } catch (err) {
      const commandId = message.kind === "command" ? message.commandId : undefined;
      this.rt.log.error({ room: this.id, commandId, err }, "room handler threw");
      return job.resolve(INTERNAL);
    }
    if (outcome.replyLater && outcome.changes.length === 0)
      return answerLater(outcome.replyLater, job, (err) => this.rt.log.error({ room: this.id, err }, "forwarded answer failed"));
    if (outcome.changes.length === 0 && this.commits.settled) {
      // Nothing to store and nothing uncommitted it could depend on: answer now.
      if (outcome.state !== this.state) {
        // A projection-only change (notes from other rooms): published as a commit's would be.
        this.state = this.committed = outcome.state;
        this.views.publish(this.committed, outcome.touched ?? "all");
      }
      job.resolve(outcome.reply);
      runAfterReplies([outcome], this.effectFailed);
      return;
    }
    // Otherwise answer in order after the commit (a refusal may rest on uncommitted state).
    const touched = outcome.touched ?? (outcome.state === this.state ? Untouched : "all");
    this.state = outcome.state;
    this.commits.push(pendingOf(outcome, job, processedRecord(this.id, message, outcome, this.rt.now()), touched));
  }

  /**
   * A batch landed: adopt its state, remember its commands, answer (sends are microtasks), then what someone waits on
   * (`afterCommit`: a promotion notice). Watchers' deltas (`RoomViews`) and `later` notes go on the next turn, behind them.
   */
  private landed(batch: Pending<S, C>[]): void {
    this.committed = batch[batch.length - 1]!.stateAfter;
    this.commands.remember(batch.flatMap((p) => (p.processed ? [p.processed] : [])));
    const touched = batch.reduce((c, p) => mergeChanges(c, p.touched), Untouched);
    this.views.publish(this.committed, touched);
    for (const p of batch) p.resolve(p.reply);
    runAfterReplies(batch, this.effectFailed);
  }

  /** Stops taking messages after draining what is queued and committing it. */
  async stop(): Promise<void> {
    while (this.mailbox.busy) await new Promise((r) => setTimeout(r, 5));
    await this.commits.drain();
    this.views.flush();
    this.stopped = true;
    this.onStop();
  }

  /** Hook for subclasses to clear timers. */
  protected onStop(): void {}
}
