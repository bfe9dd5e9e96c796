/**
 * The jobs whose pass visits the due gyms one by one (issue 18): every node runs each every minute; one runner per gym
 * at a time across nodes (an advisory lock taken without waiting: a gym another node is busy with is skipped), and each
 * change is made in a conditional update besides — so however many nodes run them, it is made once, with one audit row.
 * - Freeze ends (docs/domain.md "Freezes", `app/admin/freezeEnds.ts`): the freezes whose last day is before their
 *   gym's local date end.
 * - Dues (docs/domain.md "Recurring dues", `app/admin/dues.ts`): the dues of the plan periods that have started by
 *   their gym's local date open.
 */
import { randomUUID } from "node:crypto";
import { openDueDues, type DuesPass, type DuesPorts } from "../../app/admin/dues.js";
import { endDueFreezes, type FreezeEndPass, type FreezeEndPorts } from "../../app/admin/freezeEnds.js";
import type { Logger } from "../logger.js";
import { CATCH_UP_AFTER_MS, errorText, FREEZE_END_FIRST_MS, PeriodicJob } from "./periodicJob.js";

/** What the use case of a gym-by-gym pass takes besides its own ports: who hears of a gym that failed. */
type GymFailed = { gymFailed?: (gymId: string, err: unknown) => void };

/** One kind of gym-by-gym job: its name, its pass, what of a pass is worth a log line, and its first pass's delay. */
interface GymPass<P extends GymFailed, T extends object> {
  name: string;
  pass(ports: P, now: number): Promise<T>;
  worthLogging(done: T): boolean;
  logged: string;
  firstAfterMs: number;
}

function gymPassJob<P extends GymFailed, T extends object>(kind: GymPass<P, T>, ports: P, now: () => number, log: Logger): PeriodicJob<T> {
  // A gym that fails is logged by id and error class/message (no member data, no SQL parameters) and the pass goes on.
  const all: P = { gymFailed: (gymId, err) => log.warn({ gymId, err: errorText(err) }, `${kind.name}: a gym failed`), ...ports };
  const pass = async () => {
    const done = await kind.pass(all, now());
    const fields: object = done;
    if (kind.worthLogging(done)) log.info(fields, kind.logged);
    return done;
  };
  // A first pass once the node's start-up has passed (catching up what a stopped node missed; `CATCH_UP_AFTER_MS`),
  // then every minute: a change is made within a minute of the gym's midnight.
  return new PeriodicJob(kind.name, pass, log, { everyMs: 60_000, firstAfterMs: kind.firstAfterMs });
}

export type FreezeEndJob = PeriodicJob<FreezeEndPass>;

/** Ends the freezes whose last day has passed (`start()` with the node; `runOnce()` for one pass now). */
export const freezeEndJob = (ports: FreezeEndPorts, now: () => number, log: Logger): FreezeEndJob =>
  gymPassJob(
    {
      name: "freeze end job",
      pass: endDueFreezes,
      worthLogging: (done) => done.members + done.failed > 0,
      logged: "freezes ended",
      // Not with the others at +20 s: a member whose freeze ended while the node was down is refused (status
      // "frozen") until this pass, so a restarted node clears them within seconds (one statement when none is due).
      firstAfterMs: FREEZE_END_FIRST_MS,
    },
    ports,
    now,
    log,
  );

export type DuesJob = PeriodicJob<DuesPass>;

/** Opens the dues of the billing periods that have started (`start()` with the node; `runOnce()` for one pass now). */
export const duesJob = (ports: Omit<DuesPorts, "newId"> & { newId?: () => string }, now: () => number, log: Logger): DuesJob =>
  gymPassJob(
    {
      name: "dues job",
      pass: openDueDues,
      worthLogging: (done) => done.opened + done.skipped + done.failed > 0,
      logged: "dues opened",
      firstAfterMs: CATCH_UP_AFTER_MS + 10_000,
    },
    { newId: randomUUID, ...ports },
    now,
    log,
  );
