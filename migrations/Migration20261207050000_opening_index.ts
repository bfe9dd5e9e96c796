import { Migration } from "@mikro-orm/migrations";

/**
 * The booking-window warm-up (issue 15, server/jobs/windowWarmJob.ts) looks ahead across every gym for scheduled
 * classes whose window opens soon, every 20 s on every node: it reads by start time, so scheduled sessions are
 * indexed by it (history and cancelled classes stay out of the index and out of the scan).
 */
export class Migration20261207050000_opening_index extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "class_session_scheduled_starts_at_index" on "class_session" ("starts_at") where "status" = 'scheduled';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "class_session_scheduled_starts_at_index";`);
  }
}
