import { Migration } from "@mikro-orm/migrations";

/**
 * Member photos for the desk (issue 18): one per member per gym, replaced on upload, bounded in size by the upload
 * route (and by a check here), with the content type it was checked to be.
 */
export class Migration20261206134000_member_photos extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "member_photo" (
      "gym_id" uuid not null, "member_id" uuid not null, "content_type" varchar(16) not null, "bytes" bytea not null,
      "updated_at" timestamptz not null, "updated_by" uuid not null,
      constraint "member_photo_pkey" primary key ("gym_id", "member_id"),
      constraint "member_photo_size" check (octet_length("bytes") <= 524288),
      constraint "member_photo_type" check ("content_type" ~ '^image/(jpeg|png|webp)$'));`);
    // Waiver reminders: when each member was last reminded of a version (at most once a day).
    this
      .addSql(`create table "waiver_reminder" ("gym_id" uuid not null, "document_id" uuid not null, "member_id" uuid not null, "reminded_at" timestamptz not null,
      constraint "waiver_reminder_pkey" primary key ("document_id", "member_id"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "waiver_reminder";`);
    this.addSql(`drop table if exists "member_photo";`);
  }
}
