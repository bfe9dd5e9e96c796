/**
 * The administration use cases' store (`app/admin/ports.ts`) over PostgreSQL: one transaction per request, its
 * audit rows written last in it, and a command id recorded first so a retry answers the first result.
 */
import { LockMode, type EntityManager, type MikroORM } from "@mikro-orm/core";
import type { AdminStore, AdminTx, MemberAccountRow } from "../../app/admin/ports.js";
import { chargeOfFee, type Charge } from "../../domain/admin/charges.js";
import type { NoticeTransaction } from "../../app/notices/ports.js";
import { auditedTransaction } from "./auditedTransaction.js";
import { joinNotices } from "./noticeJoin.js";
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
import { waiverTx } from "./waiverStore.js";
import { photoUpdatedAt } from "./memberPhotoStore.js";
import { classReach } from "./policyReach.js";

function adminTx(tx: EntityManager, audits: Parameters<AdminTx["audit"]>[0][], notices: NoticeTransaction = joinNotices(tx, [])): AdminTx {
  return {
    notices,
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
    classReach: (gymId, now) => classReach(tx, gymId, now),
    plan: (gymId, planId) => tx.findOne(MembershipPlanEntity, { id: planId, gymId }),
    plans: (gymId) => tx.find(MembershipPlanEntity, { gymId }),
    async savePlan(plan) {
      const found = await tx.findOne(MembershipPlanEntity, { id: plan.id });
      if (found) tx.assign(found, plan);
      else tx.create(MembershipPlanEntity, plan);
      await tx.flush();
    },
    countClassTypes: (gymId, ids) =>
      ids.length === 0 ? Promise.resolve(0) : tx.count(ClassTypeEntity, { gymId, id: { $in: [...new Set(ids)] } }),
    async member(gymId, memberId, lock): Promise<MemberAccountRow | null> {
      const m = await tx.findOne(
        GymMembershipEntity,
        { gymId, userId: memberId },
        lock ? { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true } : {},
      );
      return m
        ? {
            memberId: m.userId,
            role: m.role,
            status: m.status,
            planId: m.planId,
            credits: m.credits,
            creditsExpireAt: m.creditsExpireAt,
            frozenUntil: m.frozenUntil ?? null,
            planEndsOn: m.planEndsOn ?? null,
          }
        : null;
    },
    async setPlan(gymId, memberId, planId, days) {
      await tx.nativeUpdate(
        GymMembershipEntity,
        { gymId, userId: memberId },
        { planId, planStartsOn: days.startsOn, planEndsOn: days.endsOn },
      );
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
    async refundOf(gymId, chargeId) {
      const refund = await tx.findOne(MemberChargeEntity, { gymId, refundOf: chargeId });
      return refund ? { ...refund } : null;
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
    ...waiverTx(tx),
    photoUpdatedAt: (gymId, memberId) => photoUpdatedAt(tx, gymId, memberId),
  };
}

export function adminStore(orm: Pick<MikroORM, "em">): AdminStore {
  return {
    read: (work) => orm.em.fork().transactional((tx) => work(adminTx(tx, []))),
    transaction: (actor, type, work) => auditedTransaction(orm, actor, type, adminTx, work),
  };
}
