import type { MikroORM } from "@mikro-orm/core";
import type { Accounts, LoginRequestRecord, LoginRequests } from "../../app/signin/ports.js";

type Row = Record<string, unknown>;
const ms = (v: unknown): number => (v instanceof Date ? v.getTime() : new Date(v as string).getTime());

const toRecord = (r: Row): LoginRequestRecord => ({
  id: String(r.id),
  email: String(r.email),
  userId: r.user_id === null ? null : String(r.user_id),
  codeHash: String(r.code_hash),
  linkHash: String(r.link_hash),
  browserHash: String(r.browser_hash),
  app: r.app === "staff" ? "staff" : "member",
  ip: String(r.ip ?? ""),
  createdAt: ms(r.created_at),
  expiresAt: ms(r.expires_at),
  usedAt: r.used_at === null || r.used_at === undefined ? null : ms(r.used_at),
  attempts: Number(r.attempts),
});

/** Email sign-in requests in `login_request`. */
export class PgLoginRequests implements LoginRequests {
  constructor(private readonly orm: MikroORM) {}

  private sql(query: string, params: unknown[]): Promise<Row[]> {
    return this.orm.em.getConnection().execute<Row[]>(query, params);
  }

  async create(r: LoginRequestRecord): Promise<void> {
    await this.sql(
      `insert into login_request (id, email, user_id, code_hash, link_hash, browser_hash, app, ip, created_at, expires_at, attempts) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
      [
        r.id,
        r.email,
        r.userId,
        r.codeHash,
        r.linkHash,
        r.browserHash,
        r.app,
        r.ip.slice(0, 64),
        new Date(r.createdAt),
        new Date(r.expiresAt),
      ],
    );
  }

  async byLink(linkHash: string): Promise<LoginRequestRecord | null> {
    const [row] = await this.sql(`select * from login_request where link_hash = ?`, [linkHash]);
    return row ? toRecord(row) : null;
  }

  async live(email: string, browserHash: string, now: number): Promise<LoginRequestRecord[]> {
    const rows = await this.sql(
      `select * from login_request where email = ? and browser_hash = ? and used_at is null and expires_at > ? order by created_at desc limit 10`,
      [email, browserHash, new Date(now)],
    );
    return rows.map(toRecord);
  }

  async consume(id: string, now: number): Promise<boolean> {
    const rows = await this.sql(`update login_request set used_at = ? where id = ? and used_at is null returning id`, [new Date(now), id]);
    return rows.length === 1;
  }

  async countAttempt(ids: readonly string[]): Promise<void> {
    if (ids.length)
      await this.sql(`update login_request set attempts = attempts + 1 where id in (${ids.map(() => "?").join(",")})`, [...ids]);
  }
}

/** Accounts by email (case-insensitive), with the gym whose name the sign-in mail carries (their first active one). */
export class PgAccounts implements Accounts {
  constructor(private readonly orm: MikroORM) {}

  async findByEmail(email: string): Promise<{ userId: string; gymId: string | null; gymName: string | null } | null> {
    const [row] = await this.orm.em.getConnection().execute<Row[]>(
      `select u.id, g.id as gym_id, g.name as gym_name from app_user u
       left join lateral (select m.gym_id from gym_membership m where m.user_id = u.id and m.status = 'active' order by m.joined_at limit 1) m on true
       left join gym g on g.id = m.gym_id
       where lower(u.email) = ? and not exists (select 1 from deletion_request d where d.user_id = u.id and d.approved_at is not null)
       limit 1`,
      [email],
    );
    return row
      ? { userId: String(row.id), gymId: row.gym_id ? String(row.gym_id) : null, gymName: row.gym_name ? String(row.gym_name) : null }
      : null;
  }
}
