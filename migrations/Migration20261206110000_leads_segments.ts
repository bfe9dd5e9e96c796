import { Migration } from "@mikro-orm/migrations";

/** Leads, their timeline of touches, each gym's public trial form, and saved segments (issue 22). */
export class Migration20261206110000_leads_segments extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "lead" ("id" uuid not null, "gym_id" uuid not null, "name" varchar(200) not null, "email" varchar(320) null, "phone" varchar(40) null, "source" varchar(16) not null, "interest" text not null default '', "owner_id" uuid null, "stage" varchar(16) not null, "lost_reason" text not null default '', "follow_up_on" varchar(10) null, "member_id" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "lead_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "lead_gym_id_stage_index" on "lead" ("gym_id", "stage");`);
    this.addSql(`create index "lead_gym_id_member_id_index" on "lead" ("gym_id", "member_id");`);
    this.addSql(
      `create table "lead_touch" ("id" uuid not null, "lead_id" uuid not null, "gym_id" uuid not null, "at" timestamptz not null, "actor_id" uuid null, "kind" varchar(16) not null, "note" text not null default '', constraint "lead_touch_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "lead_touch_lead_id_at_index" on "lead_touch" ("lead_id", "at");`);
    this.addSql(
      `create table "segment" ("id" uuid not null, "gym_id" uuid not null, "name" varchar(120) not null, "filter" jsonb not null, "created_by" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "segment_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "segment_gym_id_index" on "segment" ("gym_id");`);
    this.addSql(
      `create table "gym_trial_form" ("gym_id" uuid not null, "enabled" boolean not null default false, "embed_origins" jsonb not null, "plan_id" uuid null, "updated_at" timestamptz not null, constraint "gym_trial_form_pkey" primary key ("gym_id"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "lead" cascade;`);
    this.addSql(`drop table if exists "lead_touch" cascade;`);
    this.addSql(`drop table if exists "gym_trial_form" cascade;`);
    this.addSql(`drop table if exists "segment" cascade;`);
  }
}
