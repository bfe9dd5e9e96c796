import { Migration } from "@mikro-orm/migrations";

export class Migration20261121154109_audit_chain extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "audit_head" ("gym_id" uuid not null, "seq" int not null, "hash" varchar(64) not null, constraint "audit_head_pkey" primary key ("gym_id"));`,
    );
    // The database itself keeps the audit trail append-only: no UPDATE, DELETE or TRUNCATE, whoever asks
    // (short of a superuser disabling triggers, which the hash chain then exposes).
    this.addSql(`create function audit_log_refuse_change() returns trigger language plpgsql as $fn$
begin
  raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end
$fn$;`);
    this.addSql(
      `create trigger audit_log_append_only before update or delete on "audit_log" for each row execute function audit_log_refuse_change();`,
    );
    this.addSql(
      `create trigger audit_log_no_truncate before truncate on "audit_log" for each statement execute function audit_log_refuse_change();`,
    );
    // The head only moves forward (a rewound head would let a rewritten tail pass as the whole chain).
    this.addSql(`create function audit_head_forward_only() returns trigger language plpgsql as $fn$
begin
  if tg_op = 'UPDATE' and new.gym_id = old.gym_id and new.seq >= old.seq then return new; end if;
  raise exception 'audit_head only moves forward: % refused', tg_op using errcode = 'insufficient_privilege';
end
$fn$;`);
    this.addSql(
      `create trigger audit_head_forward_only before update or delete on "audit_head" for each row execute function audit_head_forward_only();`,
    );
    this.addSql(
      `create trigger audit_head_no_truncate before truncate on "audit_head" for each statement execute function audit_head_forward_only();`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists audit_log_append_only on "audit_log";`);
    this.addSql(`drop trigger if exists audit_log_no_truncate on "audit_log";`);
    this.addSql(`drop table if exists "audit_head" cascade;`);
    this.addSql(`drop function if exists audit_log_refuse_change();`);
    this.addSql(`drop function if exists audit_head_forward_only();`);
  }
}
