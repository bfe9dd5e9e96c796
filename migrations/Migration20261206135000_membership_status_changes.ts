import { Migration } from "@mikro-orm/migrations";

/**
 * Membership status changes (issue 21): an offline desk's late check-in is decided with the status as of the desk's
 * time. A trigger records every change of `gym_membership.status`, whichever path made it, and prunes the gym's
 * rows older than 36 hours (longer than any offline desk's grace): a gym keeps a day and a half of changes.
 */
export class Migration20261206135000_membership_status_changes extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "membership_status_change" ("id" uuid not null, "gym_id" uuid not null, "member_id" uuid not null, "from_status" varchar(16) not null, "to_status" varchar(16) not null, "at" timestamptz not null, constraint "membership_status_change_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "membership_status_change_gym_id_member_id_at_index" on "membership_status_change" ("gym_id", "member_id", "at");`,
    );
    this.addSql(`create function membership_status_changed() returns trigger language plpgsql as $fn$
begin
  delete from membership_status_change where gym_id = new.gym_id and at < now() - interval '36 hours';
  insert into membership_status_change (id, gym_id, member_id, from_status, to_status, at) values (gen_random_uuid(), new.gym_id, new.user_id, old.status, new.status, now());
  return null;
end $fn$;`);
    this.addSql(
      `create trigger gym_membership_status_changed after update of "status" on "gym_membership" for each row when (old.status is distinct from new.status) execute function membership_status_changed();`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists gym_membership_status_changed on "gym_membership";`);
    this.addSql(`drop function if exists membership_status_changed();`);
    this.addSql(`drop table if exists "membership_status_change";`);
  }
}
