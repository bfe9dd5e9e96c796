/**
 * The freeze-end job (issue 18, docs/domain.md "Freezes"): every node runs it every minute; each pass ends the freezes
 * whose last day is before their gym's local date (`app/admin/freezeEnds.ts`). One runner per gym at a time across
 * nodes (an advisory lock taken without waiting: a gym another node is busy with is skipped), and each freeze ends
 * in a conditional update besides — so however many nodes run it, a freeze ends once, with one audit row.
 */
import { endDueFreezes, type FreezeEndPass, type FreezeEndPorts } from "../../app/admin/freezeEnds.js";
import type { Logger } from "../logger.js";
import { errorText, PeriodicJob } from "./periodicJob.js";

export class FreezeEndJob {
  private readonly job: PeriodicJob<FreezeEndPass>;

  constructor(ports: FreezeEndPorts, now: () => number, log: Logger) {
    this.job = new PeriodicJob(
      "freeze end job",
      async () => {
        const done = await endDueFreezes(
          { gymFailed: (gymId, err) => log.warn({ gymId, err: errorText(err) }, "freeze end job: a gym failed"), ...ports },
          now(),
        );
        if (done.members + done.failed > 0) log.info(done, "freezes ended");
        return done;
      },
      log,
    );
  }

  /** A first pass soon after start (catching up what a stopped node missed), then every `everyMs` (a minute: a freeze ends within a minute of the gym's midnight). */
  start(everyMs = 60_000, firstAfterMs = 3_000): void {
    this.job.start(everyMs, firstAfterMs);
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  /** One pass now (a pass in flight is joined, not doubled). */
  runOnce(): Promise<FreezeEndPass> {
    return this.job.runOnce();
  }
}
