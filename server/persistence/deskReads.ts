/** The staff reads' {@link DeskReads} over PostgreSQL (the search over resident members when given them). */
import type { MikroORM } from "@mikro-orm/core";
import type { DeskReads } from "../../app/desk/ports.js";
import type { ResidentStandings } from "../../rooms/residentStandings.js";
import { ANCHOR_ACTION } from "../audit/anchors.js";
import {
  AttendanceEventEntity,
  BookingEntity,
  ClassSessionEntity,
  AuthSessionEntity,
  ClassTypeEntity,
  FeeEntity,
  GymEntity,
  GymMembershipEntity,
  InvitationEntity,
  MembershipPlanEntity,
  UserEntity,
  WorkoutLogEntity,
} from "../db/entities/index.js";

type AuditLogRow = {
  pos: number | string;
  at: Date | string;
  actor_id: string | null;
  actor_name: string | null;
  role: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  summary: unknown;
  command_id: string | null;
  hash: string;
  subject_name: string | null;
  class_name: string | null;
  starts_at: Date | string | null;
};

const DAY = 86_400_000;

export function deskReads(orm: MikroORM, resident?: ResidentStandings): DeskReads {
  const em = () => orm.em.fork();
  return {
    async searchMembers(gymId, q, limit) {
      if (resident) {
        const found = await resident.search(gymId, q, limit);
        return found.map((m) => ({
          memberId: m.memberId,
          name: m.name,
          email: m.email,
          phone: m.phone,
          role: m.role,
          status: m.status,
          planName: m.planName,
        }));
      }
      const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const rows: Record<string, string | null>[] = await em()
        .getConnection()
        .execute(
          `select u.id as member_id, u.name, u.email, u.phone, m.role, m.status, p.name as plan_name
         from gym_membership m join app_user u on u.id = m.user_id left join membership_plan p on p.id = m.plan_id
         where m.gym_id = ? and (u.name ilike ? or u.email ilike ? or coalesce(u.phone, '') ilike ?)
         order by u.name limit ${Number(limit)}`,
          [gymId, like, like, like],
        );
      return rows.map((r) => ({
        memberId: r.member_id ?? null,
        name: r.name ?? null,
        email: r.email ?? null,
        phone: r.phone ?? null,
        role: r.role ?? null,
        status: r.status ?? null,
        planName: r.plan_name ?? null,
      }));
    },

    async profileBase(gymId, memberId) {
      const e = em();
      const [m, user, gym] = await Promise.all([
        e.findOne(GymMembershipEntity, { gymId, userId: memberId }),
        e.findOne(UserEntity, { id: memberId }),
        e.findOneOrFail(GymEntity, { id: gymId }),
      ]);
      if (!m || !user) return null;
      // Has this person ever signed in (any app, any gym), and the newest invitation of this gym to their address.
      const [session, invitation] = await Promise.all([
        e.findOne(AuthSessionEntity, { userId: user.id }, { fields: ["id"] }),
        e.findOne(InvitationEntity, { gymId, email: user.email }, { orderBy: { createdAt: "desc" } }),
      ]);
      return {
        member: {
          id: user.id,
          name: user.name,
          email: user.email,
          phone: user.phone,
          birthday: user.birthday ?? null,
          emergencyContact: user.emergencyContact ?? "",
        },
        membership: {
          role: m.role,
          status: m.status,
          notes: m.notes,
          joinedAt: m.joinedAt,
          planId: m.planId,
          credits: m.credits,
          creditsExpireAt: m.creditsExpireAt,
          tags: m.tags ?? [],
          frozenUntil: m.frozenUntil ?? null,
        },
        signIn: {
          signedIn: session !== null,
          invitedAt: invitation && invitation.revokedAt === null && invitation.acceptedAt === null ? invitation.createdAt : null,
        },
        timeZone: gym.timeZone,
      };
    },

    async profileDetail(gymId, memberId, planId, now) {
      const e = em();
      const [plan, bookings, attendance, logs, fees] = await Promise.all([
        planId ? e.findOne(MembershipPlanEntity, { id: planId }) : null,
        e.find(BookingEntity, { gymId, memberId }, { orderBy: { createdAt: "desc" }, limit: 100 }),
        e.find(AttendanceEventEntity, { gymId, memberId, at: { $gte: now - 120 * DAY } }),
        e.find(WorkoutLogEntity, { gymId, memberId, performedAt: { $gte: now - 120 * DAY } }, { fields: ["performedAt"] }),
        e.find(FeeEntity, { gymId, memberId }, { orderBy: { createdAt: "desc" }, limit: 50 }),
      ]);
      const sessions = bookings.length ? await e.find(ClassSessionEntity, { id: { $in: bookings.map((b) => b.sessionId) } }) : [];
      const types = await e.find(ClassTypeEntity, { gymId });
      const label = new Map(
        sessions.map((s) => [s.id, { startsAt: s.startsAt, className: types.find((t) => t.id === s.classTypeId)?.name ?? "Class" }]),
      );
      return {
        plan: plan ? { name: plan.name, entitlement: plan.entitlement, weeklyTarget: plan.weeklyTarget } : null,
        bookings: bookings.flatMap((b) => {
          const s = label.get(b.sessionId);
          return s ? [{ bookingId: b.id, sessionId: b.sessionId, status: b.status, ...s }] : [];
        }),
        activeAt: [...attendance.map((a) => a.at), ...logs.map((l) => l.performedAt)],
        fees: fees.map((f) => ({
          id: f.id,
          kind: f.kind,
          amountCents: f.amountCents,
          currency: f.currency,
          createdAt: f.createdAt,
          waived: f.waived,
        })),
      };
    },

    timeZone: async (gymId) => (await em().findOneOrFail(GymEntity, { id: gymId })).timeZone,

    async bookingsBetween(gymId, from, to) {
      const rows = await em()
        .getConnection()
        .execute<{ starts_at: Date | string; status: string }[]>(
          `select s.starts_at, b.status from booking b join class_session s on s.id = b.session_id
         where b.gym_id = ? and s.starts_at >= ? and s.starts_at < ? and b.status in ('booked', 'checked_in', 'no_show')`,
          [gymId, new Date(from), new Date(to)],
        );
      return rows.map((r: { starts_at: Date | string; status: string }) => ({
        startsAt: new Date(r.starts_at).getTime(),
        status: r.status,
      }));
    },

    async auditLog(gymId, payload, limit) {
      // The gym's trail across its rooms' chains, in the order rows were written (`pos`); anchors are bookkeeping.
      const where = ["a.gym_id = ?", `a.action <> '${ANCHOR_ACTION}'`];
      const params: unknown[] = [gymId];
      const filter = (sql: string, value: unknown) => {
        if (value === undefined) return;
        where.push(sql);
        params.push(value);
      };
      filter("a.pos < ?", payload.beforeSeq);
      filter("a.action = ?", payload.action);
      filter("a.actor_id = ?", payload.actorId);
      const rows = await em()
        .getConnection()
        .execute<AuditLogRow[]>(
          // Names a manager reads: the member the row is about, and the class (through its booking, waitlist place, check-in or fee).
          `select a.pos, a.at, a.actor_id, u.name as actor_name, a.role, a.action, a.entity_type, a.entity_id, a.summary, a.command_id, a.hash,
                m.name as subject_name, ct.name as class_name, s.starts_at
         from audit_log a left join app_user u on u.id = a.actor_id
         left join app_user m on m.id::text = coalesce(a.summary->'after'->>'memberId', a.summary->'before'->>'memberId')
         left join booking b on a.entity_type = 'booking' and b.id::text = a.entity_id
         left join waitlist_entry w on a.entity_type = 'waitlist_entry' and w.id::text = a.entity_id
         left join check_in ci on a.entity_type = 'check_in' and ci.id::text = a.entity_id
         left join booking fb on a.entity_type = 'fee' and fb.id::text = a.summary->'after'->>'bookingId'
         left join class_session s on s.gym_id = a.gym_id and s.id::text = coalesce(b.session_id::text, w.session_id::text, ci.session_id::text, fb.session_id::text, case when a.entity_type = 'class_session' then a.entity_id end)
         left join class_type ct on ct.id = s.class_type_id
         where ${where.join(" and ")} order by a.pos desc limit ?`,
          [...params, limit + 1],
        );
      const page = rows.slice(0, limit);
      return {
        rows: page.map((r: AuditLogRow) => ({
          seq: Number(r.pos),
          at: new Date(r.at).getTime(),
          actorId: r.actor_id,
          actorName: r.actor_name,
          role: r.role,
          action: r.action,
          entityType: r.entity_type,
          entityId: r.entity_id,
          summary: typeof r.summary === "string" ? JSON.parse(r.summary) : r.summary,
          commandId: r.command_id,
          hash: r.hash,
          subjectName: r.subject_name,
          className: r.class_name,
          startsAt: r.starts_at === null ? null : new Date(r.starts_at).getTime(),
        })),
        nextBeforeSeq: rows.length > limit ? Number(page[page.length - 1]!.pos) : null,
      };
    },
  };
}
