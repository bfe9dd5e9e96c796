import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/core";
import { appendAudit } from "./auditWriter.js";

/** One staff action outside the rooms, as its audit row says it. `before`/`after` are small and hold no free text. */
export interface StaffAction {
  gymId: string;
  /** Null: Spotter itself (a job, e.g. a freeze that ended) — the row's role is "system". */
  actorId: string | null;
  /** The command or query type (`gym:createChallenge`). */
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  commandId: string | null;
  at: number;
}

/**
 * Audits a staff change in the transaction that makes it (the row commits with the change or not at all).
 * Call it last in the transaction: the writer takes the gym's chain lock until commit.
 */
export async function auditStaffWrite(tx: EntityManager, a: StaffAction): Promise<void> {
  await appendAudit(tx, a.gymId, [
    {
      id: randomUUID(),
      at: a.at,
      actorId: a.actorId,
      // The writer fills in an actor's role; a row without an actor is the system's.
      role: a.actorId === null ? "system" : null,
      action: a.action,
      entityType: a.entityType,
      entityId: a.entityId,
      summary: { before: a.before, after: a.after },
      commandId: a.commandId,
    },
  ]);
}
