/**
 * The daily KPI snapshot job (issue 22, `gym_kpi_day`): every node runs it; each pass stores, for every gym whose
 * yesterday (in the gym's time zone) is not stored yet, the ended days since its last stored one (at most two years
 * back) — so a node that was down catches up when it starts. One owner per gym at a time across nodes: a pass takes
 * the gym's transaction-scoped advisory lock without waiting (another node busy with the gym: skipped, it stores
 * them), and storing is idempotent besides (a stored day is never written again).
 */
import type { MikroORM } from "@mikro-orm/core";
import { addDays, localDate } from "../../domain/schedule/timeZone.js";
import type { Logger } from "../logger.js";
import { storeKpiDays } from "../persistence/kpiSnapshots.js";
import { CATCH_UP_AFTER_MS, PeriodicJob } from "./periodicJob.js";

/** Most gyms one pass stores (the next pass, or the next tick, takes the rest). */
const GYMS_PER_PASS = 100;

/** What one pass did: gyms that had days to store, days stored, gyms another node held. */
export interface KpiPass {
  gyms: number;
  days: number;
  busy: number;
}

export class KpiDayJob {
  private readonly job: PeriodicJob<KpiPass>;

  constructor(
    private readonly orm: MikroORM,
    private readonly now: () => number,
    private readonly log: Logger,
  ) {
    this.job = new PeriodicJob("kpi day job", () => this.pass(), log);
  }

  /**
   * Runs a first pass once the node's start-up has passed (`CATCH_UP_AFTER_MS`; in the background: a node serves while
   * it catches up, and a report asked meanwhile fills the days it needs itself) and then every `everyMs` (gym-local midnights fall at any hour).
   */
  start(everyMs = 10 * 60_000, firstAfterMs = CATCH_UP_AFTER_MS): void {
    this.job.start(everyMs, firstAfterMs);
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  /** One pass (a pass in flight is joined, not doubled). */
  runOnce(): Promise<KpiPass> {
    return this.job.runOnce();
  }

  private async pass(): Promise<KpiPass> {
    const now = this.now();
    const gyms: { id: string; time_zone: string; last: string | null }[] = await this.orm.em
      .fork()
      .getConnection()
      .execute(`select g.id, g.time_zone, (select max(k.day) from gym_kpi_day k where k.gym_id = g.id) as last from gym g order by g.id`);
    const due = gyms.filter((g) => g.last === null || g.last < addDays(localDate(now, g.time_zone), -1)).slice(0, GYMS_PER_PASS);
    const done: KpiPass = { gyms: 0, days: 0, busy: 0 };
    for (const g of due) {
      const stored = await this.orm.em.fork().transactional(async (tx) => {
        const [lock] = await tx
          .getConnection()
          .execute<{ held: boolean }[]>(
            `select pg_try_advisory_xact_lock(hashtext(?)) as held`,
            [`kpi-day:${g.id}`],
            "all",
            tx.getTransactionContext(),
          );
        return lock?.held ? storeKpiDays(tx, g.id, g.time_zone, now) : null;
      });
      if (stored === null) done.busy += 1;
      else if (stored > 0) {
        done.gyms += 1;
        done.days += stored;
      }
    }
    if (done.days > 0) this.log.info(done, "kpi days stored");
    return done;
  }
}
