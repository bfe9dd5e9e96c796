/**
 * The loop every durable outbox runs (mail, notice delivery): a pass claims up to `batch` due rows and
 * handles them; passes repeat while a pass comes back full; a kick during a pass runs one more round after
 * it; a timer kicks every `everyMs`. One pass runs at a time per node — other nodes claim other rows
 * (`for update skip locked`).
 */
import { nextTurn } from "../../rooms/afterReplies.js";
import type { Logger } from "../logger.js";

export class DrainLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly pass: () => Promise<number>,
    private readonly batch: number,
    private readonly log: Logger,
    private readonly what: string,
  ) {}

  get started(): boolean {
    return this.timer !== undefined;
  }

  start(everyMs = 1_000): void {
    this.timer ??= setInterval(() => void this.kick(), everyMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Runs passes until nothing is due (or right after the pass in flight). */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      // A kick from a commit (its notices) builds no statement before the commit's answers are written: next turn.
      await nextTurn();
      do {
        this.again = false;
        try {
          while ((await this.pass()) === this.batch);
        } catch (err) {
          this.log.warn({ err: String(err) }, `${this.what} pass failed`);
        }
      } while (this.again);
    })().finally(() => (this.running = null));
    return this.running;
  }
}
