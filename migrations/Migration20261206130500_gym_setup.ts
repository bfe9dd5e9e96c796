import { Migration } from "@mikro-orm/migrations";

/**
 * Setting a gym up (docs/domain.md "Setting up a gym"): the gym's locale and opening hours and whether its first owner
 * still has the set-up wizard ahead (true only for gyms `npm run gym:create` makes); locations get an address and,
 * like class types, an archived flag (never deleted: classes and bookings point at them); rooms inside a location.
 */
export class Migration20261206130500_gym_setup extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "gym" add column "locale" varchar(35) not null default 'en', add column "opening_hours" jsonb null, add column "needs_setup" boolean not null default false;`,
    );
    this.addSql(
      `alter table "location" add column "address" varchar(300) not null default '', add column "archived" boolean not null default false;`,
    );
    this.addSql(`alter table "class_type" add column "archived" boolean not null default false;`);
    this.addSql(
      `create table "location_room" ("id" uuid not null, "gym_id" uuid not null, "location_id" uuid not null, "name" varchar(120) not null, "archived" boolean not null default false, constraint "location_room_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "location_room_location_id_index" on "location_room" ("location_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "location_room";`);
    this.addSql(`alter table "class_type" drop column "archived";`);
    this.addSql(`alter table "location" drop column "address", drop column "archived";`);
    this.addSql(`alter table "gym" drop column "locale", drop column "opening_hours", drop column "needs_setup";`);
  }
}
