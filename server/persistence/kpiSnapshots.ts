/**
 * Daily KPI snapshots (issue 22): one `gym_kpi_day` row per gym and gym-local day once the day is over, so the
 * owner's history does not depend on recomputing it from rows that change (memberships cancelled, charges settled).
 * Days since the last stored one (at most {@link KpiBackfillDays} back) are stored by the daily job every node
 * runs (`server/jobs/kpiDayJob.ts`), or by the next report that asks first; today is always computed live. Active members are known only for a day stored on the day after.
 */
import type { EntityManager } from "@mikro-orm/core";
import type { KpiDay } from "../../domain/reports/ownerReport.js";
import { addDays, localDate, startOfLocalDay } from "../../domain/schedule/timeZone.js";

/** How far back a gym's first snapshot run reaches (two years, the longest report). */
export const KpiBackfillDays = 730;

type Count = number | string;
type Row = {
  day: string;
  visits: Count;
  bookings: Count;
  no_shows: Count;
  late: Count;
  joined: Count;
  leads: Count;
  sales: Count;
  fees: Count;
};

/** The days [fromDay, toDay] (gym-local) with their figures up to `until`, as one SELECT and its parameters. */
function daysSql(gymId: string, fromDay: string, toDay: string, timeZone: string, until: number): { sql: string; params: unknown[] } {
  const lo = new Date(startOfLocalDay(fromDay, timeZone));
  const hi = new Date(Math.min(until, startOfLocalDay(addDays(toDay, 1), timeZone)));
  const day = (col: string) => `to_char(${col} at time zone ?, 'YYYY-MM-DD')`;
  return {
    sql: `with d as (select to_char(x, 'YYYY-MM-DD') as day from generate_series(?::date, ?::date, interval '1 day') x),
      v as (select ${day("a.at")} as day, count(*) as n from attendance_event a where a.gym_id = ? and a.at >= ? and a.at < ? group by 1),
      b as (select ${day("s.starts_at")} as day, count(*) filter (where x.status in ('booked', 'checked_in', 'no_show')) as taken,
                   count(*) filter (where x.status = 'no_show') as no_shows, count(*) filter (where x.status = 'late_cancelled') as late
              from class_session s join booking x on x.session_id = s.id
             where s.gym_id = ? and s.starts_at >= ? and s.starts_at < ? and s.status <> 'cancelled' group by 1),
      j as (select ${day("m.joined_at")} as day, count(*) as n from gym_membership m where m.gym_id = ? and m.role = 'member' and m.joined_at >= ? and m.joined_at < ? group by 1),
      l as (select ${day("l.created_at")} as day, count(*) as n from lead l where l.gym_id = ? and l.created_at >= ? and l.created_at < ? group by 1),
      money as (
        select c.created_at as at, c.kind, c.amount_cents, c.status from member_charge c where c.gym_id = ? and c.created_at >= ? and c.created_at < ?
        union all
        select f.created_at, f.kind, f.amount_cents, case when f.waived then 'waived' else 'open' end from fee f
         where f.gym_id = ? and f.created_at >= ? and f.created_at < ? and not exists (select 1 from member_charge s where s.fee_id = f.id)),
      c as (select ${day("at")} as day, coalesce(sum(amount_cents) filter (where kind = 'sale'), 0) as sales,
                   coalesce(sum(amount_cents) filter (where kind not in ('sale', 'dues', 'refund') and status <> 'waived'), 0) as fees from money group by 1)
      select d.day, coalesce(v.n, 0) as visits, coalesce(b.taken, 0) as bookings, coalesce(b.no_shows, 0) as no_shows, coalesce(b.late, 0) as late,
             coalesce(j.n, 0) as joined, coalesce(l.n, 0) as leads, coalesce(c.sales, 0) as sales, coalesce(c.fees, 0) as fees
        from d left join v using (day) left join b using (day) left join j using (day) left join l using (day) left join c using (day)`,
    params: [
      fromDay,
      toDay,
      timeZone,
      gymId,
      lo,
      hi,
      timeZone,
      gymId,
      lo,
      hi,
      timeZone,
      gymId,
      lo,
      hi,
      timeZone,
      gymId,
      lo,
      hi,
      gymId,
      lo,
      hi,
      gymId,
      lo,
      hi,
      timeZone,
    ],
  };
}

const toKpi = (r: Row & { active_members?: Count | null }): KpiDay => ({
  day: r.day,
  visits: Number(r.visits),
  bookings: Number(r.bookings),
  noShows: Number(r.no_shows),
  lateCancels: Number(r.late),
  joined: Number(r.joined),
  leads: Number(r.leads),
  salesCents: Number(r.sales),
  feesCents: Number(r.fees),
  activeMembers: r.active_members === null || r.active_members === undefined ? null : Number(r.active_members),
});

const activeMembers = `(select count(*) from gym_membership where gym_id = ? and role = 'member' and status = 'active')`;

/** Per node: the gyms whose days are known stored through a day (saves asking on every report). */
export type StoredThrough = Map<string, string>;

/**
 * Stores the gym's ended days not stored yet, through yesterday (gym time): from the day after the last stored one,
 * at most {@link KpiBackfillDays} back. Idempotent (a day stored is never recomputed; `on conflict do nothing`);
 * answers how many days it stored. Runs in `em`'s transaction when it has one.
 */
export async function storeKpiDays(em: EntityManager, gymId: string, timeZone: string, now: number): Promise<number> {
  const run = async <T>(sql: string, params: unknown[]) =>
    (await em.getConnection().execute(sql, params, "all", em.getTransactionContext())) as T[];
  const today = localDate(now, timeZone);
  const yesterday = addDays(today, -1);
  const [last] = await run<{ day: string | null }>(`select max(day) as day from gym_kpi_day where gym_id = ?`, [gymId]);
  const earliest = addDays(today, -KpiBackfillDays);
  const first = last?.day && addDays(last.day, 1) > earliest ? addDays(last.day, 1) : earliest;
  if (first > yesterday) return 0;
  const { sql, params } = daysSql(gymId, first, yesterday, timeZone, now);
  const stored = await run<{ day: string }>(
    `insert into gym_kpi_day (gym_id, day, visits, bookings, no_shows, late_cancels, joined, leads, sales_cents, fees_cents, active_members, stored_at)
     select ?, k.day, k.visits, k.bookings, k.no_shows, k.late, k.joined, k.leads, k.sales, k.fees, case when k.day = ? then ${activeMembers} end, ?
       from (${sql}) k on conflict do nothing returning day`,
    [gymId, yesterday, gymId, new Date(now), ...params],
  );
  return stored.length;
}

/**
 * Stores the gym's days not stored yet up to yesterday (gym time) — the daily job (`server/jobs/kpiDayJob.ts`)
 * normally has — then answers the days from `fromDay` with today live (one statement once the days are stored).
 */
export async function kpiDays(
  em: EntityManager,
  known: StoredThrough,
  gymId: string,
  fromDay: string,
  now: number,
  timeZone: string,
): Promise<KpiDay[]> {
  const run = async <T>(sql: string, params: unknown[]) => (await em.getConnection().execute(sql, params)) as T[];
  const today = localDate(now, timeZone);
  const yesterday = addDays(today, -1);
  if (known.get(gymId) !== yesterday) {
    await storeKpiDays(em, gymId, timeZone, now);
    if (known.size > 10_000) known.clear();
    known.set(gymId, yesterday);
  }
  const live = daysSql(gymId, today, today, timeZone, now);
  const rows = await run<Row & { active_members: Count | null }>(
    `select day, visits, bookings, no_shows, late_cancels as late, joined, leads, sales_cents as sales, fees_cents as fees, active_members
       from gym_kpi_day where gym_id = ? and day >= ? and day < ?
     union all
     select k.*, ${activeMembers} as active_members from (${live.sql}) k
     order by day`,
    [gymId, fromDay, today, gymId, ...live.params],
  );
  return rows.map(toKpi);
}
