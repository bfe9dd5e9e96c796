import type { EntityManager } from "@mikro-orm/core";
import type { LedgerKind } from "../../domain/admin/plans.js";

/** One movement of a member's credits, as the ledger records it. */
export interface CreditMove {
  memberId: string;
  amount: number;
  kind: LedgerKind;
  actorId: string | null;
  reason: string;
  ref: string | null;
}

/**
 * Moves members' cached credits and appends their ledger entries in ONE statement, each guarded
 * (`credits + amount >= 0`): a member whose move would go below 0 gets neither. Returns each moved member's
 * balance after. `null` credits (never on a pack) start from 0 only when `startFromZero` (a sale or an
 * adjustment); a class room's move never turns a non-pack member into a pack member.
 */
export async function moveCredits(
  tx: EntityManager,
  gymId: string,
  moves: readonly CreditMove[],
  at: number,
  o: { startFromZero: boolean; expireAt?: number },
): Promise<Map<string, number>> {
  if (moves.length === 0) return new Map();
  const base = o.startFromZero ? "coalesce(m.credits, 0)" : "m.credits";
  const values = moves.map(() => "(?::uuid, ?::int, ?, ?::uuid, ?, ?)").join(", ");
  const rows = await tx.getConnection().execute<{ user_id: string; credits: number }[]>(
    `with v(user_id, amount, kind, actor_id, reason, ref) as (values ${values}),
     moved as (
       update gym_membership m set credits = ${base} + v.amount${o.expireAt === undefined ? "" : ", credits_expire_at = ?"}
         from v where m.gym_id = ? and m.user_id = v.user_id and ${base} + v.amount >= 0 ${o.startFromZero ? "" : "and m.credits is not null"}
       returning m.user_id, m.credits, v.amount, v.kind, v.actor_id, v.reason, v.ref),
     entries as (
       insert into credit_ledger (id, gym_id, member_id, at, kind, amount, balance_after, actor_id, reason, ref)
       select gen_random_uuid(), ?, user_id, ?, kind, amount, credits, actor_id, reason, ref from moved)
     select user_id, credits from moved`,
    [
      ...moves.flatMap((m) => [m.memberId, m.amount, m.kind, m.actorId, m.reason, m.ref]),
      ...(o.expireAt === undefined ? [] : [new Date(o.expireAt)]),
      gymId,
      gymId,
      new Date(at),
    ],
    "all",
    tx.getTransactionContext(),
  );
  return new Map(rows.map((r: { user_id: string; credits: number }) => [String(r.user_id), Number(r.credits)]));
}
