import { Migration } from "@mikro-orm/migrations";

export class Migration20261121180548_challenge_result_source extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "challenge_submission" add column "result_id" uuid null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "challenge_submission" drop column "result_id";`);
  }
}
