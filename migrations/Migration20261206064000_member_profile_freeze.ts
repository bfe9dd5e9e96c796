import { Migration } from "@mikro-orm/migrations";

/** Members as the front office keeps them: birthday, emergency contact, tags, and a freeze's end and reason. */
export class Migration20261206064000_member_profile_freeze extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "gym_membership" add column "frozen_until" varchar(10) null, add column "freeze_reason" text not null default '', add column "tags" jsonb null;`,
    );
    this.addSql(
      `alter table "app_user" add column "birthday" varchar(10) null, add column "emergency_contact" varchar(200) not null default '';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "gym_membership" drop column "frozen_until", drop column "freeze_reason", drop column "tags";`);
    this.addSql(`alter table "app_user" drop column "birthday", drop column "emergency_contact";`);
  }
}
