import { Migration } from "@mikro-orm/migrations";

/**
 * Guards of a room's one-statement commit (`server/persistence/roomRecords.ts`): a function that refuses the
 * statement (so nothing of it is written), and the weekly-plan check, which must count with a snapshot taken
 * AFTER it locked the members' rows — a plain subquery would count with the statement's own, older snapshot.
 */
export class Migration20261206061500_room_commit_guards extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create function room_commit_refused(p_kind text, p_members text) returns int language plpgsql volatile as $fn$
begin
  raise exception 'room commit refused: %', p_kind using errcode = 'SP409', detail = p_kind || ':' || coalesce(p_members, '');
end
$fn$;`);
    // VOLATILE: each statement inside takes a fresh snapshot, so the count sees a booking committed by whoever held the lock before.
    this
      .addSql(`create function room_weekly_over(p_gym uuid, p_members text, p_limits text, p_session uuid, p_from timestamptz, p_to timestamptz, p_statuses text)
returns text language plpgsql volatile as $fn$
declare
  over text;
begin
  perform 1 from gym_membership where gym_id = p_gym and user_id = any(string_to_array(p_members, ',')::uuid[]) order by user_id for update;
  select string_agg(l.m, ',') into over
    from unnest(string_to_array(p_members, ','), string_to_array(p_limits, ',')::int[]) as l(m, lim)
   where (select count(*) from booking b join class_session s on s.id = b.session_id
           where b.gym_id = p_gym and b.member_id = l.m::uuid and b.session_id <> p_session
             and b.status = any(string_to_array(p_statuses, ',')) and s.starts_at >= p_from and s.starts_at < p_to) >= l.lim;
  return over;
end
$fn$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists room_weekly_over(uuid, text, text, uuid, timestamptz, timestamptz, text);`);
    this.addSql(`drop function if exists room_commit_refused(text, text);`);
  }
}
