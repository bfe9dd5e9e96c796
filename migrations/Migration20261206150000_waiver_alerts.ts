import { Migration } from "@mikro-orm/migrations";

/**
 * Staff told of a member turned away at the desk for an unsigned waiver (issue 20): one row per member and
 * gym-local day, so a member retrying at the desk tells them once a day (the gym room's commit inserts it).
 */
export class Migration20261206150000_waiver_alerts extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "waiver_alert" ("gym_id" uuid not null, "member_id" uuid not null, "day" varchar(10) not null, "at" timestamptz not null, constraint "waiver_alert_pkey" primary key ("gym_id", "member_id", "day"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "waiver_alert";`);
  }
}
