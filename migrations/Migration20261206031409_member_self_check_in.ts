import { Migration } from "@mikro-orm/migrations";

export class Migration20261206031409_member_self_check_in extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "gym" add column "member_self_check_in" boolean not null default false;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "gym" drop column "member_self_check_in";`);
  }
}
