/**
 * The periodic jobs every node runs (`createServer.ts` starts them with the node and stops them on close): the KPI day,
 * freezes that end by themselves, recurring dues. Each is safe with several nodes (see each job).
 */
import type { MikroORM } from "@mikro-orm/core";
import type { StandingNotifier } from "../../app/admin/ports.js";
import type { NoticeSender } from "../../app/notices/ports.js";
import type { Logger } from "../logger.js";
import { duesStore } from "../persistence/duesStore.js";
import { freezeEndStore } from "../persistence/freezeEndStore.js";
import { duesJob, freezeEndJob, type DuesJob, type FreezeEndJob } from "./gymPassJobs.js";
import { KpiDayJob } from "./kpiDayJob.js";

export interface ServerJobs {
  freezeEnds: FreezeEndJob;
  dues: DuesJob;
  /** Stops every job (a pass in flight is waited for). */
  stop(): Promise<void>;
}

/** Builds and starts the node's periodic jobs. */
export function startServerJobs(d: {
  orm: MikroORM;
  notes: Pick<StandingNotifier, "memberChanged">;
  notices: NoticeSender;
  now: () => number;
  log: Logger;
}): ServerJobs {
  const { orm, notes, notices, now, log } = d;
  // Yesterday's KPI day of every gym, each gym-local midnight (catching up what a stopped node missed).
  const kpiJob = new KpiDayJob(orm, now, log);
  kpiJob.start();
  // Freezes past their last day (gym-local), ended as a staff unfreeze would be, on whichever node gets the gym first.
  const freezeEnds = freezeEndJob({ store: freezeEndStore(orm), notes, notices }, now, log);
  freezeEnds.start();
  // Plan dues of each billing period that has started (gym-local), opened once by whichever node gets the gym first.
  const dues = duesJob({ store: duesStore(orm), notes, notices }, now, log);
  dues.start();
  return {
    freezeEnds,
    dues,
    async stop() {
      await kpiJob.stop();
      await freezeEnds.stop();
      await dues.stop();
    },
  };
}
