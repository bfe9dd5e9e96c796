import { randomUUID } from "node:crypto";
import type { EntityManager, MikroORM } from "@mikro-orm/core";
import type { InvitationRecord, InvitationStore } from "../../app/signin/ports.js";
import { auditStaffWrite } from "../audit/staffAudit.js";

type Row = Record<string, unknown>;
const ms = (v: unknown): number | null =>
  v === null || v === undefined ? null : v instanceof Date ? v.getTime() : new Date(v as string).getTime();

const toRecord = (r: Row): InvitationRecord => ({
  id: String(r.id),
  gymId: String(r.gym_id),
  gymName: String(r.gym_name ?? ""),
  email: String(r.email),
  role: r.role as InvitationRecord["role"],
  invitedBy: r.invited_by ? String(r.invited_by) : null,
  createdAt: ms(r.created_at)!,
  expiresAt: ms(r.expires_at)!,
  acceptedAt: ms(r.accepted_at),
  revokedAt: ms(r.revoked_at),
});

const SELECT = `select i.*, g.name as gym_name from invitation i join gym g on g.id = i.gym_id`;

/** Invitations in `invitation`; staff actions on them are audited in the gym's chain in the same transaction. */
export class PgInvitationStore implements InvitationStore {
  /** `newId`: ids of the accounts, memberships and consents an acceptance makes (the demo seed passes its own). */
  constructor(
    private readonly orm: MikroORM,
    private readonly newId: () => string = randomUUID,
  ) {}

  private run(em: EntityManager, sql: string, params: unknown[]): Promise<Row[]> {
    return em.getConnection().execute<Row[]>(sql, params, "all", em.getTransactionContext());
  }

  async create(inv: Omit<InvitationRecord, "gymName" | "acceptedAt" | "revokedAt">, tokenHash: string): Promise<void> {
    await this.orm.em.fork().transactional(async (tx) => {
      await this.run(
        tx,
        `insert into invitation (id, gym_id, email, role, token_hash, invited_by, created_at, expires_at, consents) values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          inv.id,
          inv.gymId,
          inv.email,
          inv.role,
          tokenHash,
          inv.invitedBy,
          new Date(inv.createdAt),
          new Date(inv.expiresAt),
          inv.consents ? JSON.stringify(inv.consents) : null,
        ],
      );
      if (inv.invitedBy)
        await auditStaffWrite(tx, {
          gymId: inv.gymId,
          actorId: inv.invitedBy,
          action: "gym:invite",
          entityType: "invitation",
          entityId: inv.id,
          before: null,
          after: { role: inv.role },
          commandId: null,
          at: inv.createdAt,
        });
    });
  }

  async byToken(tokenHash: string): Promise<InvitationRecord | null> {
    const [row] = await this.run(this.orm.em.fork(), `${SELECT} where i.token_hash = ?`, [tokenHash]);
    return row ? toRecord(row) : null;
  }

  async list(gymId: string, limit: number): Promise<InvitationRecord[]> {
    return (await this.run(this.orm.em.fork(), `${SELECT} where i.gym_id = ? order by i.created_at desc limit ?`, [gymId, limit])).map(
      toRecord,
    );
  }

  async revoke(gymId: string, id: string, actorId: string, now: number): Promise<boolean> {
    return this.orm.em.fork().transactional(async (tx) => {
      const rows = await this.run(
        tx,
        `update invitation set revoked_at = ? where id = ? and gym_id = ? and revoked_at is null and accepted_at is null returning id`,
        [new Date(now), id, gymId],
      );
      if (rows.length === 0) return false;
      await auditStaffWrite(tx, {
        gymId,
        actorId,
        action: "gym:revokeInvitation",
        entityType: "invitation",
        entityId: id,
        before: { open: true },
        after: { open: false },
        commandId: null,
        at: now,
      });
      return true;
    });
  }

  async accept(tokenHash: string, name: string, now: number): Promise<{ userId: string; gymId: string } | null> {
    return this.orm.em.fork().transactional(async (tx) => {
      const [inv] = await this.run(
        tx,
        `update invitation set accepted_at = ? where token_hash = ? and accepted_at is null and revoked_at is null and expires_at > ? returning id, gym_id, email, role, consents, created_at`,
        [new Date(now), tokenHash, new Date(now)],
      );
      if (!inv) return null;
      const gymId = String(inv.gym_id);
      const [existing] = await this.run(tx, `select id from app_user where lower(email) = ? for update`, [String(inv.email)]);
      const userId = existing ? String(existing.id) : this.newId();
      if (!existing)
        await this.run(tx, `insert into app_user (id, email, name, visible) values (?, ?, ?, true)`, [userId, String(inv.email), name]);
      await this.run(
        tx,
        `insert into gym_membership (id, gym_id, user_id, role, status, notes, joined_at) values (?, ?, ?, ?, 'active', '', ?) on conflict (gym_id, user_id) do nothing`,
        [this.newId(), gymId, userId, String(inv.role), new Date(now)],
      );
      await this.run(tx, `update invitation set accepted_by = ? where id = ?`, [userId, String(inv.id)]);
      // Self sign-up: the terms and privacy versions the person accepted when asking, as of then (insert-only rows).
      const consents = (typeof inv.consents === "string" ? JSON.parse(inv.consents) : inv.consents) as Record<string, string> | null;
      for (const [kind, version] of Object.entries(consents ?? {}))
        await this.run(tx, `insert into consent (id, user_id, kind, version, accepted_at) values (?, ?, ?, ?, ?)`, [
          this.newId(),
          userId,
          kind,
          version,
          inv.created_at,
        ]);
      await auditStaffWrite(tx, {
        gymId,
        actorId: userId,
        action: "invitation:accept",
        entityType: "invitation",
        entityId: String(inv.id),
        before: null,
        after: { role: inv.role },
        commandId: null,
        at: now,
      });
      return { userId, gymId };
    });
  }
}

/** Self sign-up's view of the gym: its name when its owner lets members sign themselves up, and how many wait. */
export class PgSignUpGyms {
  constructor(private readonly orm: MikroORM) {}

  async openGym(gymId: string): Promise<{ name: string; requiredConsents: Record<string, string> } | null> {
    const [row] = await this.orm.em
      .fork()
      .getConnection()
      .execute<Row[]>(`select g.name, g.policy from gym g join gym_factor_policy p on p.gym_id = g.id where g.id = ? and p.self_sign_up`, [
        gymId,
      ]);
    if (!row) return null;
    const policy = (typeof row.policy === "string" ? JSON.parse(row.policy) : row.policy) as {
      requiredConsents?: Record<string, string>;
    } | null;
    return { name: String(row.name), requiredConsents: policy?.requiredConsents ?? {} };
  }

  async openSignUps(gymId: string, now: number): Promise<number> {
    const [row] = await this.orm.em
      .fork()
      .getConnection()
      .execute<Row[]>(
        `select count(*)::int as n from invitation where gym_id = ? and invited_by is null and role = 'member' and accepted_at is null and revoked_at is null and expires_at > ?`,
        [gymId, new Date(now)],
      );
    return Number(row?.n ?? 0);
  }
}
