/**
 * A job every node runs on a timer: a first pass soon after start (in the background), then one every `everyMs`; a
 * pass in flight is joined, not doubled; a failed pass is logged and the next tick tries again. What one pass does,
 * and how several nodes share it, is the job's own (`kpiDayJob.ts`, `gymPassJobs.ts`; started together in `serverJobs.ts`).
 */
import type { Logger } from "../logger.js";

/** What a job logs of an error: its class and message only (no stack, no query parameters, no cause chain). */
export const errorText = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

/**
 * When the node's catch-up jobs (KPI day, freeze ends, dues) make their first pass, ms after start; each its own
 * moment after it (5 s apart), so they never run together. A restarted node's first seconds belong to its clients
 * reconnecting and rejoining their rooms: passed at +2/+3/+4 s, their statements and commits ran inside the first
 * joins and cancels (issue 15, the suite's tails). Nothing in them is due to the second (each runs every minute or
 * ten, and a report asked meanwhile fills the days it needs itself).
 */
export const CATCH_UP_AFTER_MS = 20_000;

/** The freeze-end job's first pass, ms after start: sooner than the others, since a due freeze end refuses bookings. */
export const FREEZE_END_FIRST_MS = 5_000;

/** How often a job runs, and how soon after start its first pass. */
export interface JobSchedule {
  everyMs: number;
  firstAfterMs: number;
}

export class PeriodicJob<T> {
  private timer: NodeJS.Timeout | undefined;
  private first: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<T> | null = null;

  constructor(
    private readonly name: string,
    private readonly pass: () => Promise<T>,
    private readonly log: Logger,
    private readonly schedule: JobSchedule = { everyMs: 60_000, firstAfterMs: 2_000 },
  ) {}

  /** Starts the timer (`schedule` unless told otherwise); a second start does nothing. */
  start(everyMs = this.schedule.everyMs, firstAfterMs = this.schedule.firstAfterMs): void {
    if (this.timer) return;
    const tick = () => void this.runOnce().catch((err: unknown) => this.log.warn({ err: String(err) }, `${this.name} failed`));
    this.first = setTimeout(tick, firstAfterMs);
    this.first.unref?.();
    this.timer = setInterval(tick, everyMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    clearTimeout(this.first);
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One pass (a pass in flight is joined, not doubled). */
  runOnce(): Promise<T> {
    this.running ??= this.pass().finally(() => (this.running = null));
    return this.running;
  }
}
