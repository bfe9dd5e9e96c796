/** The sign-in requests' {@link SignInRequestStore} over PostgreSQL. */
import type { MikroORM } from "@mikro-orm/core";
import type { SignInRequestStore } from "../../app/signin/requestPorts.js";
import { isStaffRole } from "../../domain/roles.js";
import { auditStaffWrite } from "../audit/staffAudit.js";
import { revokeTokens } from "./revocationStore.js";

type Row = Record<string, unknown>;
const ms = (v: unknown): number | null =>
  v === null || v === undefined ? null : v instanceof Date ? v.getTime() : new Date(v as string).getTime();

export function signInRequestStore(orm: MikroORM): SignInRequestStore {
  const sql = (q: string, params: unknown[]) => orm.em.fork().getConnection().execute<Row[]>(q, params);
  return {
    async roleIn(gymId, userId) {
      const [m] = await sql(`select role from gym_membership where gym_id = ? and user_id = ?`, [gymId, userId]);
      return m ? String(m.role) : null;
    },

    revokeStaffTokens: (gymId, memberId, by, at) =>
      orm.em.fork().transactional(async (tx) => {
        await revokeTokens(tx, memberId, at);
        await auditStaffWrite(tx, {
          gymId,
          actorId: by.actorId,
          action: "gym:endStaffSessions",
          entityType: "member",
          entityId: memberId,
          before: null,
          after: { signedOutAt: at },
          commandId: by.commandId,
          at,
        });
      }),

    async staff(gymId) {
      const rows = await sql(
        `select u.id, u.name, u.email, m.role, m.status from gym_membership m join app_user u on u.id = m.user_id
         where m.gym_id = ? and m.role in ('owner', 'admin', 'coach', 'front_desk') and m.status <> 'cancelled'
         order by array_position(array['owner', 'admin', 'coach', 'front_desk']::text[], m.role::text), u.name, u.id limit 500`,
        [gymId],
      );
      return rows.map((r: Row) => ({
        memberId: String(r.id),
        name: String(r.name),
        email: String(r.email),
        role: String(r.role),
        status: String(r.status),
      }));
    },

    deactivateStaff: (gymId, memberId, by, at) =>
      orm.em.fork().transactional(async (tx) => {
        const conn = tx.getConnection();
        const [m] = await conn.execute<Row[]>(
          `select role, status from gym_membership where gym_id = ? and user_id = ? for update`,
          [gymId, memberId],
          "all",
          tx.getTransactionContext(),
        );
        if (!m || !isStaffRole(String(m.role))) return null;
        if (String(m.role) === "owner" && by.role !== "owner") return "owner" as const;
        await conn.execute(
          `update gym_membership set status = 'cancelled' where gym_id = ? and user_id = ?`,
          [gymId, memberId],
          "run",
          tx.getTransactionContext(),
        );
        await revokeTokens(tx, memberId, at);
        await auditStaffWrite(tx, {
          gymId,
          actorId: by.actorId,
          action: "gym:deactivateStaff",
          entityType: "member",
          entityId: memberId,
          before: { role: m.role, status: m.status },
          after: { status: "cancelled", signedOutAt: at },
          commandId: by.commandId,
          at,
        });
        return { role: String(m.role) };
      }),

    async inviteNames(gymId, inviterId) {
      const [gym] = await sql(`select g.name, u.name as inviter from gym g left join app_user u on u.id = ? where g.id = ?`, [
        inviterId,
        gymId,
      ]);
      return {
        gymName: gym?.name === undefined || gym.name === null ? null : String(gym.name),
        inviterName: gym?.inviter ? String(gym.inviter) : null,
      };
    },

    async openInvitations(gymId, now) {
      const open = await sql(
        `select count(*)::int as n from invitation where gym_id = ? and accepted_at is null and revoked_at is null and expires_at > ?`,
        [gymId, new Date(now)],
      );
      return Number(open[0]?.n ?? 0);
    },

    async mailOutbox(gymId) {
      const rows = await sql(
        `select id, to_address, template, status, attempts, last_error, created_at, sent_at, next_attempt_at from mail_outbox where gym_id = ? order by created_at desc limit 100`,
        [gymId],
      );
      return rows.map((r: Row) => ({
        mailId: String(r.id),
        to: String(r.to_address),
        template: String(r.template),
        status: String(r.status),
        attempts: Number(r.attempts),
        lastError: r.last_error === null ? null : String(r.last_error),
        createdAt: ms(r.created_at),
        sentAt: ms(r.sent_at),
        nextAttemptAt: r.status === "queued" ? ms(r.next_attempt_at) : null,
      }));
    },

    async invitationMails(gymId, from) {
      const rows = await sql(
        `select to_address, status, attempts, last_error, created_at, sent_at, next_attempt_at from mail_outbox
         where gym_id = ? and template in ('invitation', 'sign_up') and created_at >= ? order by created_at limit 1000`,
        [gymId, new Date(from)],
      );
      return rows.map((r: Row) => ({
        to: String(r.to_address),
        createdAt: ms(r.created_at)!,
        state: {
          status: String(r.status),
          attempts: Number(r.attempts),
          lastError: r.last_error === null ? null : String(r.last_error),
          sentAt: ms(r.sent_at),
          nextAttemptAt: r.status === "queued" ? ms(r.next_attempt_at) : null,
        },
      }));
    },
  };
}
