import { Migration } from "@mikro-orm/migrations";

/**
 * Recurring dues (issue 18, docs/domain.md "Recurring dues"): each plan assignment keeps the first day the dues job
 * looks at it again (`next_dues_on`, a gym date; null = nothing more to bill). The job moves it forward in a
 * conditional update in the transaction that opens a period's charge, so a period is opened once however many nodes
 * race. Existing assignments are billed from the first period starting after this migration (tomorrow in the gym's
 * time zone): periods already under way were charged at assignment or before recurring dues existed.
 */
export class Migration20261206213000_recurring_dues extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "plan_assignment" add column "next_dues_on" varchar(10) null;`);
    this.addSql(`update "plan_assignment" a
                    set "next_dues_on" = greatest(a."starts_on", to_char((now() at time zone g."time_zone")::date + 1, 'YYYY-MM-DD'))
                   from "gym" g where g."id" = a."gym_id";`);
    this.addSql(
      `create index "plan_assignment_next_dues_on_index" on "plan_assignment" ("next_dues_on", "gym_id") where "next_dues_on" is not null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "plan_assignment_next_dues_on_index";`);
    this.addSql(`alter table "plan_assignment" drop column if exists "next_dues_on";`);
  }
}
