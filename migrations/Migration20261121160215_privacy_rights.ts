import { Migration } from "@mikro-orm/migrations";

export class Migration20261121160215_privacy_rights extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "consent" ("id" uuid not null, "user_id" uuid not null, "kind" varchar(16) not null, "version" varchar(40) not null, "accepted_at" timestamptz not null, constraint "consent_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "consent_user_id_kind_index" on "consent" ("user_id", "kind");`);

    this.addSql(
      `create table "deletion_request" ("id" uuid not null, "user_id" uuid not null, "requested_at" timestamptz not null, "approved_at" timestamptz null, "approved_by" uuid null, "approved_gym_id" uuid null, constraint "deletion_request_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "deletion_request" add constraint "deletion_request_user_id_unique" unique ("user_id");`);

    this.addSql(
      `create table "legal_hold" ("id" uuid not null, "gym_id" uuid not null, "user_id" uuid not null, "active" boolean not null, "reason" varchar(500) not null, "set_by" uuid not null, "set_at" timestamptz not null, constraint "legal_hold_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "legal_hold_user_id_index" on "legal_hold" ("user_id");`);
    this.addSql(`alter table "legal_hold" add constraint "legal_hold_gym_id_user_id_unique" unique ("gym_id", "user_id");`);
    // Consents are evidence: insert-only, enforced by the database like the audit log.
    this.addSql(`create function consent_refuse_change() returns trigger language plpgsql as $fn$
begin
  raise exception 'consent is insert-only: % refused', tg_op using errcode = 'insufficient_privilege';
end
$fn$;`);
    this.addSql(
      `create trigger consent_insert_only before update or delete on "consent" for each row execute function consent_refuse_change();`,
    );
    this.addSql(
      `create trigger consent_no_truncate before truncate on "consent" for each statement execute function consent_refuse_change();`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists consent_insert_only on "consent";`);
    this.addSql(`drop trigger if exists consent_no_truncate on "consent";`);
    this.addSql(`drop table if exists "consent" cascade;`);

    this.addSql(`drop table if exists "deletion_request" cascade;`);

    this.addSql(`drop table if exists "legal_hold" cascade;`);
    this.addSql(`drop function if exists consent_refuse_change();`);
  }
}
