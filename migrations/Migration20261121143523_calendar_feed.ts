import { Migration } from "@mikro-orm/migrations";

export class Migration20261121143523_calendar_feed extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "calendar_feed" ("user_id" uuid not null, "token" varchar(64) not null, "created_at" timestamptz not null, constraint "calendar_feed_pkey" primary key ("user_id"));`,
    );
    this.addSql(`alter table "calendar_feed" add constraint "calendar_feed_token_unique" unique ("token");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "calendar_feed" cascade;`);
  }
}
