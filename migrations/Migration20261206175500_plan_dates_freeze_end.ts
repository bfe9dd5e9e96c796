import { Migration } from "@mikro-orm/migrations";

/**
 * Issue 18, what a gym owner relies on: the current plan's first and last day on the membership (the rooms decide
 * bookings by them, docs/domain.md "Plans, packs and the ledger"), filled from each member's latest assignment of that
 * plan; and an index over frozen memberships for the job that ends freezes past their last day ("Freezes").
 */
export class Migration20261206175500_plan_dates_freeze_end extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "gym_membership" add column "plan_starts_on" varchar(10) null, add column "plan_ends_on" varchar(10) null;`);
    this.addSql(`update "gym_membership" m set "plan_starts_on" = a."starts_on", "plan_ends_on" = a."ends_on"
      from (select distinct on (gym_id, member_id, plan_id) gym_id, member_id, plan_id, starts_on, ends_on
              from "plan_assignment" order by gym_id, member_id, plan_id, assigned_at desc) a
     where a.gym_id = m.gym_id and a.member_id = m.user_id and a.plan_id = m.plan_id;`);
    this.addSql(
      `create index "gym_membership_frozen_until_index" on "gym_membership" ("frozen_until", "gym_id") where "status" = 'frozen';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "gym_membership_frozen_until_index";`);
    this.addSql(`alter table "gym_membership" drop column if exists "plan_starts_on", drop column if exists "plan_ends_on";`);
  }
}
