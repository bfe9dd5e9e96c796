import { Migration } from "@mikro-orm/migrations";

/**
 * Audit chains per room: `chain` names the chain a row belongs to (a room id, or the gym id for the gym-level
 * chain, which every row written so far belongs to), `seq` is contiguous per chain, and `pos` orders a gym's
 * trail across its chains (a sequence: taking a number locks nothing until commit).
 */
export class Migration20261206043500_room_audit_chains extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create sequence "audit_log_pos_seq";`);
    this.addSql(`alter table "audit_log" add column "chain" varchar(80) null, add column "pos" bigint null;`);
    // The rows themselves are append-only; only this migration fills the new columns (the hashes stay valid:
    // gym-level rows hash without `chain`).
    this.addSql(`alter table "audit_log" disable trigger "audit_log_append_only";`);
    this.addSql(`update "audit_log" a set "chain" = a."gym_id"::text, "pos" = o.n
      from (select id, row_number() over (order by gym_id, seq) as n from "audit_log") o where o.id = a.id;`);
    this.addSql(`alter table "audit_log" enable trigger "audit_log_append_only";`);
    this.addSql(`select setval('audit_log_pos_seq', coalesce((select max(pos) from "audit_log"), 0) + 1, false);`);
    this.addSql(`alter table "audit_log" alter column "chain" set not null, alter column "pos" set not null;`);
    this.addSql(`alter sequence "audit_log_pos_seq" owned by "audit_log"."pos";`);
    this.addSql(`alter table "audit_log" drop constraint "audit_log_gym_id_seq_unique";`);
    this.addSql(`alter table "audit_log" add constraint "audit_log_chain_seq_unique" unique ("chain", "seq");`);
    this.addSql(`create index "audit_log_gym_id_pos_index" on "audit_log" ("gym_id", "pos");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "audit_log_gym_id_pos_index";`);
    this.addSql(`alter table "audit_log" drop constraint if exists "audit_log_chain_seq_unique";`);
    this.addSql(`alter table "audit_log" drop column if exists "pos", drop column if exists "chain";`);
    this.addSql(`alter table "audit_log" add constraint "audit_log_gym_id_seq_unique" unique ("gym_id", "seq");`);
  }
}
