import { Migration } from "@mikro-orm/migrations";

/**
 * TOTP seeds and OIDC client secrets are stored sealed (AES-256-GCM, `server/persistence/secretBox.ts`): a sealed
 * value is longer than the plain one, so the columns become text. The rows written before are sealed by the node at
 * start-up (`sealStoredSecrets`), which holds the key a migration does not.
 */
export class Migration20261206111000_secrets_at_rest extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "totp_factor" alter column "secret" type text;`);
    this.addSql(`alter table "gym_identity_provider" alter column "client_secret" type text;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "totp_factor" alter column "secret" type varchar(128);`);
    this.addSql(`alter table "gym_identity_provider" alter column "client_secret" type varchar(500);`);
  }
}
