import { Migration } from '@mikro-orm/migrations';

/** Quiet hours per person, and a notice's expiry (an offer's), so a held push never outlives what it offers (issue 20). */
export class Migration20261206133000_notice_quiet_hours extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "notice" add column "expires_at" timestamptz null;`);
    this.addSql(`create table "notice_quiet_hours" ("user_id" uuid not null, "start_minute" int not null, "end_minute" int not null, "time_zone" varchar(64) not null, constraint "notice_quiet_hours_pkey" primary key ("user_id"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "notice_quiet_hours" cascade;`);
    this.addSql(`alter table "notice" drop column if exists "expires_at";`);
  }

}
