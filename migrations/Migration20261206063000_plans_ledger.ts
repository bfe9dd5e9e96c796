import { Migration } from "@mikro-orm/migrations";

/**
 * Plans staff define (kind, billing period, class types, archived), plan assignments, the credit ledger and money
 * owed. Every member already holding credits gets one `opening` entry, so the cached balance equals the ledger's sum.
 */
export class Migration20261206063000_plans_ledger extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "credit_ledger" ("id" uuid not null, "gym_id" uuid not null, "member_id" uuid not null, "at" timestamptz not null, "kind" varchar(16) not null, "amount" int not null, "balance_after" int not null, "actor_id" uuid null, "reason" text not null default '', "ref" varchar(64) null, constraint "credit_ledger_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "credit_ledger_gym_id_member_id_at_index" on "credit_ledger" ("gym_id", "member_id", "at");`);
    this.addSql(
      `create table "member_charge" ("id" uuid not null, "gym_id" uuid not null, "member_id" uuid not null, "kind" varchar(16) not null, "description" varchar(200) not null, "amount_cents" int not null, "currency" varchar(3) not null, "status" varchar(8) not null, "created_at" timestamptz not null, "created_by" uuid null, "fee_id" uuid null, "settled_at" timestamptz null, "settled_by" uuid null, "method" varchar(16) null, "note" text not null default '', constraint "member_charge_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "member_charge" add constraint "member_charge_fee_id_unique" unique ("fee_id");`);
    this.addSql(`create index "member_charge_gym_id_member_id_created_at_index" on "member_charge" ("gym_id", "member_id", "created_at");`);
    this.addSql(
      `create table "plan_assignment" ("id" uuid not null, "gym_id" uuid not null, "member_id" uuid not null, "plan_id" uuid not null, "starts_on" varchar(10) not null, "ends_on" varchar(10) null, "price_cents" int not null, "assigned_by" uuid not null, "assigned_at" timestamptz not null, constraint "plan_assignment_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "plan_assignment_gym_id_member_id_index" on "plan_assignment" ("gym_id", "member_id");`);
    this.addSql(
      `alter table "membership_plan" add column "kind" varchar(16) null, add column "billing_period" varchar(8) null, add column "class_type_ids" jsonb null, add column "archived" boolean not null default false;`,
    );
    this.addSql(`insert into "credit_ledger" ("id", "gym_id", "member_id", "at", "kind", "amount", "balance_after", "reason")
      select gen_random_uuid(), m.gym_id, m.user_id, now(), 'opening', m.credits, m.credits, 'Balance when the ledger started'
      from "gym_membership" m where m.credits is not null and m.credits <> 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "credit_ledger" cascade;`);
    this.addSql(`drop table if exists "member_charge" cascade;`);
    this.addSql(`drop table if exists "plan_assignment" cascade;`);
    this.addSql(
      `alter table "membership_plan" drop column "kind", drop column "billing_period", drop column "class_type_ids", drop column "archived";`,
    );
  }
}
