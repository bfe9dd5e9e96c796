import { Migration } from "@mikro-orm/migrations";

/**
 * Policies (docs/domain.md "Policies"): a gym keeps more than one document (the liability waiver, house rules…), each
 * with its own versions, and each version says where a missing acceptance refuses. Existing versions keep their
 * meaning: they are the liability waiver (`document` = 'waiver') and follow the gym's default (`required` null).
 * The table stays insert-only (its trigger refuses updates and deletes of rows; adding columns changes no row).
 */
export class Migration20261206183000_policy_documents extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "waiver_document" add column "document" varchar(40) not null default 'waiver';`);
    // Its values ('off', 'check_in', 'booking') are checked by the publishing command's schema, like every other column.
    this.addSql(`alter table "waiver_document" add column "required" varchar(10) null;`);
    this.addSql(`create index "waiver_document_gym_id_document_index" on "waiver_document" ("gym_id", "document");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "waiver_document_gym_id_document_index";`);
    this.addSql(`alter table "waiver_document" drop column "required", drop column "document";`);
  }
}
