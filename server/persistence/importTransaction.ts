/**
 * What the import stores share: one transaction per import, imports of one kind into one gym taking turns on an
 * advisory lock, the audit rows written last, and raw statements over the transaction's connection.
 */
import { UniqueConstraintViolationException, type EntityManager, type MikroORM } from "@mikro-orm/core";
import type { AdminActor, AdminAudit } from "../../app/admin/ports.js";
import { DomainError } from "../../domain/errors.js";
import { auditStaffWrite } from "../audit/staffAudit.js";

/** Rows per statement: one JSON parameter each, well under any parameter or packet limit. */
export const CHUNK = 2_000;

export function chunks<T>(all: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < all.length; i += CHUNK) out.push(all.slice(i, i + CHUNK));
  return out;
}

/** Raw statements in the transaction: `all` answers rows, `run` changes them. */
export function statements(tx: EntityManager) {
  return {
    all: async <T>(sql: string, params: unknown[]): Promise<T[]> =>
      (await tx.getConnection().execute(sql, params, "all", tx.getTransactionContext())) as T[],
    run: (sql: string, params: unknown[]) => tx.getConnection().execute(sql, params, "run", tx.getTransactionContext()),
  };
}

/** The gym's time zone (an import's dates are the gym's), or null for no such gym. */
export async function gymZone(tx: EntityManager, gymId: string): Promise<{ timeZone: string } | null> {
  const [g] = await statements(tx).all<{ time_zone: string }>(`select time_zone from gym where id = ?`, [gymId]);
  return g ? { timeZone: g.time_zone } : null;
}

/**
 * Runs `work` in one transaction holding the gym's `kind` import lock, then writes its audit rows. A `DomainError`
 * thrown by `work` rolls back and is returned; someone adding the same rows at the same moment is a `CONFLICT`.
 */
export async function importTransaction<X, T>(
  orm: MikroORM,
  actor: AdminActor,
  kind: string,
  makeTx: (tx: EntityManager, audits: AdminAudit[]) => X,
  work: (tx: X) => Promise<T>,
): Promise<T | DomainError> {
  try {
    return await orm.em.fork().transactional(async (tx) => {
      // Two runs of one file take turns: the second sees what the first wrote.
      await statements(tx).all(`select pg_advisory_xact_lock(hashtext(?))`, [`${kind}-import:${actor.gymId}`]);
      const audits: AdminAudit[] = [];
      const result = await work(makeTx(tx, audits));
      // Last: the audit writer holds the gym's chain lock until commit.
      for (const a of audits)
        await auditStaffWrite(tx, { gymId: actor.gymId, actorId: actor.userId, commandId: actor.commandId, at: actor.now, ...a });
      return result;
    });
  } catch (err) {
    if (err instanceof DomainError) return err;
    if (err instanceof UniqueConstraintViolationException)
      return new DomainError("CONFLICT", "Someone changed the same people at the same time — run the import again (nothing was imported).");
    throw err;
  }
}
