/**
 * PostgreSQL/PGlite adapters of the sign-in factors' credential ports (`app/signin/factorPorts.ts`):
 * passkeys, TOTP authenticators, password hashes and single-use challenges. Each call is one statement
 * on its own connection; the compare-and-set ones (counter, TOTP step, challenge take) are atomic in SQL.
 */
import type { MikroORM } from "@mikro-orm/core";
import type { ChallengeStore, PasskeyStore, PasswordStore, StoredPasskey, TotpRecord, TotpStore } from "../../app/signin/factorPorts.js";
import { SecretBox } from "./secretBox.js";

type Sql = <T = Record<string, unknown>>(query: string, params?: unknown[]) => Promise<T[]>;

export function sqlOf(orm: MikroORM): Sql {
  return <T>(query: string, params: unknown[] = []) => orm.em.getConnection().execute<T[]>(query, params);
}

const ms = (v: unknown): number => (v instanceof Date ? v.getTime() : new Date(v as string).getTime());
const msOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : ms(v));
const json = <T>(v: unknown): T => (typeof v === "string" ? (JSON.parse(v) as T) : (v as T));

function toPasskey(r: Record<string, unknown>): StoredPasskey {
  return {
    id: String(r.id),
    userId: String(r.user_id),
    publicKey: new Uint8Array(r.public_key as Buffer),
    counter: Number(r.counter),
    transports: json<string[]>(r.transports),
    deviceType: String(r.device_type),
    backedUp: Boolean(r.backed_up),
    name: String(r.name),
    createdAt: ms(r.created_at),
    lastUsedAt: msOrNull(r.last_used_at),
  };
}

export class SqlPasskeyStore implements PasskeyStore {
  private readonly sql: Sql;
  constructor(orm: MikroORM) {
    this.sql = sqlOf(orm);
  }

  async listByUser(userId: string): Promise<StoredPasskey[]> {
    return (await this.sql(`select * from passkey_credential where user_id = ? order by created_at, id`, [userId])).map(toPasskey);
  }

  async find(credentialId: string): Promise<StoredPasskey | null> {
    if (credentialId.length > 1024) return null;
    const [row] = await this.sql(`select * from passkey_credential where id = ?`, [credentialId]);
    return row ? toPasskey(row) : null;
  }

  async insert(p: StoredPasskey): Promise<boolean> {
    const rows = await this.sql(
      `insert into passkey_credential (id, user_id, public_key, counter, transports, device_type, backed_up, name, created_at, last_used_at)
       values (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?) on conflict (id) do nothing returning id`,
      [
        p.id,
        p.userId,
        Buffer.from(p.publicKey),
        p.counter,
        JSON.stringify(p.transports),
        p.deviceType,
        p.backedUp,
        p.name,
        new Date(p.createdAt),
        msOrNull(p.lastUsedAt) === null ? null : new Date(p.lastUsedAt!),
      ],
    );
    return rows.length === 1;
  }

  async recordUse(credentialId: string, counter: number, at: number): Promise<boolean> {
    // Authenticators without a counter (most synced passkeys) stay at 0; any other must move forward.
    const rows = await this.sql(
      `update passkey_credential set counter = ?, last_used_at = ? where id = ? and (counter < ? or (counter = 0 and ? = 0)) returning id`,
      [counter, new Date(at), credentialId, counter, counter],
    );
    return rows.length === 1;
  }

  async remove(userId: string, credentialId: string): Promise<boolean> {
    return (
      (await this.sql(`delete from passkey_credential where user_id = ? and id = ? returning id`, [userId, credentialId])).length === 1
    );
  }
}

/** The additional data a TOTP seed is sealed with: the seed opens only in its own row. */
export const totpContext = (userId: string) => `totp_factor:${userId}`;

/** TOTP seeds sealed at rest (AES-256-GCM); a plain seed from before encryption still opens until start-up seals it. */
export class SqlTotpStore implements TotpStore {
  private readonly sql: Sql;
  constructor(
    orm: MikroORM,
    private readonly box: SecretBox,
  ) {
    this.sql = sqlOf(orm);
  }

  async get(userId: string): Promise<TotpRecord | null> {
    const [r] = await this.sql(`select user_id, secret, confirmed_at, last_time_step from totp_factor where user_id = ?`, [userId]);
    if (!r) return null;
    const stored = String(r.secret);
    const secret = SecretBox.isSealed(stored) ? this.box.open(stored, totpContext(userId)) : stored;
    return {
      userId: String(r.user_id),
      secret,
      confirmedAt: msOrNull(r.confirmed_at),
      lastTimeStep: r.last_time_step === null ? null : Number(r.last_time_step),
    };
  }

  async putPending(userId: string, secret: string, at: number): Promise<boolean> {
    const rows = await this.sql(
      `insert into totp_factor (user_id, secret, confirmed_at, last_time_step, created_at) values (?, ?, null, null, ?)
       on conflict (user_id) do update set secret = excluded.secret, created_at = excluded.created_at, last_time_step = null
       where totp_factor.confirmed_at is null returning user_id`,
      [userId, this.box.seal(secret, totpContext(userId)), new Date(at)],
    );
    return rows.length === 1;
  }

  async acceptStep(userId: string, timeStep: number, at: number): Promise<boolean> {
    const rows = await this.sql(
      `update totp_factor set last_time_step = ?, confirmed_at = coalesce(confirmed_at, ?)
       where user_id = ? and (last_time_step is null or last_time_step < ?) returning user_id`,
      [timeStep, new Date(at), userId, timeStep],
    );
    return rows.length === 1;
  }

  async remove(userId: string): Promise<boolean> {
    return (await this.sql(`delete from totp_factor where user_id = ? returning user_id`, [userId])).length === 1;
  }
}

export class SqlPasswordStore implements PasswordStore {
  private readonly sql: Sql;
  constructor(orm: MikroORM) {
    this.sql = sqlOf(orm);
  }

  async hashOf(userId: string): Promise<string | null> {
    const [r] = await this.sql<{ hash: string }>(`select hash from password_credential where user_id = ?`, [userId]);
    return r?.hash ?? null;
  }

  async set(userId: string, hash: string, at: number): Promise<void> {
    await this.sql(
      `insert into password_credential (user_id, hash, updated_at) values (?, ?, ?)
       on conflict (user_id) do update set hash = excluded.hash, updated_at = excluded.updated_at`,
      [userId, hash, new Date(at)],
    );
  }

  async remove(userId: string): Promise<boolean> {
    return (await this.sql(`delete from password_credential where user_id = ? returning user_id`, [userId])).length === 1;
  }
}

export class SqlChallengeStore implements ChallengeStore {
  private readonly sql: Sql;
  constructor(orm: MikroORM) {
    this.sql = sqlOf(orm);
  }

  private puts = 0;

  async put(c: { id: string; purpose: string; userId: string | null; payload: Record<string, unknown>; expiresAt: number }): Promise<void> {
    // Abandoned ceremonies leave rows behind: every 100th new challenge clears the expired ones (indexed by expiry).
    if (++this.puts % 100 === 0) await this.sweep(Date.now());
    await this.sql(`insert into auth_challenge (id, purpose, user_id, payload, expires_at) values (?, ?, ?, ?::jsonb, ?)`, [
      c.id,
      c.purpose,
      c.userId,
      JSON.stringify(c.payload),
      new Date(c.expiresAt),
    ]);
  }

  async take(id: string, purpose: string, now: number): Promise<{ userId: string | null; payload: Record<string, unknown> } | null> {
    // Taken or expired, the row goes: a challenge is never answered twice.
    const [r] = await this.sql(`delete from auth_challenge where id = ? returning purpose, user_id, payload, expires_at`, [id]);
    if (!r || r.purpose !== purpose || ms(r.expires_at) <= now) return null;
    return { userId: r.user_id === null ? null : String(r.user_id), payload: json<Record<string, unknown>>(r.payload) };
  }

  /** Removes expired challenges (abandoned ceremonies); returns how many. */
  async sweep(now: number): Promise<number> {
    return (await this.sql(`delete from auth_challenge where expires_at <= ? returning id`, [new Date(now)])).length;
  }
}
