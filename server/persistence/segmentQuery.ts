/**
 * A segment's filter as ONE SQL condition over `gym_membership m` (with `app_user u` and `membership_plan p` joined):
 * each condition an indexed scan of the member's own rows, so a 5,000-member gym is one statement.
 */
import { AdherenceWeeks, filterClock, StreakBrokenFrom, type SegmentFilter } from "../../domain/segments/filter.js";

const marks = (n: number) => Array.from({ length: n }, () => "?").join(", ");

/** The FROM and WHERE of a segment (members only, not staff), with their parameters in order. */
export function segmentFrom(gymId: string, f: SegmentFilter, now: number, timeZone: string): { sql: string; params: unknown[] } {
  const clock = filterClock(now, timeZone);
  const where: string[] = ["m.gym_id = ?", "m.role = 'member'"];
  const params: unknown[] = [gymId];
  if (f.planIds?.length) {
    where.push(`m.plan_id in (${marks(f.planIds.length)})`);
    params.push(...f.planIds);
  }
  if (f.statuses?.length) {
    where.push(`m.status in (${marks(f.statuses.length)})`);
    params.push(...f.statuses);
  }
  if (f.tags?.length) {
    where.push(
      `exists (select 1 from jsonb_array_elements_text(coalesce(m.tags, '[]'::jsonb)) t(tag) where t.tag in (${marks(f.tags.length)}))`,
    );
    params.push(...f.tags);
  }
  if (f.noVisitDays !== undefined) {
    const since = new Date(clock.since(f.noVisitDays));
    where.push(
      `m.joined_at < ? and not exists (select 1 from attendance_event a where a.gym_id = m.gym_id and a.member_id = m.user_id and a.at >= ? and a.at <= ?)`,
    );
    params.push(since, since, new Date(now));
  }
  if (f.visits) {
    where.push(
      `(select count(*) from attendance_event a where a.gym_id = m.gym_id and a.member_id = m.user_id and a.at >= ? and a.at <= ?) between ? and ?`,
    );
    params.push(new Date(clock.since(f.visits.days)), new Date(now), f.visits.min ?? 0, f.visits.max ?? 1_000_000);
  }
  if (f.feesOwed) {
    where.push(`(exists (select 1 from member_charge c where c.gym_id = m.gym_id and c.member_id = m.user_id and c.status = 'open' and c.amount_cents > 0)
      or exists (select 1 from fee x where x.gym_id = m.gym_id and x.member_id = m.user_id and not x.waived and x.amount_cents > 0
                  and not exists (select 1 from member_charge s where s.fee_id = x.id)))`);
  }
  if (f.trialEndedNotConverted) {
    // Used up or expired, and no trial class still ahead (a trialist whose one credit went on tomorrow's class has not tried yet).
    where.push(`p.kind = 'trial' and (coalesce(m.credits, 0) <= 0 or m.credits_expire_at <= ?)
      and not exists (select 1 from booking b join class_session s on s.id = b.session_id
                      where b.gym_id = m.gym_id and b.member_id = m.user_id and b.status = 'booked' and s.ends_at > ?)`);
    params.push(new Date(now), new Date(now));
  }
  if (f.birthdayThisWeek) {
    where.push(`substr(u.birthday, 6, 5) in (${marks(clock.birthdayDays.length)})`);
    params.push(...clock.birthdayDays);
  }
  if (f.streakBroken) {
    where.push(
      `exists (select 1 from member_progress g where g.gym_id = m.gym_id and g.member_id = m.user_id and g.streak >= ? and g.last_active_day < ?)`,
    );
    params.push(StreakBrokenFrom, clock.yesterday);
  }
  if (f.adherenceBelowTarget) {
    where.push(`coalesce(p.weekly_target, 0) > 0
      and (select count(*) from attendance_event a where a.gym_id = m.gym_id and a.member_id = m.user_id and a.at >= ? and a.at < ?) < p.weekly_target * ${AdherenceWeeks}`);
    params.push(new Date(clock.adherence.from), new Date(clock.adherence.to));
  }
  if (f.waiverMissing) {
    // The version in force of each document, as domain/admin/waivers.ts currentWaivers picks it; none published: nobody misses one.
    where.push(`exists (select 1 from (select distinct on (d.document) d.id from waiver_document d where d.gym_id = m.gym_id and d.effective_at <= ?
        order by d.document, d.effective_at desc, d.published_at desc) cur
      where not exists (select 1 from waiver_signature w where w.document_id = cur.id and w.member_id = m.user_id))`);
    params.push(new Date(now));
  }
  return {
    sql: `from gym_membership m join app_user u on u.id = m.user_id left join membership_plan p on p.id = m.plan_id and p.gym_id = m.gym_id where ${where.join(" and ")}`,
    params,
  };
}
