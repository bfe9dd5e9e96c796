/**
 * A lead's trial visit: when someone a lead points to checks in to a class, the lead moves to `trial` (from new,
 * contacted or tour booked; see `stageAfterTrialVisit`) with a touch on its timeline. Runs in the after-commit step
 * of the class commit (`applyTrainingEffects`), once per check-in, also after a crash.
 */
import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/core";
import { LeadStages, stageAfterTrialVisit } from "../../domain/leads/pipeline.js";

/** Stages a trial visit moves on from (one definition: the domain's). */
const Movable = LeadStages.filter((s) => stageAfterTrialVisit(s) === "trial");

/** Moves the gym's leads of `memberIds` on; true when one moved. */
export async function advanceTrialLeads(tx: EntityManager, gymId: string, memberIds: readonly string[], now: number): Promise<boolean> {
  const ids = [...new Set(memberIds)];
  if (ids.length === 0) return false;
  const moved = await tx.getConnection().execute<{ id: string }[]>(
    `update lead set stage = 'trial', updated_at = ?
      where gym_id = ? and member_id in (${ids.map(() => "?").join(",")}) and stage in (${Movable.map(() => "?").join(",")}) returning id`,
    [new Date(now), gymId, ...ids, ...Movable],
    "all",
    tx.getTransactionContext(),
  );
  for (const { id } of moved) {
    await tx
      .getConnection()
      .execute(
        `insert into lead_touch (id, lead_id, gym_id, at, actor_id, kind, note) values (?, ?, ?, ?, null, 'trial', 'Came to their trial class (checked in)')`,
        [randomUUID(), id, gymId, new Date(now)],
        "run",
        tx.getTransactionContext(),
      );
  }
  return moved.length > 0;
}
