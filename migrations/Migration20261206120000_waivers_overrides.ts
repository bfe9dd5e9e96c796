import { Migration } from "@mikro-orm/migrations";

/**
 * Waivers as evidence (docs/domain.md "Policies and waivers"): published versions and members' signatures, both
 * insert-only — the database refuses to change or delete a row. Check-ins record a staff override's reason.
 */
export class Migration20261206120000_waivers_overrides extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "waiver_document" (
      "id" uuid not null, "gym_id" uuid not null, "version" varchar(40) not null, "title" varchar(200) not null,
      "text" text not null, "text_hash" varchar(64) not null, "effective_on" varchar(10) not null, "effective_at" timestamptz not null,
      "published_by" uuid not null, "published_at" timestamptz not null,
      constraint "waiver_document_pkey" primary key ("id"));`);
    this.addSql(`alter table "waiver_document" add constraint "waiver_document_gym_id_version_unique" unique ("gym_id", "version");`);
    this.addSql(`create table "waiver_signature" (
      "id" uuid not null, "gym_id" uuid not null, "document_id" uuid not null,
      "member_id" uuid not null, "version" varchar(40) not null, "text_hash" varchar(64) not null, "typed_name" varchar(200) not null,
      "signed_at" timestamptz not null, "ip" varchar(64) not null, "user_agent" varchar(400) not null,
      constraint "waiver_signature_pkey" primary key ("id"));`);
    this.addSql(
      `alter table "waiver_signature" add constraint "waiver_signature_document_id_member_id_unique" unique ("document_id", "member_id");`,
    );
    this.addSql(`create index "waiver_signature_gym_id_member_id_index" on "waiver_signature" ("gym_id", "member_id");`);
    this.addSql(`create function waiver_refuse_change() returns trigger language plpgsql as $fn$
begin
  raise exception '% is evidence and insert-only: % refused', tg_table_name, tg_op using errcode = 'insufficient_privilege';
end $fn$;`);
    this.addSql(
      `create trigger waiver_document_insert_only before update or delete on "waiver_document" for each row execute function waiver_refuse_change();`,
    );
    this.addSql(
      `create trigger waiver_signature_insert_only before update or delete on "waiver_signature" for each row execute function waiver_refuse_change();`,
    );
    this.addSql(`alter table "check_in" add column "override_reason" varchar(300) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "check_in" drop column "override_reason";`);
    this.addSql(`drop table if exists "waiver_signature";`);
    this.addSql(`drop table if exists "waiver_document";`);
    this.addSql(`drop function if exists waiver_refuse_change();`);
  }
}
