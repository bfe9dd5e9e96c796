/**
 * The dues job's store (`app/admin/dues.ts`) over PostgreSQL: which gyms have a plan assignment due a look, and one
 * gym's pass in one transaction — held by one runner (a transaction-scoped advisory lock, taken without waiting), and
 * each period claimed besides by a conditional update of `plan_assignment.next_dues_on` (a period already claimed is
 * not matched again), in the transaction that inserts its charge.
 */
import type { MikroORM } from "@mikro-orm/core";
import type { AdminAudit } from "../../app/admin/ports.js";
import type { DuesRow, DuesStore } from "../../app/admin/dues.js";
import type { BillingPeriod } from "../../domain/admin/plans.js";
import type { MembershipStatus } from "../../domain/model.js";
import { auditStaffWrite } from "../audit/staffAudit.js";
import { MemberChargeEntity } from "../db/entities/index.js";
import { joinNotices } from "./noticeJoin.js";

/** Most assignments one gym's pass looks at (the next pass takes the rest). */
const ASSIGNMENTS_PER_GYM = 500;
const DAY = 86_400_000;

interface Row {
  id: string;
  member_id: string;
  starts_on: string;
  ends_on: string | null;
  price_cents: number;
  next_dues_on: string;
  assigned_on: string;
  plan_name: string;
  billing_period: BillingPeriod | null;
  currency: string;
  locale: string;
  status: MembershipStatus | null;
  frozen_until: string | null;
  superseded: boolean;
}

export function duesStore(orm: MikroORM): DuesStore {
  return {
    async dueGyms(now, limit) {
      // No gym's date is past UTC's by more than a day: the bound lets the partial index read only what may be due
      // (today's or tomorrow's renewals and any left over), and only those gyms' time zones are compared.
      const latest = new Date(now + DAY).toISOString().slice(0, 10);
      const rows = await orm.em
        .fork()
        .getConnection()
        .execute<{ id: string; time_zone: string }[]>(
          `select distinct g.id, g.time_zone from plan_assignment a join gym g on g.id = a.gym_id
            where a.next_dues_on is not null and a.next_dues_on <= ?
              and a.next_dues_on <= to_char(?::timestamptz at time zone g.time_zone, 'YYYY-MM-DD')
            order by g.id limit ?`,
          [latest, new Date(now), limit],
        );
      return rows.map((r: { id: string; time_zone: string }) => ({ gymId: r.id, timeZone: r.time_zone }));
    },

    async openDues(gymId, today, now, within) {
      const after: (() => void)[] = [];
      const opened = await orm.em.fork().transactional(async (tx) => {
        const conn = tx.getConnection();
        const ctx = tx.getTransactionContext();
        const [lock] = await conn.execute<{ held: boolean }[]>(
          `select pg_try_advisory_xact_lock(hashtext(?)) as held`,
          [`dues:${gymId}`],
          "all",
          ctx,
        );
        if (!lock?.held) return null;
        // A plan made before billing periods existed bills as staff screens show it (`planView`): packs once, others monthly.
        const rows = await conn.execute<Row[]>(
          `select a.id, a.member_id, a.starts_on, a.ends_on, a.price_cents, a.next_dues_on,
                  to_char(a.assigned_at at time zone g.time_zone, 'YYYY-MM-DD') as assigned_on,
                  p.name as plan_name, coalesce(g.policy->>'currency', 'EUR') as currency, g.locale, m.status, m.frozen_until,
                  coalesce(p.billing_period, case when coalesce(p.kind, p.entitlement->>'kind') = 'pack' then 'once' else 'month' end)
                    as billing_period,
                  (m.id is null or m.plan_id is distinct from a.plan_id
                    or exists (select 1 from plan_assignment b where b.gym_id = a.gym_id and b.member_id = a.member_id
                                and (b.assigned_at, b.id) > (a.assigned_at, a.id))) as superseded
             from plan_assignment a
             join gym g on g.id = a.gym_id
             join membership_plan p on p.id = a.plan_id
             left join gym_membership m on m.gym_id = a.gym_id and m.user_id = a.member_id
            where a.gym_id = ? and a.next_dues_on is not null and a.next_dues_on <= ?
            order by a.next_dues_on, a.id limit ${ASSIGNMENTS_PER_GYM}
              for update of a`,
          [gymId, today],
          "all",
          ctx,
        );
        const due: DuesRow[] = rows.map((r: Row) => ({
          assignmentId: r.id,
          memberId: r.member_id,
          planName: r.plan_name,
          currency: r.currency,
          locale: r.locale,
          billingPeriod: r.billing_period,
          startsOn: r.starts_on,
          endsOn: r.ends_on,
          assignedOn: r.assigned_on,
          priceCents: Number(r.price_cents),
          nextDuesOn: r.next_dues_on,
          status: r.status ?? "cancelled",
          frozenUntil: r.frozen_until,
          superseded: r.superseded,
        }));
        const audits: AdminAudit[] = [];
        const charged: string[] = [];
        await within(due, {
          async advance(assignmentId, from, next) {
            const moved = await conn.execute<{ id: string }[]>(
              `update plan_assignment set next_dues_on = ? where id = ? and gym_id = ? and next_dues_on = ? returning id`,
              [next, assignmentId, gymId, from],
              "all",
              ctx,
            );
            return moved.length === 1;
          },
          async addCharge(c) {
            await tx.insert(MemberChargeEntity, c);
            charged.push(c.memberId);
          },
          audit: (a) => void audits.push(a),
          notices: joinNotices(tx, after),
        });
        // Spotter's own rows (no actor), last: the audit writer holds the gym's chain lock until commit.
        for (const a of audits) await auditStaffWrite(tx, { gymId, actorId: null, commandId: null, at: now, ...a });
        return charged;
      });
      // The notices are shown and delivered once the charges are committed.
      for (const run of after) run();
      return opened;
    },
  };
}
