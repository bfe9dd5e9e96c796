import { Migration } from "@mikro-orm/migrations";

/** Side effects of room commits (streaks, milestones, XP, challenges, boards), written in the commit and applied after it. */
export class Migration20261206043501_room_outbox extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "room_outbox" ("id" uuid not null, "gym_id" uuid not null, "room" varchar(80) not null, "payload" jsonb not null, "created_at" timestamptz not null, constraint "room_outbox_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "room_outbox_created_at_index" on "room_outbox" ("created_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "room_outbox" cascade;`);
  }
}
