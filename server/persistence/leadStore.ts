/**
 * The lead use cases' store (`app/leads/ports.ts`) over PostgreSQL, in the same audited, idempotent transaction as
 * the administration requests (`auditedTransaction`).
 */
import { LockMode, type EntityManager, type MikroORM } from "@mikro-orm/core";
import type { AdminAudit } from "../../app/admin/ports.js";
import type { LeadStore, LeadTx } from "../../app/leads/ports.js";
import { StaffRoles } from "../../domain/model.js";
import {
  GymEntity,
  GymMembershipEntity,
  LeadEntity,
  LeadTouchEntity,
  MembershipPlanEntity,
  TourBookingEntity,
  TourSlotEntity,
  TrialFormEntity,
} from "../db/entities/index.js";
import { auditedTransaction } from "./auditedTransaction.js";
import { memberTx } from "./memberAdminStore.js";

function leadTx(tx: EntityManager, audits: AdminAudit[]): LeadTx {
  const { lookalikes, userByEmail, addMember } = memberTx(tx);
  /** Names of users by id (owners of leads, authors of touches). */
  const namesOf = async (ids: string[]): Promise<Map<string, string>> => {
    if (ids.length === 0) return new Map();
    const rows = await tx
      .getConnection()
      .execute<{ id: string; name: string }[]>(
        `select id, name from app_user where id in (${ids.map(() => "?").join(",")})`,
        ids,
        "all",
        tx.getTransactionContext(),
      );
    return new Map(rows.map((r: { id: string; name: string }): [string, string] => [r.id, r.name]));
  };
  return {
    lookalikes,
    userByEmail,
    addMember,
    async gym(gymId) {
      const g = await tx.findOne(GymEntity, { id: gymId });
      return g ? { timeZone: g.timeZone } : null;
    },
    async lead(gymId, leadId, lock) {
      const l = await tx.findOne(LeadEntity, { id: leadId, gymId }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true } : {});
      return l ? { ...l } : null;
    },
    async board(gymId, closedSince) {
      const leads = await tx.find(LeadEntity, {
        gymId,
        $or: [{ stage: { $nin: ["member", "lost"] } }, { updatedAt: { $gte: closedSince } }],
      });
      const owners = [...new Set(leads.map((l) => l.ownerId).filter((id) => id !== null))];
      const names = await namesOf(owners);
      return leads.map((l) => ({ ...l, ownerName: l.ownerId ? (names.get(l.ownerId) ?? null) : null }));
    },
    async saveLead(lead) {
      const found = await tx.findOne(LeadEntity, { id: lead.id });
      if (found) tx.assign(found, lead);
      else tx.create(LeadEntity, lead);
      await tx.flush();
    },
    async addTouch(t) {
      tx.create(LeadTouchEntity, t);
      await tx.flush();
    },
    async touches(gymId, leadId, limit) {
      const rows = await tx.find(LeadTouchEntity, { gymId, leadId }, { orderBy: { at: "desc", id: "desc" }, limit });
      const actors = [...new Set(rows.map((r) => r.actorId).filter((id) => id !== null))];
      const names = await namesOf(actors);
      return rows.map((r) => ({ ...r, actorName: r.actorId ? (names.get(r.actorId) ?? null) : null }));
    },
    async isStaff(gymId, userId) {
      return (await tx.count(GymMembershipEntity, { gymId, userId, role: { $in: [...StaffRoles] }, status: "active" })) > 0;
    },
    async isMember(gymId, memberId) {
      return (await tx.count(GymMembershipEntity, { gymId, userId: memberId, status: { $ne: "cancelled" } })) > 0;
    },
    async trialForm(gymId) {
      const f = await tx.findOne(TrialFormEntity, { gymId });
      return f ? { ...f } : null;
    },
    async saveTrialForm(form) {
      await tx.upsert(TrialFormEntity, form);
    },
    async savePlan(plan) {
      tx.create(MembershipPlanEntity, plan);
      await tx.flush();
    },
    async tourSlots(gymId, from, limit) {
      const slots = await tx.find(TourSlotEntity, { gymId, startsAt: { $gte: from } }, { orderBy: { startsAt: "asc" }, limit });
      type Booked = { slot_id: string; lead_id: string; name: string };
      const booked: Booked[] = slots.length
        ? await tx.getConnection().execute<Booked[]>(
            `select b.slot_id, l.id as lead_id, l.name from tour_booking b join lead l on l.id = b.lead_id where b.slot_id in (${slots.map(() => "?").join(", ")}) order by b.created_at`,
            slots.map((s) => s.id),
            "all",
            tx.getTransactionContext(),
          )
        : [];
      return slots.map((s) => ({
        ...s,
        leads: booked.filter((b) => b.slot_id === s.id).map((b) => ({ leadId: b.lead_id, name: b.name })),
      }));
    },
    async tourSlot(gymId, slotId) {
      const slot = await tx.findOne(TourSlotEntity, { id: slotId, gymId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      return slot ? { ...slot, booked: await tx.count(TourBookingEntity, { slotId }) } : null;
    },
    async saveTourSlot(slot) {
      await tx.upsert(TourSlotEntity, slot);
    },
    audit: (a) => void audits.push(a),
  };
}

export function leadStore(orm: Pick<MikroORM, "em">): LeadStore {
  return {
    read: (work) => orm.em.fork().transactional((tx) => work(leadTx(tx, []))),
    transaction: (actor, type, work) => auditedTransaction(orm, actor, type, leadTx, work),
  };
}
