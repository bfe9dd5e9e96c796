/**
 * Seals the TOTP seeds and OIDC client secrets still stored plain (rows from before encryption at rest, or written by
 * an older node during a rolling upgrade). Runs at every start-up: the key lives in the node, not in the migration.
 * Idempotent, and each row is changed only if it still holds the plain value read (compare-and-set).
 */
import type { MikroORM } from "@mikro-orm/core";
import { totpContext } from "./factorStore.js";
import { clientSecretContext } from "./factorSettingsStore.js";
import type { SecretBox } from "./secretBox.js";

export async function sealStoredSecrets(orm: MikroORM, box: SecretBox): Promise<{ totp: number; clientSecrets: number }> {
  const conn = orm.em.fork().getConnection();
  let totp = 0;
  let clientSecrets = 0;
  const seeds = await conn.execute<{ user_id: string; secret: string }[]>(
    `select user_id, secret from totp_factor where secret not like 'v1.%'`,
  );
  for (const r of seeds) {
    const userId = String(r.user_id);
    const done = await conn.execute(`update totp_factor set secret = ? where user_id = ? and secret = ? returning user_id`, [
      box.seal(r.secret, totpContext(userId)),
      userId,
      r.secret,
    ]);
    totp += done.length;
  }
  const secrets = await conn.execute<{ gym_id: string; client_secret: string }[]>(
    `select gym_id, client_secret from gym_identity_provider where client_secret is not null and client_secret not like 'v1.%'`,
  );
  for (const r of secrets) {
    const gymId = String(r.gym_id);
    const done = await conn.execute(
      `update gym_identity_provider set client_secret = ? where gym_id = ? and client_secret = ? returning gym_id`,
      [box.seal(r.client_secret, clientSecretContext(gymId)), gymId, r.client_secret],
    );
    clientSecrets += done.length;
  }
  return { totp, clientSecrets };
}
