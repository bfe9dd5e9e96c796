/**
 * The administration use cases' store (`app/admin/ports.ts`) over PostgreSQL: one transaction per request, its
 * audit rows written last in it, and a command id recorded first so a retry answers the first result.
 */
import { LockMode, type EntityManager, type MikroORM } from "@mikro-orm/core";
import type { AdminActor, AdminStore, AdminTx, MemberAccountRow } from "../../app/admin/ports.js";
import { chargeOfFee, type Charge } from "../../domain/admin/charges.js";
import { DomainError } from "../../domain/errors.js";
import { auditStaffWrite } from "../audit/staffAudit.js";
import {
  ClassTypeEntity,
  CreditLedgerEntity,
  FeeEntity,
  GymEntity,
  GymMembershipEntity,
  MemberChargeEntity,
  MembershipPlanEntity,
  PlanAssignmentEntity,
} from "../db/entities/index.js";
import { moveCredits } from "./creditLedger.js";
import { memberTx } from "./memberAdminStore.js";

/** Where administration requests keep their answered command ids (not a room: no room hydrates it). */
const commandRoom = (gymId: string) => `admin:${gymId}`;

function adminTx(tx: EntityManager, audits: Parameters<AdminTx["audit"]>[0][]): AdminTx {
  return {
    async gym(gymId) {
      const g = await tx.findOne(GymEntity, { id: gymId });
      return g ? { timeZone: g.timeZone, currency: g.policy.currency } : null;
    },
    async policy(gymId, lock) {
      const g = await tx.findOne(GymEntity, { id: gymId }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true } : {});
      return g ? { ...g.policy } : null;
    },
    async savePolicy(gymId, policy) {
      await tx.nativeUpdate(GymEntity, { id: gymId }, { policy });
    },
    plan: (gymId, planId) => tx.findOne(MembershipPlanEntity, { id: planId, gymId }),
    plans: (gymId) => tx.find(MembershipPlanEntity, { gymId }),
    async savePlan(plan) {
      const found = await tx.findOne(MembershipPlanEntity, { id: plan.id });
      if (found) tx.assign(found, plan);
      else tx.create(MembershipPlanEntity, plan);
      await tx.flush();
    },
    countClassTypes: (gymId, ids) => (ids.length === 0 ? Promise.resolve(0) : tx.count(ClassTypeEntity, { gymId, id: { $in: [...new Set(ids)] } })),
    async member(gymId, memberId, lock): Promise<MemberAccountRow | null> {
      const m = await tx.findOne(GymMembershipEntity, { gymId, userId: memberId }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true } : {});
      return m ? { memberId: m.userId, role: m.role, status: m.status, planId: m.planId, credits: m.credits, creditsExpireAt: m.creditsExpireAt, frozenUntil: m.frozenUntil ?? null } : null;
    },
    async setPlan(gymId, memberId, planId) {
      await tx.nativeUpdate(GymMembershipEntity, { gymId, userId: memberId }, { planId });
    },
    async addAssignment(a) {
      tx.create(PlanAssignmentEntity, a);
      await tx.flush();
    },
    async moveCredits(gymId, move, at, expireAt) {
      const moved = await moveCredits(tx, gymId, [move], at, { startFromZero: true, ...(expireAt === undefined ? {} : { expireAt }) });
      return moved.get(move.memberId) ?? null;
    },
    async addCharge(c) {
      tx.create(MemberChargeEntity, c);
      await tx.flush();
    },
    async charge(gymId, chargeId, lock) {
      const opts = lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {};
      const stored = await tx.findOne(MemberChargeEntity, { id: chargeId, gymId }, opts);
      if (stored) return { ...stored };
      const fee = await tx.findOne(FeeEntity, { id: chargeId, gymId }, opts);
      return fee ? chargeOfFee(fee) : null;
    },
    async saveCharge(c: Charge) {
      // A class fee becomes a stored charge the first time staff settle it; its id (the fee's) is unique, so two settle once.
      const found = await tx.findOne(MemberChargeEntity, { id: c.id });
      if (found) tx.assign(found, c);
      else tx.create(MemberChargeEntity, c);
      await tx.flush();
    },
    ledger: (gymId, memberId, limit) => tx.find(CreditLedgerEntity, { gymId, memberId }, { orderBy: { at: "desc", id: "desc" }, limit }),
    async charges(gymId, memberId, limit) {
      const stored = await tx.find(MemberChargeEntity, { gymId, memberId }, { orderBy: { createdAt: "desc" }, limit });
      const fees = await tx.find(FeeEntity, { gymId, memberId }, { orderBy: { createdAt: "desc" }, limit });
      const settled = new Set(stored.map((c) => c.feeId).filter((id) => id !== null));
      const all = [...stored.map((c) => ({ ...c })), ...fees.filter((f) => !settled.has(f.id)).map((f) => chargeOfFee(f))];
      return all.sort((a, b) => b.createdAt - a.createdAt).slice(0, limit);
    },
    audit: (a) => void audits.push(a),
    ...memberTx(tx),
  };
}

export function adminStore(orm: MikroORM): AdminStore {
  return {
    read: (work) => orm.em.fork().transactional((tx) => work(adminTx(tx, []))),

    async transaction<T>(actor: AdminActor, type: string, work: (tx: AdminTx) => Promise<T>): Promise<T | DomainError> {
      try {
        return await orm.em.fork().transactional(async (tx) => {
          const conn = tx.getConnection();
          const ctx = tx.getTransactionContext();
          const key = [commandRoom(actor.gymId), actor.userId, actor.commandId];
          if (actor.commandId) {
            // The row's key is taken first: a concurrent retry waits here for this transaction, then reads its answer.
            const claimed = await conn.execute<unknown[]>(
              `insert into processed_command (room, user_id, command_id, gym_id, type, response, created_at) values (?, ?, ?, ?, ?, 'null', ?)
               on conflict do nothing returning command_id`,
              [...key, actor.gymId, type, new Date(actor.now)], "all", ctx,
            );
            if (claimed.length === 0) {
              const [row] = await conn.execute<{ response: unknown }[]>(`select response from processed_command where room = ? and user_id = ? and command_id = ?`, key, "all", ctx);
              return (typeof row?.response === "string" ? JSON.parse(row.response) : row?.response) as T;
            }
          }
          const audits: Parameters<AdminTx["audit"]>[0][] = [];
          const result = await work(adminTx(tx, audits));
          if (actor.commandId) await conn.execute(`update processed_command set response = ? where room = ? and user_id = ? and command_id = ?`, [JSON.stringify(result ?? null), ...key], "run", ctx);
          // Last: the audit writer holds the gym's chain lock until commit.
          for (const a of audits) await auditStaffWrite(tx, { gymId: actor.gymId, actorId: actor.userId, commandId: actor.commandId, at: actor.now, ...a });
          return result;
        });
      } catch (err) {
        if (err instanceof DomainError) return err;
        throw err;
      }
    },
  };
}

