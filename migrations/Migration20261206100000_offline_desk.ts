import { Migration } from "@mikro-orm/migrations";

/** Check-ins an offline desk sent late: the desk's clock and the server's receipt (issue 21). */
export class Migration20261206100000_offline_desk extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "check_in" add column "device_at" timestamptz null, add column "received_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "check_in" drop column "device_at", drop column "received_at";`);
  }
}
