/**
 * One staff request's transaction, shared by the administration and lead stores: a command id claimed first (a retry
 * answers the first result and runs nothing), the work, then its audit rows last (the audit writer holds the gym's
 * chain lock until commit). Notices sent through the transaction's `notices` are written in it and routed after the
 * commit. A `DomainError` thrown by the work rolls everything back and is returned.
 */
import type { EntityManager, MikroORM } from "@mikro-orm/core";
import type { AdminActor, AdminAudit } from "../../app/admin/ports.js";
import type { NoticeTransaction } from "../../app/notices/ports.js";
import { DomainError } from "../../domain/errors.js";
import { auditStaffWrite } from "../audit/staffAudit.js";
import { joinNotices } from "./noticeJoin.js";

/** Where staff requests outside the rooms keep their answered command ids (not a room: no room hydrates it). */
const commandRoom = (gymId: string) => `admin:${gymId}`;

export async function auditedTransaction<Tx, T>(
  orm: Pick<MikroORM, "em">,
  actor: AdminActor,
  type: string,
  makeTx: (em: EntityManager, audits: AdminAudit[], notices: NoticeTransaction) => Tx,
  work: (tx: Tx) => Promise<T>,
): Promise<T | DomainError> {
  // Notices the work sent (in this transaction) reach the live rooms and delivery only once it commits.
  const after: (() => void)[] = [];
  try {
    const answer = await orm.em.fork().transactional(async (tx) => {
      const conn = tx.getConnection();
      const ctx = tx.getTransactionContext();
      const key = [commandRoom(actor.gymId), actor.userId, actor.commandId];
      if (actor.commandId) {
        // The row's key is taken first: a concurrent retry waits here for this transaction, then reads its answer.
        const claimed = await conn.execute<unknown[]>(
          `insert into processed_command (room, user_id, command_id, gym_id, type, response, created_at) values (?, ?, ?, ?, ?, 'null', ?)
           on conflict do nothing returning command_id`,
          [...key, actor.gymId, type, new Date(actor.now)],
          "all",
          ctx,
        );
        if (claimed.length === 0) {
          const [row] = await conn.execute<{ response: unknown }[]>(
            `select response from processed_command where room = ? and user_id = ? and command_id = ?`,
            key,
            "all",
            ctx,
          );
          return (typeof row?.response === "string" ? JSON.parse(row.response) : row?.response) as T;
        }
      }
      const audits: AdminAudit[] = [];
      const result = await work(makeTx(tx, audits, joinNotices(tx, after)));
      if (actor.commandId)
        await conn.execute(
          `update processed_command set response = ? where room = ? and user_id = ? and command_id = ?`,
          [JSON.stringify(result ?? null), ...key],
          "run",
          ctx,
        );
      for (const a of audits)
        await auditStaffWrite(tx, { gymId: actor.gymId, actorId: actor.userId, commandId: actor.commandId, at: actor.now, ...a });
      return result;
    });
    for (const run of after) run();
    return answer;
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
}
