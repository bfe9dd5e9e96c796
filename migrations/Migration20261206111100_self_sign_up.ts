import { Migration } from "@mikro-orm/migrations";

/**
 * An owner may let members sign themselves up (an emailed link of their own); off unless turned on. A sign-up's
 * invitation keeps the policy versions the person accepted when asking, recorded as consents when they join.
 */
export class Migration20261206111100_self_sign_up extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "gym_factor_policy" add column "self_sign_up" boolean not null default false;`);
    this.addSql(`alter table "invitation" add column "consents" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "gym_factor_policy" drop column "self_sign_up";`);
    this.addSql(`alter table "invitation" drop column "consents";`);
  }
}
