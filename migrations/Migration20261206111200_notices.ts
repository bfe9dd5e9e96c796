import { Migration } from "@mikro-orm/migrations";

/** Notifications (issue 20): the stored inbox, its delivery record per target, devices' push subscriptions, preferences. */
export class Migration20261206111200_notices extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "notice" ("id" uuid not null, "user_id" uuid not null, "gym_id" uuid null, "kind" varchar(32) not null, "text" varchar(500) not null, "session_id" uuid null, "at" timestamptz not null, "read_at" timestamptz null, "delivery_due_at" timestamptz null, "delivery_attempts" int not null default 0, constraint "notice_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "notice_user_at_index" on "notice" ("user_id", "at");`);
    this.addSql(`create index "notice_delivery_due_index" on "notice" ("delivery_due_at");`);

    this.addSql(
      `create table "notice_delivery" ("notice_id" uuid not null, "target" varchar(64) not null, "gym_id" uuid null, "channel" varchar(16) not null, "status" varchar(16) not null, "attempts" int not null default 0, "last_error" varchar(500) null, "updated_at" timestamptz not null, constraint "notice_delivery_pkey" primary key ("notice_id", "target"));`,
    );
    this.addSql(`create index "notice_delivery_gym_index" on "notice_delivery" ("gym_id", "updated_at");`);

    this.addSql(
      `create table "push_subscription" ("id" uuid not null, "user_id" uuid not null, "session_id" uuid null, "endpoint" varchar(1000) not null, "p256dh" varchar(200) not null, "auth" varchar(100) not null, "created_at" timestamptz not null, constraint "push_subscription_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "push_subscription_user_id_index" on "push_subscription" ("user_id");`);
    this.addSql(`create index "push_subscription_session_id_index" on "push_subscription" ("session_id");`);
    this.addSql(`alter table "push_subscription" add constraint "push_subscription_endpoint_unique" unique ("endpoint");`);

    this.addSql(
      `create table "notice_preference" ("user_id" uuid not null, "kind" varchar(32) not null, "channel" varchar(16) not null, "enabled" boolean not null, constraint "notice_preference_pkey" primary key ("user_id", "kind", "channel"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "notice_preference" cascade;`);
    this.addSql(`drop table if exists "push_subscription" cascade;`);
    this.addSql(`drop table if exists "notice_delivery" cascade;`);
    this.addSql(`drop table if exists "notice" cascade;`);
  }
}
