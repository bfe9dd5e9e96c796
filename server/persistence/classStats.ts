/**
 * The owner's report's session figures from snapshots: a completed class is counted once into `class_stat` (its
 * bookings no longer change — CLASS_COMPLETED), so a report reads the stored rows of its window plus the few classes
 * not completed yet (today's, live from their bookings). Classes completed since the last report are stored by the
 * same statement that reads them; a concurrent report's rows, not yet visible, are counted live instead.
 */

/** One session's figures from its bookings and waitlist (`s` a class_session row). */
const figures = `b.taken, b.here, b.no_shows, b.late, (select count(*) from waitlist_entry w where w.session_id = s.id) as waited
    from class_session s cross join lateral (
      select count(*) filter (where x.status in ('booked', 'checked_in', 'no_show')) as taken, count(*) filter (where x.status = 'checked_in') as here,
             count(*) filter (where x.status = 'no_show') as no_shows, count(*) filter (where x.status = 'late_cancelled') as late
        from booking x where x.session_id = s.id) b`;

const COLUMNS = "session_id, starts_at, class_type_id, coach_id, capacity, taken, here, no_shows, late, waited";

/**
 * The window's sessions grouped by class type, gym-local hour and coach, plus the total (grouping sets), storing the
 * snapshots of classes completed since. Its parameters come from {@link sessionCountParams}.
 */
export const sessionCountsSql = `
  with pending as materialized (
    select s.id, s.status, s.starts_at from class_session s
     where s.gym_id = ? and s.status <> 'cancelled' and not exists (select 1 from class_stat c where c.session_id = s.id)),
  fresh as (
    insert into class_stat (stored_at, gym_id, ${COLUMNS})
    select ?::timestamptz, s.gym_id, s.id, s.starts_at, s.class_type_id, s.coach_id, s.capacity, ${figures}
     where s.id in (select id from pending where status = 'completed')
    on conflict do nothing
    returning ${COLUMNS}),
  live as (
    select s.id as session_id, s.starts_at, s.class_type_id, s.coach_id, s.capacity, ${figures}
     where s.id in (select id from pending where starts_at >= ? and starts_at < ?) and s.id not in (select session_id from fresh)),
  u as (
    select ${COLUMNS} from class_stat where gym_id = ? and starts_at >= ? and starts_at < ?
    union all select ${COLUMNS} from fresh where starts_at >= ? and starts_at < ?
    union all select ${COLUMNS} from live),
  g as (
    select class_type_id, coach_id, extract(hour from starts_at at time zone ?)::int as h, count(*) as sessions, sum(capacity) as capacity,
           sum(taken) as taken, sum(here) as here, sum(no_shows) as no_shows, sum(late) as late, sum(waited) as waited
      from u group by 1, 2, 3),
  n as (
    select t.name as type_name, lpad(g.h::text, 2, '0') || ':00' as hour, coalesce(cu.name, 'No coach') as coach, g.sessions, g.capacity, g.taken, g.here, g.no_shows, g.late, g.waited
      from g join class_type t on t.id = g.class_type_id left join app_user cu on cu.id = g.coach_id)
  select (select count(*) from fresh) as stored, grouping(type_name) as g_type, grouping(hour) as g_hour, grouping(coach) as g_coach, type_name, hour, coach,
         coalesce(sum(sessions), 0) as sessions, coalesce(sum(capacity), 0) as capacity, coalesce(sum(taken), 0) as taken, coalesce(sum(here), 0) as here,
         coalesce(sum(no_shows), 0) as no_shows, coalesce(sum(late), 0) as late, coalesce(sum(waited), 0) as waited
    from n group by grouping sets ((type_name), (hour), (coach), ())`;

export function sessionCountParams(gymId: string, from: number, to: number, timeZone: string, now: number): unknown[] {
  const [f, t] = [new Date(from), new Date(to)];
  return [gymId, new Date(now), f, t, gymId, f, t, f, t, timeZone];
}
