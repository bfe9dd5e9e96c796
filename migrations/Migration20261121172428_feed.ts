import { Migration } from "@mikro-orm/migrations";

export class Migration20261121172428_feed extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "feed_block" ("id" uuid not null, "blocker_id" uuid not null, "blocked_id" uuid not null, "created_at" timestamptz not null, constraint "feed_block_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "feed_block_blocked_id_index" on "feed_block" ("blocked_id");`);
    this.addSql(`alter table "feed_block" add constraint "feed_block_blocker_id_blocked_id_unique" unique ("blocker_id", "blocked_id");`);

    this.addSql(
      `create table "feed_comment" ("id" uuid not null, "gym_id" uuid not null, "event_id" uuid not null, "author_id" uuid not null, "body" varchar(500) not null, "at" timestamptz not null, constraint "feed_comment_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "feed_comment_event_id_at_index" on "feed_comment" ("event_id", "at");`);
    this.addSql(`create index "feed_comment_author_id_index" on "feed_comment" ("author_id");`);

    this.addSql(
      `create table "feed_event" ("id" uuid not null, "gym_id" uuid not null, "actor_id" uuid not null, "kind" varchar(32) not null, "visibility" varchar(16) not null, "payload" jsonb not null, "at" timestamptz not null, "dedupe_key" varchar(200) null, "created_at" timestamptz not null, constraint "feed_event_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "feed_event_page_index" on "feed_event" ("gym_id", "at", "id");`);
    this.addSql(`create index "feed_event_actor_id_index" on "feed_event" ("actor_id");`);
    this.addSql(`alter table "feed_event" add constraint "feed_event_gym_id_dedupe_key_unique" unique ("gym_id", "dedupe_key");`);

    this.addSql(
      `create table "feed_follow" ("id" uuid not null, "follower_id" uuid not null, "followee_id" uuid not null, "created_at" timestamptz not null, constraint "feed_follow_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "feed_follow_followee_id_index" on "feed_follow" ("followee_id");`);
    this.addSql(
      `alter table "feed_follow" add constraint "feed_follow_follower_id_followee_id_unique" unique ("follower_id", "followee_id");`,
    );

    this.addSql(
      `create table "feed_reaction" ("id" uuid not null, "event_id" uuid not null, "user_id" uuid not null, "kind" varchar(16) not null, "at" timestamptz not null, constraint "feed_reaction_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "feed_reaction_user_id_index" on "feed_reaction" ("user_id");`);
    this.addSql(
      `alter table "feed_reaction" add constraint "feed_reaction_event_id_user_id_kind_unique" unique ("event_id", "user_id", "kind");`,
    );

    this.addSql(
      `create table "feed_setting" ("user_id" uuid not null, "default_visibility" varchar(16) not null, "updated_at" timestamptz not null, constraint "feed_setting_pkey" primary key ("user_id"));`,
    );

    this.addSql(
      `create table "moderation_item" ("id" uuid not null, "gym_id" uuid not null, "reporter_id" uuid not null, "target_type" varchar(16) not null, "target_id" uuid not null, "author_id" uuid not null, "excerpt" varchar(500) not null, "reason" varchar(500) not null, "status" varchar(16) not null, "created_at" timestamptz not null, constraint "moderation_item_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "moderation_item_gym_id_status_created_at_index" on "moderation_item" ("gym_id", "status", "created_at");`);
    this.addSql(`create index "moderation_item_reporter_id_index" on "moderation_item" ("reporter_id");`);
    this.addSql(
      `alter table "moderation_item" add constraint "moderation_item_reporter_id_target_type_target_id_unique" unique ("reporter_id", "target_type", "target_id");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "feed_block" cascade;`);

    this.addSql(`drop table if exists "feed_comment" cascade;`);

    this.addSql(`drop table if exists "feed_event" cascade;`);

    this.addSql(`drop table if exists "feed_follow" cascade;`);

    this.addSql(`drop table if exists "feed_reaction" cascade;`);

    this.addSql(`drop table if exists "feed_setting" cascade;`);

    this.addSql(`drop table if exists "moderation_item" cascade;`);
  }
}
