/**
 * The public trial form's store (`app/leads/trialPorts.ts`) over PostgreSQL. A request is one transaction with its
 * audit row written last (the actor is the person asking: nobody of the staff acted).
 */
import { randomUUID } from "node:crypto";
import { LockMode, type EntityManager, type MikroORM } from "@mikro-orm/core";
import type { AdminAudit } from "../../app/admin/ports.js";
import type { PublicTrialForm, TrialSession, TrialStore, TrialTx } from "../../app/leads/trialPorts.js";
import type { GymPolicy } from "../../domain/model.js";
import { RequiredConsentKinds } from "../../domain/privacy.js";
import { auditStaffWrite } from "../audit/staffAudit.js";
import {
  ConsentEntity,
  GymEntity,
  GymMembershipEntity,
  LeadEntity,
  LeadTouchEntity,
  MembershipPlanEntity,
  TrialFormEntity,
  UserEntity,
} from "../db/entities/index.js";
import { moveCredits } from "./creditLedger.js";

type Audits = { actorId: string; a: AdminAudit }[];

function trialTx(tx: EntityManager, audits: Audits): TrialTx {
  const trialCredits = async (t: { userId: string; gymId: string; credits: number; expiresAt: number; at: number }) => {
    await moveCredits(
      tx,
      t.gymId,
      [{ memberId: t.userId, amount: t.credits, kind: "sale", actorId: null, reason: "Free trial", ref: null }],
      t.at,
      { startFromZero: true, expireAt: t.expiresAt },
    );
  };
  return {
    async form(gymId, lock): Promise<PublicTrialForm | null> {
      const f = await tx.findOne(TrialFormEntity, { gymId }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
      const gym = f ? await tx.findOne(GymEntity, { id: gymId }) : null;
      if (!f || !gym) return null;
      const required = (gym.policy as GymPolicy).requiredConsents ?? {};
      const requiredConsents = RequiredConsentKinds.flatMap((kind) => {
        const version = required[kind];
        return version ? [{ kind, version }] : [];
      });
      return { ...f, gymName: gym.name, timeZone: gym.timeZone, requiredConsents };
    },
    async saveForm(form) {
      await tx.upsert(TrialFormEntity, form);
    },
    async savePlan(plan) {
      tx.create(MembershipPlanEntity, plan);
      await tx.flush();
    },
    async openLeadByEmail(gymId, email) {
      const l = await tx.findOne(
        LeadEntity,
        { gymId, email, stage: { $nin: ["member", "lost"] } },
        { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { createdAt: "desc" } },
      );
      return l ? { ...l } : null;
    },
    async saveLead(lead) {
      await tx.upsert(LeadEntity, lead);
    },
    async addTouch(t) {
      tx.create(LeadTouchEntity, t);
      await tx.flush();
    },
    async userByEmail(email) {
      const u = await tx.findOne(UserEntity, { email });
      return u ? { id: u.id } : null;
    },
    async membership(gymId, userId) {
      const m = await tx.findOne(GymMembershipEntity, { gymId, userId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!m) return null;
      const plan = m.planId ? await tx.findOne(MembershipPlanEntity, { id: m.planId }) : null;
      return { status: m.status, planKind: plan?.kind ?? null };
    },
    async addTrialist(t) {
      if (t.newUser)
        tx.create(UserEntity, {
          id: t.userId,
          email: t.email,
          name: t.name,
          phone: t.phone,
          visible: true,
          birthday: null,
          emergencyContact: "",
        });
      tx.create(GymMembershipEntity, {
        id: t.membershipId,
        gymId: t.gymId,
        userId: t.userId,
        role: "member",
        status: "active",
        planId: t.planId,
        credits: null,
        creditsExpireAt: null,
        notes: "",
        joinedAt: t.at,
        frozenUntil: null,
        freezeReason: "",
        tags: ["trial"],
      });
      await tx.flush();
      await trialCredits(t);
    },
    async restartTrial(t) {
      await tx.nativeUpdate(
        GymMembershipEntity,
        { gymId: t.gymId, userId: t.userId },
        { status: "active", planId: t.planId, planStartsOn: null, planEndsOn: null, frozenUntil: null, freezeReason: "" },
      );
      await trialCredits(t);
    },
    async consent(userId, kind, version, at) {
      if (await tx.count(ConsentEntity, { userId, kind, version })) return;
      tx.create(ConsentEntity, { id: randomUUID(), userId, kind, version, acceptedAt: at });
      await tx.flush();
    },
    async lockTourSlot(gymId, slotId) {
      const run = <T>(sql: string, params: unknown[]) => tx.getConnection().execute<T>(sql, params, "all", tx.getTransactionContext());
      const [slot] = await run<{ starts_at: Date | string; capacity: number }[]>(
        `select starts_at, capacity from tour_slot where id = ? and gym_id = ? for update`,
        [slotId, gymId],
      );
      if (!slot) return null;
      // Counted by a statement of its own: it sees the bookings committed while this one waited for the lock.
      const [n] = await run<{ n: number | string }[]>(`select count(*) as n from tour_booking where slot_id = ?`, [slotId]);
      return { startsAt: new Date(slot.starts_at).getTime(), capacity: slot.capacity, booked: Number(n?.n ?? 0) };
    },
    async bookTour(b) {
      const rows = await tx
        .getConnection()
        .execute<unknown[]>(
          `insert into tour_booking (id, gym_id, slot_id, lead_id, created_at) values (?, ?, ?, ?, ?) on conflict (slot_id, lead_id) do nothing returning id`,
          [b.id, b.gymId, b.slotId, b.leadId, new Date(b.at)],
          "all",
          tx.getTransactionContext(),
        );
      return rows.length > 0;
    },
    audit: (actorId, a) => void audits.push({ actorId, a }),
  };
}

export function trialStore(orm: MikroORM): TrialStore {
  return {
    read: (work) => orm.em.fork().transactional((tx) => work(trialTx(tx, []))),
    transaction: (gymId, at, work) =>
      orm.em.fork().transactional(async (tx) => {
        const audits: Audits = [];
        const result = await work(trialTx(tx, audits));
        // Last: the audit writer holds the gym's chain lock until commit.
        for (const { actorId, a } of audits) await auditStaffWrite(tx, { gymId, actorId, commandId: null, at, ...a });
        return result;
      }),
    async tours(gymId, from, to, limit) {
      type Row = { id: string; starts_at: Date | string; left: number | string };
      const rows: Row[] = await orm.em
        .fork()
        .getConnection()
        .execute<Row[]>(
          `select s.id, s.starts_at, s.capacity - (select count(*) from tour_booking b where b.slot_id = s.id) as left
           from tour_slot s where s.gym_id = ? and s.starts_at >= ? and s.starts_at < ? and s.capacity > 0 order by s.starts_at limit ?`,
          [gymId, new Date(from), new Date(to), limit * 2],
        );
      return rows
        .map((r) => ({ slotId: r.id, startsAt: new Date(r.starts_at).getTime(), spotsLeft: Number(r.left) }))
        .filter((t) => t.spotsLeft > 0)
        .slice(0, limit);
    },
    async sessions(gymId, from, to, limit) {
      return (await bookable(orm, gymId, from, to, limit * 2, null)).filter((s) => s.spotsLeft > 0).slice(0, limit);
    },
    async session(gymId, sessionId, from, to) {
      return (await bookable(orm, gymId, from, to, 1, sessionId))[0] ?? null;
    },
  };
}

/** The gym's scheduled sessions starting in [from, to) whose booking is open at `from` (full ones too), soonest first. */
async function bookable(
  orm: MikroORM,
  gymId: string,
  from: number,
  to: number,
  limit: number,
  sessionId: string | null,
): Promise<TrialSession[]> {
  type Row = { id: string; name: string; starts_at: Date | string; capacity: number; taken: number | string };
  const rows: Row[] = await orm.em
    .fork()
    .getConnection()
    .execute(
      `select s.id, t.name, s.starts_at, s.capacity,
            (select count(*) from booking b where b.session_id = s.id and b.status in ('booked', 'checked_in')) as taken
       from class_session s join class_type t on t.id = s.class_type_id
      where s.gym_id = ? and s.status = 'scheduled' and s.starts_at >= ? and s.starts_at < ?${sessionId ? " and s.id = ?" : ""}
        and s.starts_at - make_interval(mins => s.booking_opens_minutes) <= ?
        and s.starts_at - make_interval(mins => s.booking_closes_minutes) > ?
      order by s.starts_at, t.name limit ?`,
      [gymId, new Date(from), new Date(to), ...(sessionId ? [sessionId] : []), new Date(from), new Date(from), limit],
    );
  return rows.map((r) => ({
    sessionId: r.id,
    className: r.name,
    startsAt: r.starts_at instanceof Date ? r.starts_at.getTime() : Date.parse(r.starts_at),
    spotsLeft: r.capacity - Number(r.taken),
  }));
}
