/**
 * The dues job (issue 18, docs/domain.md "Recurring dues"): every node runs it every minute; each pass opens the dues
 * of the plan periods that have started by their gym's local date (`app/admin/dues.ts`). One runner per gym at a time
 * across nodes (an advisory lock taken without waiting: a gym another node is busy with is skipped), and each period
 * is claimed in a conditional update besides — so however many nodes run it, a period's charge is opened once, with
 * one audit row.
 */
import { randomUUID } from "node:crypto";
import { openDueDues, type DuesPass, type DuesPorts } from "../../app/admin/dues.js";
import type { Logger } from "../logger.js";
import { errorText, PeriodicJob } from "./periodicJob.js";

export class DuesJob {
  private readonly job: PeriodicJob<DuesPass>;

  constructor(ports: Omit<DuesPorts, "newId"> & { newId?: () => string }, now: () => number, log: Logger) {
    // A gym that fails is logged by id and error class/message (no member data, no SQL parameters) and the pass goes on.
    const all: DuesPorts = {
      newId: randomUUID,
      gymFailed: (gymId, err) => log.warn({ gymId, err: errorText(err) }, "dues job: a gym failed"),
      ...ports,
    };
    this.job = new PeriodicJob(
      "dues job",
      async () => {
        const done = await openDueDues(all, now());
        if (done.opened + done.skipped + done.failed > 0) log.info(done, "dues opened");
        return done;
      },
      log,
    );
  }

  /** A first pass soon after start (catching up what a stopped node missed), then every `everyMs` (a period's dues open within a minute of the gym's midnight). */
  start(everyMs = 60_000, firstAfterMs = 4_000): void {
    this.job.start(everyMs, firstAfterMs);
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  /** One pass now (a pass in flight is joined, not doubled). */
  runOnce(): Promise<DuesPass> {
    return this.job.runOnce();
  }
}
