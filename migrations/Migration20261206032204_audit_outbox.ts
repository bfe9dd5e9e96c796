import { Migration } from "@mikro-orm/migrations";

export class Migration20261206032204_audit_outbox extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "audit_outbox" ("id" uuid not null, "gym_id" uuid not null, "at" timestamptz not null, "actor_id" uuid not null, "action" varchar(64) not null, "entity_type" varchar(40) not null, "entity_id" varchar(64) null, "summary" jsonb not null, "command_id" varchar(64) null, constraint "audit_outbox_pkey" primary key ("id"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "audit_outbox" cascade;`);
  }
}
