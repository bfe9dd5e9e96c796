import { Migration } from "@mikro-orm/migrations";

/** Quiet hours per person, a notice's expiry (an offer's, so a held push never outlives what it offers), and the gym's delivery log by time (issue 20). */
export class Migration20261206133000_notice_quiet_hours extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "notice" add column "expires_at" timestamptz null;`);
    this.addSql(`create index "notice_gym_at_index" on "notice" ("gym_id", "at");`);
    this.addSql(
      `create table "notice_quiet_hours" ("user_id" uuid not null, "start_minute" int not null, "end_minute" int not null, "time_zone" varchar(64) not null, constraint "notice_quiet_hours_pkey" primary key ("user_id"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "notice_quiet_hours" cascade;`);
    this.addSql(`drop index if exists "notice_gym_at_index";`);
    this.addSql(`alter table "notice" drop column if exists "expires_at";`);
  }
}
