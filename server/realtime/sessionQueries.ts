/**
 * Requests about sign-in: "where I'm signed in" and ending sessions (mine; a staff member's, by owners and admins),
 * invitations, and the state of the gym's outgoing mail.
 */
import type { MikroORM } from "@mikro-orm/core";
import { describeDevice } from "../../app/signin/device.js";
import type { Invitations, InvitationRole } from "../../app/signin/invitations.js";
import type { InvitationStore } from "../../app/signin/ports.js";
import type { Sessions } from "../../app/signin/sessions.js";
import { DomainError } from "../../domain/errors.js";
import { StaffRoles } from "../../domain/model.js";
import { auditStaffWrite } from "../audit/staffAudit.js";
import { revokeTokens } from "../persistence/revocationStore.js";
import type { InGym, Mine, QueryHandlers } from "./queryHandler.js";
import type { Revocation } from "./revocation.js";
import type { ReadAudit } from "../audit/readAudit.js";

export interface SessionQueryDeps {
  orm: MikroORM;
  now: () => number;
  inGym: InGym;
  mine: Mine;
  sessions: Sessions;
  invitations: Invitations;
  invitationStore: InvitationStore;
  onRevoked: (r: Revocation) => Promise<void>;
  /** Bulk reads of people's addresses by staff (invitations, mail state) are audited. */
  readAudit?: ReadAudit | undefined;
}

type Row = Record<string, unknown>;
const ms = (v: unknown): number | null => (v === null || v === undefined ? null : v instanceof Date ? v.getTime() : new Date(v as string).getTime());

export function sessionQueries(d: SessionQueryDeps): QueryHandlers {
  const sql = (q: string, params: unknown[]) => d.orm.em.fork().getConnection().execute<Row[]>(q, params);
  return {
    "user:sessions": d.mine("user:sessions", async ({ userId }) => ({
      sessions: (await d.sessions.list(userId)).map((s) => ({
        sessionId: s.id,
        device: describeDevice(s.userAgent),
        method: s.method,
        createdAt: s.createdAt,
        lastSeenAt: s.lastSeenAt,
      })),
    })),

    "user:endSession": d.mine<{ sessionId: string }>("user:endSession", async ({ userId, payload }) => ({
      ended: await d.sessions.end(userId, payload.sessionId.toLowerCase(), "ended_by_user", undefined),
    })),

    "gym:endStaffSessions": d.inGym<{ memberId: string }>("gym:endStaffSessions", ["owner", "admin"], async ({ userId, gymId, role, payload, commandId }) => {
      const memberId = payload.memberId.toLowerCase();
      const [m] = await sql(`select role from gym_membership where gym_id = ? and user_id = ?`, [gymId, memberId]);
      if (!m || !(StaffRoles as readonly string[]).includes(String(m.role))) return new DomainError("NOT_FOUND", "This person is not on this gym's staff.");
      if (m.role === "owner" && role !== "owner") return new DomainError("FORBIDDEN", "Only an owner can sign an owner out.");
      const at = d.now();
      // Audited with the revocation in one transaction: tokens without a session (scripts) stop too.
      await d.orm.em.fork().transactional(async (tx) => {
        await revokeTokens(tx, memberId, at);
        await auditStaffWrite(tx, { gymId, actorId: userId, action: "gym:endStaffSessions", entityType: "member", entityId: memberId, before: null, after: { signedOutAt: at }, commandId, at });
      });
      const ended = await d.sessions.endAll(memberId, "ended_by_staff", userId, undefined);
      setImmediate(() => void d.onRevoked({ userId: memberId, gymId: null, validAfter: at, deleted: false }));
      return { ended: ended.length };
    }),

    "gym:invite": d.inGym<{ email: string; role: InvitationRole }>("gym:invite", ["owner", "admin"], async ({ userId, gymId, role, payload }) => {
      if (payload.role === "owner" && role !== "owner") return new DomainError("FORBIDDEN", "Only an owner can invite an owner.");
      const [gym] = await sql(`select g.name, u.name as inviter from gym g left join app_user u on u.id = ? where g.id = ?`, [userId, gymId]);
      const open = await sql(`select count(*)::int as n from invitation where gym_id = ? and accepted_at is null and revoked_at is null and expires_at > ?`, [gymId, new Date(d.now())]);
      if (Number(open[0]?.n ?? 0) >= 500) return new DomainError("LIMIT_EXCEEDED", "This gym has 500 open invitations — withdraw some first.");
      const made = await d.invitations.invite({ gymId, gymName: String(gym?.name ?? "your gym"), email: payload.email, role: payload.role, invitedBy: userId, inviterName: gym?.inviter ? String(gym.inviter) : null });
      return { invitationId: made.id, expiresAt: made.expiresAt };
    }),

    "gym:invitations": d.inGym("gym:invitations", ["owner", "admin"], async ({ userId, gymId, commandId }) => {
      const now = d.now();
      await d.readAudit?.record({ gymId, actorId: userId, action: "gym:invitations", entityType: "invitation", entityId: null, summary: {}, commandId, at: now });
      const list = await d.invitationStore.list(gymId, 100);
      const mails = list.length === 0 ? [] : await invitationMails(sql, gymId, new Date(list[list.length - 1]!.createdAt));
      return {
        invitations: list.map((i) => ({
          invitationId: i.id,
          email: i.email,
          role: i.role,
          state: i.acceptedAt !== null ? "accepted" : i.revokedAt !== null ? "revoked" : i.expiresAt <= now ? "expired" : "open",
          createdAt: i.createdAt,
          expiresAt: i.expiresAt,
          // The invitation's mail: the first one to its address queued at or after it (the queue is written right after).
          mail: mails.find((m) => m.to === i.email && m.createdAt >= i.createdAt)?.state ?? null,
        })),
      };
    }),

    "gym:revokeInvitation": d.inGym<{ invitationId: string }>("gym:revokeInvitation", ["owner", "admin"], async ({ userId, gymId, payload }) => ({
      revoked: await d.invitationStore.revoke(gymId, payload.invitationId.toLowerCase(), userId, d.now()),
    })),

    "gym:mailOutbox": d.inGym("gym:mailOutbox", ["owner", "admin"], async ({ userId, gymId, commandId }) => {
      await d.readAudit?.record({ gymId, actorId: userId, action: "gym:mailOutbox", entityType: "mail", entityId: null, summary: {}, commandId, at: d.now() });
      return { mail: (
        await sql(
          `select id, to_address, template, status, attempts, last_error, created_at, sent_at, next_attempt_at from mail_outbox where gym_id = ? order by created_at desc limit 100`,
          [gymId],
        )
      ).map((r: Row) => ({
        mailId: String(r.id),
        to: String(r.to_address),
        template: String(r.template),
        status: String(r.status),
        attempts: Number(r.attempts),
        lastError: r.last_error === null ? null : String(r.last_error),
        createdAt: ms(r.created_at),
        sentAt: ms(r.sent_at),
        nextAttemptAt: r.status === "queued" ? ms(r.next_attempt_at) : null,
      })) };
    }),
  };
}

/** The gym's invitation mails since `from`, oldest first: delivery state only, never the content (it holds the link). */
async function invitationMails(sql: (q: string, params: unknown[]) => Promise<Row[]>, gymId: string, from: Date) {
  const rows = await sql(
    `select to_address, status, attempts, last_error, created_at, sent_at, next_attempt_at from mail_outbox
     where gym_id = ? and template in ('invitation', 'sign_up') and created_at >= ? order by created_at limit 1000`,
    [gymId, from],
  );
  return rows.map((r) => ({
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
}
