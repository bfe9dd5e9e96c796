/**
 * PostgreSQL/PGlite adapters of the sign-in factors' account, policy, identity-provider and security-log ports.
 */
import { randomUUID } from "node:crypto";
import type { MikroORM } from "@mikro-orm/core";
import type {
  AccountLookup,
  AccountView,
  FactorAudit,
  FactorEvent,
  FactorPolicy,
  IdentityProviderConfig,
  IdentityProviderStore,
  OidcIdentityStore,
  PolicyStore,
} from "../../app/signin/factorPorts.js";
import { sqlOf } from "./factorStore.js";
import { SecretBox } from "./secretBox.js";

/** The additional data a client secret is sealed with: it opens only in its own gym's row. */
export const clientSecretContext = (gymId: string) => `gym_identity_provider:${gymId}`;

type Sql = ReturnType<typeof sqlOf>;

export class SqlAccountLookup implements AccountLookup {
  private readonly sql: Sql;
  constructor(orm: MikroORM) {
    this.sql = sqlOf(orm);
  }

  async byId(userId: string): Promise<AccountView | null> {
    const [r] = await this.sql<AccountView>(`select id, email, name from app_user where id = ?`, [userId]);
    return r ? { id: String(r.id), email: r.email, name: r.name } : null;
  }

  async byEmail(email: string): Promise<AccountView | null> {
    if (email.length > 320) return null;
    const [r] = await this.sql<AccountView>(`select id, email, name from app_user where lower(email) = ?`, [email.trim().toLowerCase()]);
    return r ? { id: String(r.id), email: r.email, name: r.name } : null;
  }

  async activeRole(gymId: string, userId: string): Promise<string | null> {
    const [r] = await this.sql<{ role: string }>(`select role from gym_membership where gym_id = ? and user_id = ? and status = 'active'`, [
      gymId,
      userId,
    ]);
    return r?.role ?? null;
  }
}

export class SqlPolicyStore implements PolicyStore {
  private readonly sql: Sql;
  constructor(orm: MikroORM) {
    this.sql = sqlOf(orm);
  }

  async get(gymId: string): Promise<FactorPolicy> {
    const [r] = await this.sql<{ passwords_allowed: boolean; staff_second_factor: boolean; self_sign_up: boolean }>(
      `select passwords_allowed, staff_second_factor, self_sign_up from gym_factor_policy where gym_id = ?`,
      [gymId],
    );
    return {
      passwordsAllowed: r?.passwords_allowed ?? false,
      staffSecondFactor: r?.staff_second_factor ?? false,
      selfSignUp: r?.self_sign_up ?? false,
    };
  }

  async staffSecondFactorRequired(userId: string): Promise<boolean> {
    const rows = await this.sql(
      `select 1 from gym_membership m join gym_factor_policy p on p.gym_id = m.gym_id
       where m.user_id = ? and m.status = 'active' and m.role <> 'member' and p.staff_second_factor limit 1`,
      [userId],
    );
    return rows.length > 0;
  }

  async set(gymId: string, policy: FactorPolicy, at: number): Promise<void> {
    await this.sql(
      `insert into gym_factor_policy (gym_id, passwords_allowed, staff_second_factor, self_sign_up, updated_at) values (?, ?, ?, coalesce(?, false), ?)
       on conflict (gym_id) do update set passwords_allowed = excluded.passwords_allowed, staff_second_factor = excluded.staff_second_factor,
         self_sign_up = coalesce(?, gym_factor_policy.self_sign_up), updated_at = excluded.updated_at`,
      [gymId, policy.passwordsAllowed, policy.staffSecondFactor, policy.selfSignUp ?? null, new Date(at), policy.selfSignUp ?? null],
    );
  }
}

/** Client secrets sealed at rest (AES-256-GCM); a plain one from before encryption still opens until start-up seals it. */
export class SqlIdentityProviderStore implements IdentityProviderStore {
  private readonly sql: Sql;
  constructor(
    orm: MikroORM,
    private readonly box: SecretBox,
  ) {
    this.sql = sqlOf(orm);
  }

  async get(gymId: string): Promise<IdentityProviderConfig | null> {
    const [r] = await this.sql<{ gym_id: string; issuer: string; client_id: string; client_secret: string | null; display_name: string }>(
      `select gym_id, issuer, client_id, client_secret, display_name from gym_identity_provider where gym_id = ?`,
      [gymId],
    );
    if (!r) return null;
    const stored = r.client_secret;
    const clientSecret = stored === null ? null : SecretBox.isSealed(stored) ? this.box.open(stored, clientSecretContext(gymId)) : stored;
    return { gymId: String(r.gym_id), issuer: r.issuer, clientId: r.client_id, clientSecret, displayName: r.display_name };
  }

  async set(c: IdentityProviderConfig): Promise<void> {
    await this.sql(
      `insert into gym_identity_provider (gym_id, issuer, client_id, client_secret, display_name) values (?, ?, ?, ?, ?)
       on conflict (gym_id) do update set issuer = excluded.issuer, client_id = excluded.client_id, client_secret = excluded.client_secret, display_name = excluded.display_name`,
      [
        c.gymId,
        c.issuer,
        c.clientId,
        c.clientSecret === null ? null : this.box.seal(c.clientSecret, clientSecretContext(c.gymId)),
        c.displayName,
      ],
    );
  }

  async remove(gymId: string): Promise<boolean> {
    return (await this.sql(`delete from gym_identity_provider where gym_id = ? returning gym_id`, [gymId])).length === 1;
  }
}

export class SqlOidcIdentityStore implements OidcIdentityStore {
  private readonly sql: Sql;
  constructor(orm: MikroORM) {
    this.sql = sqlOf(orm);
  }

  async find(issuer: string, subject: string): Promise<string | null> {
    const [r] = await this.sql<{ user_id: string }>(`select user_id from oidc_identity where issuer = ? and subject = ?`, [
      issuer,
      subject,
    ]);
    return r ? String(r.user_id) : null;
  }

  async link(issuer: string, subject: string, userId: string, at: number): Promise<boolean> {
    const rows = await this.sql(
      `insert into oidc_identity (issuer, subject, user_id, created_at) values (?, ?, ?, ?) on conflict do nothing returning user_id`,
      [issuer, subject, userId, new Date(at)],
    );
    return rows.length === 1;
  }
}

/**
 * Factor changes and failed factor checks go to the sign-in log (`auth_event`, append-only): `event` is the action
 * (`passkey:added`, `totp:failed` …), the gym and the summary go into `detail`. Never a secret, code or password.
 */
export class AuthEventFactorAudit implements FactorAudit {
  private readonly sql: Sql;
  constructor(orm: MikroORM) {
    this.sql = sqlOf(orm);
  }

  async record(e: FactorEvent): Promise<void> {
    await this.sql(`insert into auth_event (id, at, event, user_id, ip, detail) values (?, ?, ?, ?, ?, ?::jsonb)`, [
      randomUUID(),
      new Date(e.at),
      e.action.slice(0, 32),
      e.userId,
      e.ip?.slice(0, 64) ?? "",
      JSON.stringify({ ...e.summary, ...(e.gymId ? { gymId: e.gymId } : {}) }),
    ]);
  }

  /** The user's latest events, newest first (the profile's security log, tests). */
  async ofUser(userId: string, limit = 50): Promise<FactorEvent[]> {
    const rows = await this.sql<{ at: Date; user_id: string; event: string; ip: string; detail: unknown }>(
      `select at, user_id, event, ip, detail from auth_event where user_id = ? order by at desc, id limit ?`,
      [userId, limit],
    );
    return rows.map((r) => {
      const { gymId, ...summary } = (typeof r.detail === "string" ? JSON.parse(r.detail) : r.detail) as Record<string, unknown>;
      return {
        at: new Date(r.at).getTime(),
        userId: String(r.user_id),
        gymId: typeof gymId === "string" ? gymId : null,
        action: r.event,
        ip: r.ip || null,
        summary,
      };
    });
  }
}
