import { Migration } from "@mikro-orm/migrations";

export class Migration20261121142928_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "attendance_event" ("id" uuid not null, "gym_id" uuid not null, "member_id" uuid not null, "session_id" uuid null, "at" timestamptz not null, constraint "attendance_event_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "attendance_event_gym_id_member_id_at_index" on "attendance_event" ("gym_id", "member_id", "at");`);
    this.addSql(`create index "attendance_event_gym_id_at_index" on "attendance_event" ("gym_id", "at");`);

    this.addSql(
      `create table "audit_log" ("id" uuid not null, "gym_id" uuid not null, "seq" int not null, "at" timestamptz not null, "actor_id" uuid null, "role" varchar(16) null, "action" varchar(64) not null, "entity_type" varchar(40) not null, "entity_id" varchar(64) null, "summary" jsonb not null, "command_id" varchar(64) null, "prev_hash" varchar(64) not null, "hash" varchar(64) not null, constraint "audit_log_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "audit_log" add constraint "audit_log_gym_id_seq_unique" unique ("gym_id", "seq");`);

    this.addSql(
      `create table "booking" ("id" uuid not null, "gym_id" uuid not null, "session_id" uuid not null, "member_id" uuid not null, "status" varchar(16) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "credit_used" boolean not null, "promoted_from_waitlist" boolean not null, constraint "booking_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "booking_session_id_index" on "booking" ("session_id");`);
    this.addSql(`create index "booking_gym_id_member_id_created_at_index" on "booking" ("gym_id", "member_id", "created_at");`);
    this.addSql(
      `create unique index "booking_one_live_per_member" on "booking" ("session_id", "member_id") where "status" in ('booked', 'checked_in');`,
    );

    this.addSql(
      `create table "check_in" ("id" uuid not null, "gym_id" uuid not null, "member_id" uuid null, "session_id" uuid null, "source" varchar(16) not null, "result" varchar(16) not null, "reason" varchar(40) null, "at" timestamptz not null, "by_user_id" uuid null, constraint "check_in_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "check_in_gym_id_at_index" on "check_in" ("gym_id", "at");`);
    this.addSql(`create index "check_in_session_id_index" on "check_in" ("session_id");`);
    this.addSql(`create index "check_in_member_id_index" on "check_in" ("member_id");`);

    this.addSql(
      `create table "class_session" ("id" uuid not null, "gym_id" uuid not null, "location_id" uuid not null, "class_type_id" uuid not null, "coach_id" uuid null, "schedule_id" uuid null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "capacity" int not null, "status" varchar(16) not null, "cancel_reason" text null, "promotion_mode" varchar(16) not null, "booking_opens_minutes" int not null, "booking_closes_minutes" int not null, "late_cancel_minutes" int not null, "auto_promote_cutoff_minutes" int not null, "check_in_opens_minutes" int not null, "check_in_closes_minutes" int not null, "waitlist_limit" int not null, "offer_claim_minutes" int not null, constraint "class_session_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "class_session_gym_id_starts_at_index" on "class_session" ("gym_id", "starts_at");`);
    this.addSql(`create index "class_session_schedule_id_index" on "class_session" ("schedule_id");`);

    this.addSql(
      `create table "class_type" ("id" uuid not null, "gym_id" uuid not null, "name" varchar(200) not null, "description" text not null default '', "color" varchar(16) not null, "promotion_mode" varchar(16) null, constraint "class_type_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "class_type_gym_id_index" on "class_type" ("gym_id");`);

    this.addSql(
      `create table "fee" ("id" uuid not null, "gym_id" uuid not null, "member_id" uuid not null, "session_id" uuid not null, "booking_id" uuid not null, "kind" varchar(16) not null, "amount_cents" int not null, "currency" varchar(3) not null, "created_at" timestamptz not null, "waived" boolean not null default false, constraint "fee_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "fee_gym_id_created_at_index" on "fee" ("gym_id", "created_at");`);
    this.addSql(`create index "fee_member_id_index" on "fee" ("member_id");`);

    this.addSql(
      `create table "gym" ("id" uuid not null, "name" varchar(200) not null, "time_zone" varchar(64) not null, "policy" jsonb not null, constraint "gym_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "gym_membership" ("id" uuid not null, "gym_id" uuid not null, "user_id" uuid not null, "role" varchar(16) not null, "status" varchar(16) not null, "plan_id" uuid null, "credits" int null, "credits_expire_at" timestamptz null, "notes" text not null default '', "joined_at" timestamptz not null, constraint "gym_membership_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "gym_membership_user_id_index" on "gym_membership" ("user_id");`);
    this.addSql(`alter table "gym_membership" add constraint "gym_membership_gym_id_user_id_unique" unique ("gym_id", "user_id");`);

    this.addSql(
      `create table "location" ("id" uuid not null, "gym_id" uuid not null, "name" varchar(200) not null, constraint "location_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "location_gym_id_index" on "location" ("gym_id");`);

    this.addSql(
      `create table "membership_plan" ("id" uuid not null, "gym_id" uuid not null, "name" varchar(200) not null, "entitlement" jsonb not null, "weekly_target" int not null, "price_cents" int not null, constraint "membership_plan_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "membership_plan_gym_id_index" on "membership_plan" ("gym_id");`);

    this.addSql(
      `create table "processed_command" ("room" varchar(80) not null, "user_id" uuid not null, "command_id" varchar(64) not null, "gym_id" uuid null, "type" varchar(64) not null, "response" jsonb not null, "created_at" timestamptz not null, constraint "processed_command_pkey" primary key ("room", "user_id", "command_id"));`,
    );
    this.addSql(`create index "processed_command_room_created_at_index" on "processed_command" ("room", "created_at");`);

    this.addSql(
      `create table "recurring_schedule" ("id" uuid not null, "gym_id" uuid not null, "location_id" uuid not null, "class_type_id" uuid not null, "coach_id" uuid null, "weekdays" jsonb not null, "start_time" varchar(5) not null, "duration_minutes" int not null, "capacity" int not null, "start_date" varchar(10) not null, "end_date" varchar(10) not null, "exceptions" jsonb not null, constraint "recurring_schedule_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "recurring_schedule_gym_id_index" on "recurring_schedule" ("gym_id");`);

    this.addSql(
      `create table "room_fence" ("room_id" varchar(80) not null, "fence" bigint not null, "owner_node" varchar(64) not null, "updated_at" timestamptz not null, constraint "room_fence_pkey" primary key ("room_id"));`,
    );

    this.addSql(
      `create table "app_user" ("id" uuid not null, "email" varchar(320) not null, "name" varchar(200) not null, "phone" varchar(40) null, "visible" boolean not null default true, constraint "app_user_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "app_user" add constraint "app_user_email_unique" unique ("email");`);

    this.addSql(
      `create table "waitlist_entry" ("id" uuid not null, "gym_id" uuid not null, "session_id" uuid not null, "member_id" uuid not null, "position" int not null, "status" varchar(16) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "offer_expires_at" timestamptz null, "reason" text null, constraint "waitlist_entry_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "waitlist_entry_session_id_index" on "waitlist_entry" ("session_id");`);
    this.addSql(`create index "waitlist_entry_gym_id_member_id_index" on "waitlist_entry" ("gym_id", "member_id");`);
    this.addSql(
      `create unique index "waitlist_one_active_per_member" on "waitlist_entry" ("session_id", "member_id") where "status" in ('waiting', 'offered');`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "attendance_event" cascade;`);

    this.addSql(`drop table if exists "audit_log" cascade;`);

    this.addSql(`drop table if exists "booking" cascade;`);

    this.addSql(`drop table if exists "check_in" cascade;`);

    this.addSql(`drop table if exists "class_session" cascade;`);

    this.addSql(`drop table if exists "class_type" cascade;`);

    this.addSql(`drop table if exists "fee" cascade;`);

    this.addSql(`drop table if exists "gym" cascade;`);

    this.addSql(`drop table if exists "gym_membership" cascade;`);

    this.addSql(`drop table if exists "location" cascade;`);

    this.addSql(`drop table if exists "membership_plan" cascade;`);

    this.addSql(`drop table if exists "processed_command" cascade;`);

    this.addSql(`drop table if exists "recurring_schedule" cascade;`);

    this.addSql(`drop table if exists "room_fence" cascade;`);

    this.addSql(`drop table if exists "app_user" cascade;`);

    this.addSql(`drop table if exists "waitlist_entry" cascade;`);
  }
}
