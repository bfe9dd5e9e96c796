import { Migration } from "@mikro-orm/migrations";

export class Migration20261206044000_token_revocation extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "token_revocation" ("user_id" uuid not null, "valid_after" timestamptz not null, constraint "token_revocation_pkey" primary key ("user_id"));`,
    );
    this.addSql(`create index "token_revocation_valid_after_index" on "token_revocation" ("valid_after");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "token_revocation" cascade;`);
  }
}
