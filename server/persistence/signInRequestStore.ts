/** The sign-in requests' {@link SignInRequestStore} over PostgreSQL. */
import type { MikroORM } from "@mikro-orm/core";
import type { SignInRequestStore } from "../../app/signin/requestPorts.js";
import { auditStaffWrite } from "../audit/staffAudit.js";
import { revokeTokens } from "./revocationStore.js";

type Row = Record<string, unknown>;
const ms = (v: unknown): number | null => (v === null || v === undefined ? null : v instanceof Date ? v.getTime() : new Date(v as string).getTime());

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
        await auditStaffWrite(tx, { gymId, actorId: by.actorId, action: "gym:endStaffSessions", entityType: "member", entityId: memberId, before: null, after: { signedOutAt: at }, commandId: by.commandId, at });
      }),

    async inviteNames(gymId, inviterId) {
      const [gym] = await sql(`select g.name, u.name as inviter from gym g left join app_user u on u.id = ? where g.id = ?`, [inviterId, gymId]);
      return { gymName: gym?.name === undefined || gym.name === null ? null : String(gym.name), inviterName: gym?.inviter ? String(gym.inviter) : null };
    },

    async openInvitations(gymId, now) {
      const open = await sql(`select count(*)::int as n from invitation where gym_id = ? and accepted_at is null and revoked_at is null and expires_at > ?`, [gymId, new Date(now)]);
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
