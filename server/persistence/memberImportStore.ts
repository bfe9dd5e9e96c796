/**
 * The member import's store (`app/admin/memberImport.ts`) over PostgreSQL: one transaction per import, imports of a
 * gym taking turns on an advisory lock, and every write a batch — a JSON array of rows expanded by
 * `json_to_recordset` — so 10,000 members are a handful of statements, not 30,000 round trips.
 */
import { randomUUID } from "node:crypto";
import type { EntityManager, MikroORM } from "@mikro-orm/core";
import type { InvitationNames } from "../../app/admin/importInvitations.js";
import type { ImportedMember, ImportStore, ImportTx } from "../../app/admin/memberImport.js";
import type { AdminAudit } from "../../app/admin/ports.js";
import { chunks, gymZone, importTransaction, statements } from "./importTransaction.js";

function importTx(tx: EntityManager, audits: AdminAudit[]): ImportTx {
  const { all, run } = statements(tx);
  return {
    gym: (gymId) => gymZone(tx, gymId),
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
          `insert into plan_assignment (id, gym_id, member_id, plan_id, starts_on, ends_on, price_cents, assigned_by, assigned_at, next_dues_on)
           select x.id, ?, x.member_id, x.plan_id, x.starts_on, null, p.price_cents, ?, ?, x.starts_on
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
    transaction: (actor, work) => importTransaction(orm, actor, "member", importTx, work),
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
