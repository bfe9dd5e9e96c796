/**
 * An owner's sign-in settings for their gym — passwords on/off, second factor required of staff, the identity
 * provider — written together with their row in the gym's audit chain (one transaction). Client secrets never
 * reach the audit row.
 */
import { randomUUID } from "node:crypto";
import type { MikroORM } from "@mikro-orm/core";
import type { FactorPolicy, GymSignInSettings, IdentityProviderConfig } from "../../app/signin/factorPorts.js";
import { appendAudit } from "../audit/auditWriter.js";
import { clientSecretContext } from "./factorSettingsStore.js";
import type { SecretBox } from "./secretBox.js";

export async function saveGymFactorPolicy(
  orm: MikroORM,
  gymId: string,
  actorId: string,
  policy: FactorPolicy,
  now: number,
): Promise<{ before: FactorPolicy; after: FactorPolicy }> {
  return orm.em.fork().transactional(async (tx) => {
    const conn = tx.getConnection();
    const trx = tx.getTransactionContext();
    const [row] = await conn.execute<{ passwords_allowed: boolean; staff_second_factor: boolean; self_sign_up: boolean }[]>(
      `select passwords_allowed, staff_second_factor, self_sign_up from gym_factor_policy where gym_id = ? for update`,
      [gymId],
      "all",
      trx,
    );
    const before = {
      passwordsAllowed: row?.passwords_allowed ?? false,
      staffSecondFactor: row?.staff_second_factor ?? false,
      selfSignUp: row?.self_sign_up ?? false,
    };
    // A change without `selfSignUp` keeps it (older screens and scripts send only the first two).
    const after = {
      passwordsAllowed: policy.passwordsAllowed,
      staffSecondFactor: policy.staffSecondFactor,
      selfSignUp: policy.selfSignUp ?? before.selfSignUp,
    };
    await conn.execute(
      `insert into gym_factor_policy (gym_id, passwords_allowed, staff_second_factor, self_sign_up, updated_at) values (?, ?, ?, ?, ?)
       on conflict (gym_id) do update set passwords_allowed = excluded.passwords_allowed, staff_second_factor = excluded.staff_second_factor,
         self_sign_up = excluded.self_sign_up, updated_at = excluded.updated_at`,
      [gymId, after.passwordsAllowed, after.staffSecondFactor, after.selfSignUp, new Date(now)],
      "run",
      trx,
    );
    await appendAudit(tx, gymId, [
      {
        id: randomUUID(),
        at: now,
        actorId,
        role: null,
        action: "gym:setSignInPolicy",
        entityType: "gym",
        entityId: gymId,
        summary: { before, after },
        commandId: null,
      },
    ]);
    return { before, after };
  });
}

/** Sets (config) or removes (null) the gym's identity provider, the secret sealed; audited with issuer and client id, never the secret. */
export async function saveGymIdentityProvider(
  orm: MikroORM,
  box: SecretBox,
  gymId: string,
  actorId: string,
  config: Omit<IdentityProviderConfig, "gymId"> | null,
  now: number,
): Promise<void> {
  await orm.em.fork().transactional(async (tx) => {
    const conn = tx.getConnection();
    const trx = tx.getTransactionContext();
    const [row] = await conn.execute<{ issuer: string; client_id: string }[]>(
      `select issuer, client_id from gym_identity_provider where gym_id = ? for update`,
      [gymId],
      "all",
      trx,
    );
    const before = row ? { issuer: row.issuer, clientId: row.client_id } : null;
    if (config)
      await conn.execute(
        `insert into gym_identity_provider (gym_id, issuer, client_id, client_secret, display_name) values (?, ?, ?, ?, ?)
         on conflict (gym_id) do update set issuer = excluded.issuer, client_id = excluded.client_id, client_secret = excluded.client_secret, display_name = excluded.display_name`,
        [
          gymId,
          config.issuer,
          config.clientId,
          config.clientSecret === null ? null : box.seal(config.clientSecret, clientSecretContext(gymId)),
          config.displayName,
        ],
        "run",
        trx,
      );
    else await conn.execute(`delete from gym_identity_provider where gym_id = ?`, [gymId], "run", trx);
    const after = config ? { issuer: config.issuer, clientId: config.clientId, displayName: config.displayName } : null;
    await appendAudit(tx, gymId, [
      {
        id: randomUUID(),
        at: now,
        actorId,
        role: null,
        action: "gym:setIdentityProvider",
        entityType: "gym",
        entityId: gymId,
        summary: { before, after },
        commandId: null,
      },
    ]);
  });
}

/** {@link GymSignInSettings} over PostgreSQL (provider secrets sealed with `box`). */
export function gymSignInSettings(orm: MikroORM, box: SecretBox): GymSignInSettings {
  const sql = <T>(query: string, params: unknown[] = []) => orm.em.fork().getConnection().execute<T[]>(query, params);
  return {
    onlyGym: async () => {
      const gyms = await sql<{ id: string }>(`select id from gym limit 2`);
      return gyms.length === 1 ? String(gyms[0]!.id) : null;
    },
    membership: async (gymId, userId) =>
      (
        await sql<{ role: string; status: string }>(`select role, status from gym_membership where gym_id = ? and user_id = ?`, [
          gymId,
          userId,
        ])
      )[0] ?? null,
    savePolicy: (gymId, actorId, policy, now) => saveGymFactorPolicy(orm, gymId, actorId, policy, now),
    saveProvider: (gymId, actorId, config, now) => saveGymIdentityProvider(orm, box, gymId, actorId, config, now),
  };
}
