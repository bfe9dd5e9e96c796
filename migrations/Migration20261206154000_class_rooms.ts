import { Migration } from "@mikro-orm/migrations";

/** Rooms named on classes (issue 18 "Locations and rooms"): a class or series may say which room of its location it is in. */
export class Migration20261206154000_class_rooms extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "class_session" add column "room_id" uuid null;`);
    this.addSql(`alter table "recurring_schedule" add column "room_id" uuid null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "class_session" drop column if exists "room_id";`);
    this.addSql(`alter table "recurring_schedule" drop column if exists "room_id";`);
  }
}
