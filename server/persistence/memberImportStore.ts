/**
 * The member import's store (`app/admin/memberImport.ts`) over PostgreSQL: one transaction per import, imports of a
 * gym taking turns on an advisory lock, and every write a batch — a JSON array of rows expanded by
 * `json_to_recordset` — so 10,000 members are a handful of statements, not 30,000 round trips.
 */
import { randomUUID } from "node:crypto";
import { UniqueConstraintViolationException, type EntityManager, type MikroORM } from "@mikro-orm/core";
import type { InvitationNames } from "../../app/admin/importInvitations.js";
import type { ImportedMember, ImportStore, ImportTx } from "../../app/admin/memberImport.js";
import type { AdminActor, AdminAudit } from "../../app/admin/ports.js";
import { DomainError } from "../../domain/errors.js";
import { auditStaffWrite } from "../audit/staffAudit.js";

/** Rows per statement: one JSON parameter each, well under any parameter or packet limit. */
const CHUNK = 2_000;

function chunks<T>(all: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < all.length; i += CHUNK) out.push(all.slice(i, i + CHUNK));
  return out;
}

function importTx(tx: EntityManager, audits: AdminAudit[]): ImportTx {
  const all = async <T>(sql: string, params: unknown[]): Promise<T[]> =>
    (await tx.getConnection().execute(sql, params, "all", tx.getTransactionContext())) as T[];
  const run = (sql: string, params: unknown[]) => tx.getConnection().execute(sql, params, "run", tx.getTransactionContext());
  return {
    async gym(gymId) {
      const [g] = await all<{ time_zone: string }>(`select time_zone from gym where id = ?`, [gymId]);
      return g ? { timeZone: g.time_zone } : null;
    },
    async plans(gymId) {
      const rows = await all<{ id: string; name: string; price_cents: number }>(
        `select id, name, price_cents from membership_plan where gym_id = ? and not archived order by name`,
        [gymId],
      );
      return rows.map((r) => ({ id: r.id, name: r.name, priceCents: Number(r.price_cents) }));
    },
    async known(gymId, emails) {
      const members = new Set<string>();
      const users = new Map<string, string>();
      for (const part of chunks(emails)) {
        const rows = await all<{ id: string; email: string; member: boolean }>(
          `select u.id, lower(u.email) as email, (m.id is not null) as member
             from app_user u left join gym_membership m on m.user_id = u.id and m.gym_id = ?
            where lower(u.email) in (select value from json_array_elements_text(?::json))`,
          [gymId, JSON.stringify(part)],
        );
        for (const r of rows) {
          if (r.member) members.add(r.email);
          else users.set(r.email, r.id);
        }
      }
      return { members, users };
    },
    async insertMembers(gymId, members, actorId, at) {
      const people = members
        .filter((m) => m.newUser)
        .map((m) => ({ id: m.userId, email: m.row.email, name: m.row.name, phone: m.row.phone }));
      for (const part of chunks(people)) {
        await run(
          `insert into app_user (id, email, name, phone, visible, birthday, emergency_contact)
           select x.id, x.email, x.name, x.phone, true, null, '' from json_to_recordset(?::json) as x(id uuid, email text, name text, phone text)`,
          [JSON.stringify(part)],
        );
      }
      const memberships = members.map((m: ImportedMember) => ({
        id: m.membershipId,
        user_id: m.userId,
        status: m.row.status,
        plan_id: m.planId,
        joined_at: new Date(m.joinedAt).toISOString(),
        tags: m.row.tags,
      }));
      for (const part of chunks(memberships)) {
        // A pack plan starts with no credits (sold or adjusted at the desk); other plans hold none.
        await run(
          `insert into gym_membership (id, gym_id, user_id, role, status, plan_id, credits, credits_expire_at, notes, joined_at, frozen_until, freeze_reason, tags)
           select x.id, ?, x.user_id, 'member', x.status, x.plan_id, case when p.entitlement->>'kind' = 'pack' then 0 end, null, '', x.joined_at, null, '', x.tags
             from json_to_recordset(?::json) as x(id uuid, user_id uuid, status text, plan_id uuid, joined_at timestamptz, tags jsonb)
             left join membership_plan p on p.id = x.plan_id and p.gym_id = ?`,
          [gymId, JSON.stringify(part), gymId],
        );
      }
      const assignments = members
        .filter((m) => m.planId !== null)
        .map((m) => ({
          id: randomUUID(),
          member_id: m.userId,
          plan_id: m.planId,
          starts_on: new Date(m.joinedAt).toISOString().slice(0, 10),
        }));
      for (const part of chunks(assignments)) {
        await run(
          `insert into plan_assignment (id, gym_id, member_id, plan_id, starts_on, ends_on, price_cents, assigned_by, assigned_at)
           select x.id, ?, x.member_id, x.plan_id, x.starts_on, null, p.price_cents, ?, ?
             from json_to_recordset(?::json) as x(id uuid, member_id uuid, plan_id uuid, starts_on text) join membership_plan p on p.id = x.plan_id`,
          [gymId, actorId, new Date(at), JSON.stringify(part)],
        );
      }
    },
    audit: (a) => void audits.push(a),
  };
}

export function memberImportStore(orm: MikroORM): ImportStore {
  return {
    read: (work) => orm.em.fork().transactional((tx) => work(importTx(tx, []))),
    async transaction<T>(actor: AdminActor, work: (tx: ImportTx) => Promise<T>): Promise<T | DomainError> {
      try {
        return await orm.em.fork().transactional(async (tx) => {
          // Two runs of one file take turns: the second sees the first's members and adds nobody.
          await tx
            .getConnection()
            .execute(`select pg_advisory_xact_lock(hashtext(?))`, [`member-import:${actor.gymId}`], "all", tx.getTransactionContext());
          const audits: AdminAudit[] = [];
          const result = await work(importTx(tx, audits));
          // Last: the audit writer holds the gym's chain lock until commit.
          for (const a of audits)
            await auditStaffWrite(tx, { gymId: actor.gymId, actorId: actor.userId, commandId: actor.commandId, at: actor.now, ...a });
          return result;
        });
      } catch (err) {
        if (err instanceof DomainError) return err;
        // Someone added one of these people (another gym, the desk) while the import ran.
        if (err instanceof UniqueConstraintViolationException)
          return new DomainError(
            "CONFLICT",
            "Someone added one of these people at the same time — run the import again (nobody was imported).",
          );
        throw err;
      }
    },
  };
}

/** {@link InvitationNames} over PostgreSQL. */
export function invitationNames(orm: MikroORM): InvitationNames {
  return async (gymId, invitedBy) => {
    const [gym] = await orm.em
      .fork()
      .getConnection()
      .execute<{ name: string; inviter: string | null }[]>(
        `select g.name, u.name as inviter from gym g left join app_user u on u.id = ? where g.id = ?`,
        [invitedBy, gymId],
      );
    return { gymName: gym?.name ?? null, inviterName: gym?.inviter ?? null };
  };
}
