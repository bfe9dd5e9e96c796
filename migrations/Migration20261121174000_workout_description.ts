import { Migration } from "@mikro-orm/migrations";

export class Migration20261121174000_workout_description extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "class_workout" add column "description" text not null default '';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "class_workout" drop column "description";`);
  }
}
