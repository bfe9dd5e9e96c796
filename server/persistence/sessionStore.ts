import type { EntityManager, MikroORM } from "@mikro-orm/core";
import type { RotateOutcome, SessionEndReason, SessionRecord, SessionStore } from "../../app/signin/ports.js";

const ms = (v: unknown): number => (v instanceof Date ? v.getTime() : new Date(v as string).getTime());
const msOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : ms(v));

type Row = Record<string, unknown>;

const SESSION_COLUMNS =
  "s.id, s.user_id, s.method, s.factors, s.user_agent, s.ip, s.created_at, s.last_seen_at, s.idle_expires_at, s.expires_at, s.ended_at, s.end_reason";

function toSession(r: Row): SessionRecord {
  const factors = typeof r.factors === "string" ? (JSON.parse(r.factors) as string[]) : ((r.factors as string[] | null) ?? []);
  return {
    id: String(r.id),
    userId: String(r.user_id),
    method: r.method as SessionRecord["method"],
    factors,
    userAgent: String(r.user_agent ?? ""),
    ip: String(r.ip ?? ""),
    createdAt: ms(r.created_at),
    lastSeenAt: ms(r.last_seen_at),
    idleExpiresAt: ms(r.idle_expires_at),
    expiresAt: ms(r.expires_at),
    endedAt: msOrNull(r.ended_at),
    endReason: (r.end_reason as SessionEndReason | null) ?? null,
  };
}

/** Sessions and refresh-token families in PostgreSQL (`auth_session`, `refresh_token`). */
export class PgSessionStore implements SessionStore {
  constructor(private readonly orm: MikroORM) {}

  private run<T = Row[]>(em: EntityManager, sql: string, params: unknown[]): Promise<T> {
    return em.getConnection().execute(sql, params, "all", em.getTransactionContext()) as Promise<T>;
  }

  async create(s: SessionRecord, refreshHash: string): Promise<void> {
    await this.orm.em.fork().transactional(async (tx) => {
      await this.run(
        tx,
        `insert into auth_session (id, user_id, method, factors, user_agent, ip, created_at, last_seen_at, idle_expires_at, expires_at)
         values (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?)`,
        [
          s.id,
          s.userId,
          s.method,
          JSON.stringify(s.factors),
          s.userAgent,
          s.ip,
          new Date(s.createdAt),
          new Date(s.lastSeenAt),
          new Date(s.idleExpiresAt),
          new Date(s.expiresAt),
        ],
      );
      await this.run(tx, `insert into refresh_token (hash, session_id, issued_at) values (?, ?, ?)`, [
        refreshHash,
        s.id,
        new Date(s.createdAt),
      ]);
    });
  }

  async rotate(presentedHash: string, nextHash: string, now: number, idleMs: number): Promise<RotateOutcome> {
    return this.orm.em.fork().transactional(async (tx): Promise<RotateOutcome> => {
      // Both rows locked: two refreshes with one token run one after the other, and the second is a replay.
      const [row] = await this.run(
        tx,
        `select t.used_at as token_used_at, ${SESSION_COLUMNS} from refresh_token t join auth_session s on s.id = t.session_id
         where t.hash = ? for update of t, s`,
        [presentedHash],
      );
      if (!row) return { kind: "unknown" };
      const session = toSession(row);
      if (session.endedAt !== null) return { kind: "ended", session };
      const at = new Date(now);
      if (row.token_used_at !== null && row.token_used_at !== undefined) {
        await this.run(tx, `update auth_session set ended_at = ?, end_reason = 'refresh_reused' where id = ?`, [at, session.id]);
        return { kind: "reused", session: { ...session, endedAt: now, endReason: "refresh_reused" } };
      }
      if (now >= session.idleExpiresAt || now >= session.expiresAt) {
        await this.run(tx, `update auth_session set ended_at = ?, end_reason = 'expired' where id = ?`, [at, session.id]);
        return { kind: "ended", session: { ...session, endedAt: now, endReason: "expired" } };
      }
      const idleExpiresAt = Math.min(now + idleMs, session.expiresAt);
      await this.run(tx, `update refresh_token set used_at = ? where hash = ?`, [at, presentedHash]);
      await this.run(tx, `insert into refresh_token (hash, session_id, issued_at) values (?, ?, ?)`, [nextHash, session.id, at]);
      await this.run(tx, `update auth_session set last_seen_at = ?, idle_expires_at = ? where id = ?`, [
        at,
        new Date(idleExpiresAt),
        session.id,
      ]);
      return { kind: "rotated", session: { ...session, lastSeenAt: now, idleExpiresAt } };
    });
  }

  async findByRefresh(refreshHash: string): Promise<SessionRecord | null> {
    const [row] = await this.run(
      this.orm.em.fork(),
      `select ${SESSION_COLUMNS} from refresh_token t join auth_session s on s.id = t.session_id where t.hash = ?`,
      [refreshHash],
    );
    return row ? toSession(row) : null;
  }

  async end(sessionId: string, userId: string, reason: SessionEndReason, now: number): Promise<SessionRecord | null> {
    const rows = await this.run(
      this.orm.em.fork(),
      // The device's push subscriptions end with its session, in the same statement (issue 20).
      `with ended as (update auth_session s set ended_at = ?, end_reason = ? where s.id = ? and s.user_id = ? and s.ended_at is null returning ${SESSION_COLUMNS}),
            gone as (delete from push_subscription where session_id in (select id from ended))
       select * from ended`,
      [new Date(now), reason, sessionId, userId],
    );
    return rows[0] ? toSession(rows[0]) : null;
  }

  async endAll(userId: string, reason: SessionEndReason, now: number): Promise<string[]> {
    // Every device of the user stops getting pushes in the same statement (issue 20).
    const rows = await this.run(
      this.orm.em.fork(),
      `with ended as (update auth_session set ended_at = ?, end_reason = ? where user_id = ? and ended_at is null returning id),
            gone as (delete from push_subscription where user_id = ?)
       select id from ended`,
      [new Date(now), reason, userId, userId],
    );
    return rows.map((r) => String(r.id));
  }

  async listLive(userId: string, now: number): Promise<SessionRecord[]> {
    const rows = await this.run(
      this.orm.em.fork(),
      `select ${SESSION_COLUMNS} from auth_session s where s.user_id = ? and s.ended_at is null and s.idle_expires_at > ? and s.expires_at > ?
       order by s.last_seen_at desc limit 100`,
      [userId, new Date(now), new Date(now)],
    );
    return rows.map(toSession);
  }

  async validAfter(userId: string): Promise<number> {
    const [row] = await this.run(this.orm.em.fork(), `select valid_after from token_revocation where user_id = ?`, [userId]);
    return row ? ms(row.valid_after) : 0;
  }
}

/** Ended sessions among `ids` (the token check refuses their access tokens). */
export async function endedSessions(orm: MikroORM, ids: readonly string[]): Promise<Map<string, boolean>> {
  const rows = await orm.em
    .getConnection()
    .execute<Row[]>(`select id from auth_session where ended_at is not null and id in (${ids.map(() => "?").join(",")})`, [...ids]);
  return new Map(rows.map((r: Row) => [String(r.id), true]));
}

/** Sessions ended at or after `since` (what another node may have missed on the bus). */
export async function sessionsEndedSince(orm: MikroORM, since: number): Promise<{ userId: string; sessionId: string }[]> {
  const rows = await orm.em
    .getConnection()
    .execute<Row[]>(`select id, user_id from auth_session where ended_at >= ? limit 10000`, [new Date(since)]);
  return rows.map((r: Row) => ({ userId: String(r.user_id), sessionId: String(r.id) }));
}
