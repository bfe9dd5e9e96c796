import { Migration } from "@mikro-orm/migrations";

export class Migration20261121173524_progress_active_day extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "member_progress" add column "last_active_day" varchar(10) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "member_progress" drop column "last_active_day";`);
  }
}
