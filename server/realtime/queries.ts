import { AdminRoles, seesMoney } from "../../domain/roles.js";
import { randomBytes } from "node:crypto";
import type { MikroORM } from "@mikro-orm/core";
import { weeklyAdherence } from "../../domain/attendance/adherence.js";
import { streakOf } from "../../domain/attendance/streak.js";
import { DomainError } from "../../domain/errors.js";
import { answer, invalidPayload, refuse } from "../../domain/protocol/acks.js";
import type { DailyVolumeLimits } from "../../domain/workouts/dailyVolume.js";
import { parseRoomId } from "../../domain/protocol/envelope.js";
import { QuerySchemas, type QueryType } from "../../domain/protocol/queries.js";
import { addDays, localDate, startOfLocalDay } from "../../domain/schedule/timeZone.js";
import {
  AttendanceEventEntity,
  BookingEntity,
  CalendarFeedEntity,
  ClassSessionEntity,
  ClassTypeEntity,
  FeeEntity,
  GymEntity,
  GymMembershipEntity,
  MemberProgressEntity,
  MembershipPlanEntity,
  UserEntity,
  WorkoutLogEntity,
} from "../db/entities/index.js";
import type { ConsentKind } from "../../domain/privacy.js";
import { approveDeletion, exportUserData, recordConsent, requestDeletion, setLegalHold } from "../persistence/privacyStore.js";
import type { AccessControl } from "./access.js";
import type { MemberCodes } from "./memberCodes.js";
import type { ResidentStandings } from "../../rooms/residentStandings.js";
import { trainingQueries } from "./trainingQueries.js";
import { checkInQueries } from "./checkInQueries.js";
import { deskSnapshotQuery } from "./deskSnapshotQuery.js";
import type { PresenceCodes } from "../checkin/presenceCodes.js";
import type { ReadAudit } from "../audit/readAudit.js";
import { ANCHOR_ACTION } from "../audit/anchors.js";
import { revocationQueries } from "./revocationQueries.js";
import { adminQueries } from "./adminQueries.js";
import { leadQueries } from "./leadQueries.js";
import { segmentQueries } from "./segmentQueries.js";
import { reportQueries } from "./reportQueries.js";
import type { ClassCommands, DeskCommands, StandingNotifier } from "../../app/admin/ports.js";
import type { Revocation } from "./revocation.js";
import type { Sessions } from "../../app/signin/sessions.js";
import type { Invitations } from "../../app/signin/invitations.js";
import type { InvitationStore } from "../../app/signin/ports.js";
import { sessionQueries } from "./sessionQueries.js";
import { inboxQueries } from "./inboxQueries.js";
import type { GymQueryContext, InGym, Mine, QueryHandler, QueryHandlers } from "./queryHandler.js";


type AuditLogQuery = { limit?: number; beforeSeq?: number; action?: string; actorId?: string };
type AuditLogRow = {
  pos: number | string; at: Date | string; actor_id: string | null; actor_name: string | null; role: string | null; action: string;
  entity_type: string; entity_id: string | null; summary: unknown; command_id: string | null; hash: string;
  subject_name: string | null; class_name: string | null; starts_at: Date | string | null;
};







export interface QueryDeps {
  orm: MikroORM;
  access: AccessControl;
  codes: MemberCodes;
  presence: PresenceCodes;
  /** Staff reads of several people's personal data, or of a full profile, are audited through it (issue 14 item 6). */
  readAudit: ReadAudit;
  now: () => number;
  /** Absolute base URL for links handed out (calendar feeds). */
  publicUrl: () => string;
  /** A member's personal data was anonymized: live rooms (on every node) must stop showing it. */
  onAnonymized?: (memberId: string) => void;
  /** A user's consents or profile changed: resident standings (on every node) read them again. */
  onUserChanged?: (userId: string) => void;
  /** Members in memory: the desk's search reads them instead of the database. */
  resident?: ResidentStandings;
  /** What one member may log in 24 hours (default `DefaultDailyVolumeLimits`). */
  workoutLimits?: DailyVolumeLimits;
  /** Access or tokens were revoked (committed): every node applies it. */
  onRevoked: (r: Revocation) => Promise<void>;
  /** Sign-in sessions (absent when the node has no signing secret). */
  sessions?: Sessions | undefined;
  /** Sign-in's sessions and invitations for the `user:sessions` / `gym:invite` … requests (same condition). */
  signIn?: { sessions: Sessions; invitations: Invitations; invitationStore: InvitationStore } | undefined;
  /** Plans, credits or memberships changed: resident standings on every node read them again. */
  notes: StandingNotifier;
  /** Class rooms, for administration that acts on bookings (a freeze cancels the bookings inside it). */
  classes: ClassCommands & DeskCommands;
  /** The node's VAPID public key (null: no push on this server). */
  vapidPublicKey?: string | null;
}

/** Read-side requests (see `domain/protocol/queries.ts`), each validated and authorized. */
export function createQueries(d: QueryDeps): QueryHandlers {
  const em = () => d.orm.em.fork();

  /** Validates the payload and resolves the caller's membership in the room's gym (`gym:*` queries); `staffOnly` may list the roles allowed. */
  const inGym: InGym =
    <T>(type: QueryType, staffOnly: boolean | readonly string[], run: (ctx: GymQueryContext<T>) => Promise<unknown>): QueryHandler =>
    async ({ userId, room, payload, channels, commandId, client }) => {
      const parsed = QuerySchemas[type].safeParse(payload ?? {});
      if (!parsed.success) return invalidPayload(parsed.error.issues);
      const { kind, id } = parseRoomId(room);
      if (kind !== "gym") return refuse("NOT_FOUND");
      // The same rule as joining the gym room: a cancelled membership or an inactive staff account is FORBIDDEN.
      const access = await d.access.check(userId, room);
      if (!access.ok) return refuse(access.code, access.message);
      if (staffOnly && access.audience !== "staff") return refuse("FORBIDDEN");
      const role = access.caller.membership?.role ?? "member";
      if (Array.isArray(staffOnly) && !staffOnly.includes(role)) return refuse("FORBIDDEN");
      return answer(await run({ userId, gymId: id, role, payload: parsed.data as T, channels, commandId: commandId ?? null, ...(client ? { client } : {}) }));
    };

  /** Validates the payload and checks the room is the caller's own `user:` room. */
  const mine: Mine =
    <T>(type: QueryType, run: (ctx: { userId: string; payload: T; commandId: string | null; sessionId: string | null }) => Promise<unknown>): QueryHandler =>
    async ({ userId, room, payload, commandId, sessionId }) => {
      const parsed = QuerySchemas[type].safeParse(payload ?? {});
      if (!parsed.success) return invalidPayload(parsed.error.issues);
      if (room !== `user:${userId}`) return refuse("NOT_FOUND");
      // A valid token whose user has no row (yet) is answered like the `user:` room join, not INTERNAL.
      if (!(await em().count(UserEntity, { id: userId }))) return refuse("NOT_FOUND");
      const result = await run({ userId, payload: parsed.data as T, commandId: commandId ?? null, sessionId: sessionId ?? null });
      return result instanceof DomainError ? answer(result) : { ok: true, result };
    };

  const feedUrl = (token: string) => `${d.publicUrl()}/ical/${token}.ics`;
  const newFeed = async (userId: string, replace: boolean) => {
    const e = em();
    const existing = await e.findOne(CalendarFeedEntity, { userId });
    if (existing && !replace) return feedUrl(existing.token);
    const token = randomBytes(24).toString("base64url");
    if (existing) e.assign(existing, { token, createdAt: d.now() });
    else e.create(CalendarFeedEntity, { userId, token, createdAt: d.now() });
    await e.flush();
    return feedUrl(token);
  };

  return {
    ...trainingQueries({ orm: d.orm, access: d.access, now: d.now, inGym, mine, workoutLimits: d.workoutLimits, memberChanged: d.notes.memberChanged }),
    ...checkInQueries({ orm: d.orm, presence: d.presence, now: d.now, inGym }),
    ...deskSnapshotQuery({ orm: d.orm, codes: d.codes, readAudit: d.readAudit, now: d.now, inGym }),
    ...(d.signIn ? sessionQueries({ orm: d.orm, now: d.now, inGym, mine, ...d.signIn, onRevoked: d.onRevoked, readAudit: d.readAudit }) : {}),
    ...adminQueries({ orm: d.orm, now: d.now, inGym, readAudit: d.readAudit, notes: d.notes, classes: d.classes }),
    ...leadQueries({ orm: d.orm, now: d.now, inGym, readAudit: d.readAudit }),
    ...segmentQueries({ orm: d.orm, now: d.now, inGym, readAudit: d.readAudit, notes: d.notes, classes: d.classes }),
    ...reportQueries({ orm: d.orm, now: d.now, inGym, readAudit: d.readAudit }),
    ...inboxQueries({ orm: d.orm, now: d.now, mine, inGym, readAudit: d.readAudit, vapidPublicKey: d.vapidPublicKey ?? null }),
    ...revocationQueries({ orm: d.orm, now: d.now, inGym, mine, onRevoked: d.onRevoked, onUserChanged: d.onUserChanged, sessions: d.sessions }),
    "gym:me": inGym("gym:me", false, async ({ userId, gymId, role }) => {
      const e = em();
      const [user, gym] = await Promise.all([e.findOneOrFail(UserEntity, { id: userId }), e.findOneOrFail(GymEntity, { id: gymId })]);
      return { userId, name: user.name, role, gymId, gymName: gym.name, timeZone: gym.timeZone, currency: gym.policy.currency,
        requiredConsents: gym.policy.requiredConsents ?? {}, policy: gym.policy };
    }),

    "gym:searchMembers": inGym<{ q: string }>("gym:searchMembers", true, async ({ userId, gymId, payload, commandId }) => {
      // Contact details of up to 25 people: audited (counts only — the search text is free text and stays out).
      const audit = (results: number) =>
        d.readAudit.record({ gymId, actorId: userId, action: "gym:searchMembers", entityType: "member_search", entityId: null, summary: { results }, commandId, at: d.now() });
      if (d.resident) {
        const found = await d.resident.search(gymId, payload.q, 25);
        await audit(found.length);
        return { members: found.map((m) => ({ memberId: m.memberId, name: m.name, email: m.email, phone: m.phone, role: m.role, status: m.status, planName: m.planName })) };
      }
      const like = `%${payload.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const rows: Record<string, string | null>[] = await em().getConnection().execute(
        `select u.id as member_id, u.name, u.email, u.phone, m.role, m.status, p.name as plan_name
         from gym_membership m join app_user u on u.id = m.user_id left join membership_plan p on p.id = m.plan_id
         where m.gym_id = ? and (u.name ilike ? or u.email ilike ? or coalesce(u.phone, '') ilike ?)
         order by u.name limit 25`,
        [gymId, like, like, like],
      );
      await audit(rows.length);
      return {
        members: rows.map((r) => ({ memberId: r.member_id, name: r.name, email: r.email, phone: r.phone, role: r.role, status: r.status, planName: r.plan_name })),
      };
    }),

    "gym:memberProfile": inGym<{ memberId: string }>("gym:memberProfile", true, async ({ userId, gymId, role, payload, commandId }) => {
      const e = em();
      const [m, user, gym] = await Promise.all([
        e.findOne(GymMembershipEntity, { gymId, userId: payload.memberId }),
        e.findOne(UserEntity, { id: payload.memberId }),
        e.findOneOrFail(GymEntity, { id: gymId }),
      ]);
      if (!m || !user) return null;
      const now = d.now();
      const audited = d.readAudit.record({ gymId, actorId: userId, action: "gym:memberProfile", entityType: "member", entityId: user.id, summary: {}, commandId, at: now });
      const [plan, bookings, attendance, logs, fees] = await Promise.all([
        m.planId ? e.findOne(MembershipPlanEntity, { id: m.planId }) : null,
        e.find(BookingEntity, { gymId, memberId: user.id }, { orderBy: { createdAt: "desc" }, limit: 100 }),
        e.find(AttendanceEventEntity, { gymId, memberId: user.id, at: { $gte: now - 120 * 86_400_000 } }),
        e.find(WorkoutLogEntity, { gymId, memberId: user.id, performedAt: { $gte: now - 120 * 86_400_000 } }, { fields: ["performedAt"] }),
        e.find(FeeEntity, { gymId, memberId: user.id }, { orderBy: { createdAt: "desc" }, limit: 50 }),
      ]);
      const sessions = bookings.length ? await e.find(ClassSessionEntity, { id: { $in: bookings.map((b) => b.sessionId) } }) : [];
      const types = await e.find(ClassTypeEntity, { gymId });
      const label = new Map(sessions.map((s) => [s.id, { startsAt: s.startsAt, className: types.find((t) => t.id === s.classTypeId)?.name ?? "Class" }]));
      const lines = bookings.flatMap((b) => {
        const s = label.get(b.sessionId);
        return s ? [{ bookingId: b.id, sessionId: b.sessionId, status: b.status, ...s }] : [];
      });
      const money = seesMoney(role);
      await audited;
      return {
        memberId: user.id, name: user.name, email: user.email, phone: user.phone, role: m.role, status: m.status, notes: m.notes,
        joinedAt: m.joinedAt, plan: money && plan ? { name: plan.name, entitlement: plan.entitlement, weeklyTarget: plan.weeklyTarget } : null,
        credits: money ? m.credits : null, creditsExpireAt: money ? m.creditsExpireAt : null,
        upcoming: lines.filter((l) => l.startsAt >= now && (l.status === "booked" || l.status === "checked_in")).sort((a, b) => a.startsAt - b.startsAt),
        history: lines.filter((l) => l.startsAt < now).slice(0, 50),
        streak: streakOf([...attendance.map((a) => a.at), ...logs.map((l) => l.performedAt)], now, gym.timeZone).current,
        fees: money ? fees.map((f) => ({ id: f.id, kind: f.kind, amountCents: f.amountCents, currency: f.currency, createdAt: f.createdAt, waived: f.waived })) : null,
      };
    }),

    "gym:attendanceSeries": inGym<{ days: number }>("gym:attendanceSeries", true, async ({ gymId, payload }) => {
      const e = em();
      const gym = await e.findOneOrFail(GymEntity, { id: gymId });
      const today = localDate(d.now(), gym.timeZone);
      const first = addDays(today, -(payload.days - 1));
      const rows = await e.getConnection().execute<{ starts_at: Date | string; status: string }[]>(
        `select s.starts_at, b.status from booking b join class_session s on s.id = b.session_id
         where b.gym_id = ? and s.starts_at >= ? and s.starts_at < ? and b.status in ('booked', 'checked_in', 'no_show')`,
        [gymId, new Date(startOfLocalDay(first, gym.timeZone)), new Date(startOfLocalDay(addDays(today, 1), gym.timeZone))],
      );
      const days = Array.from({ length: payload.days }, (_, i) => ({ date: addDays(first, i), checkedIn: 0, booked: 0 }));
      const byDate = new Map(days.map((x) => [x.date, x]));
      for (const r of rows) {
        const day = byDate.get(localDate(new Date(r.starts_at).getTime(), gym.timeZone));
        if (!day) continue;
        day.booked += 1;
        if (r.status === "checked_in") day.checkedIn += 1;
      }
      return { days };
    }),

    "gym:auditLog": inGym<AuditLogQuery>("gym:auditLog", AdminRoles, async ({ gymId, payload }) => {
      const limit = payload.limit ?? 50;
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
      const rows = await em().getConnection().execute<AuditLogRow[]>(
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
          seq: Number(r.pos), at: new Date(r.at).getTime(), actorId: r.actor_id, actorName: r.actor_name, role: r.role, action: r.action,
          entityType: r.entity_type, entityId: r.entity_id, summary: typeof r.summary === "string" ? JSON.parse(r.summary) : r.summary,
          commandId: r.command_id, hash: r.hash,
          subjectName: r.subject_name, className: r.class_name, startsAt: r.starts_at === null ? null : new Date(r.starts_at).getTime(),
        })),
        nextBeforeSeq: rows.length > limit ? Number(page[page.length - 1]!.pos) : null,
      };
    }),

    "gym:approveDeletion": inGym<{ memberId: string }>("gym:approveDeletion", AdminRoles, async ({ userId, gymId, payload }) => {
      // Only members of this gym: another gym's member is NOT_FOUND, as everywhere.
      if (!(await em().count(GymMembershipEntity, { gymId, userId: payload.memberId }))) return null;
      const outcome = await approveDeletion(d.orm, gymId, payload.memberId, userId, d.now());
      if (outcome.ok && !outcome.result.alreadyDone) {
        d.onAnonymized?.(payload.memberId);
        d.onUserChanged?.(payload.memberId.toLowerCase());
        void d.onRevoked({ userId: payload.memberId.toLowerCase(), gymId: null, validAfter: outcome.result.approvedAt, deleted: true });
      }
      return outcome.ok ? outcome.result : new DomainError(outcome.code, outcome.message);
    }),

    "gym:setLegalHold": inGym<{ memberId: string; hold: boolean; reason: string }>("gym:setLegalHold", AdminRoles, async ({ userId, gymId, payload }) => {
      if (!(await em().count(GymMembershipEntity, { gymId, userId: payload.memberId }))) return null;
      return setLegalHold(d.orm, gymId, payload.memberId, payload.hold, payload.reason, userId, d.now());
    }),

    "user:me": mine("user:me", async ({ userId }) => {
      const e = em();
      const user = await e.findOneOrFail(UserEntity, { id: userId });
      const memberships = await e.find(GymMembershipEntity, { userId });
      const gyms = await e.find(GymEntity, { id: { $in: memberships.map((m) => m.gymId) } });
      const first = memberships[0];
      const gym = gyms.find((g) => g.id === first?.gymId);
      const now = d.now();
      let streak = 0;
      let week = { attended: 0, target: 0 };
      let training: { xp: number; workouts: number; streak: number; bestStreak: number } | null = null;
      if (first && gym) {
        const since = now - 400 * 86_400_000;
        const attendance = await e.find(AttendanceEventEntity, { gymId: gym.id, memberId: userId, at: { $gte: since } });
        const logs = await e.find(WorkoutLogEntity, { gymId: gym.id, memberId: userId, performedAt: { $gte: since } }, { fields: ["performedAt"] });
        const plan = first.planId ? await e.findOne(MembershipPlanEntity, { id: first.planId }) : null;
        // One streak for every screen: active days (classes or logged workouts), the same function the log's answer uses.
        const active = streakOf([...attendance.map((a) => a.at), ...logs.map((l) => l.performedAt)], now, gym.timeZone);
        streak = active.current;
        const a = weeklyAdherence(attendance, { now, timeZone: gym.timeZone, weeklyTarget: plan?.weeklyTarget ?? 0, weeks: 1, includeCurrentWeek: true });
        week = { attended: a.attended, target: a.target };
        const p = await e.findOne(MemberProgressEntity, { gymId: gym.id, memberId: userId });
        training = p ? { xp: p.xp, workouts: p.workouts, streak: active.current, bestStreak: Math.max(p.bestStreak, active.best) } : null;
      }
      return {
        userId, name: user.name, visible: user.visible,
        gyms: memberships.map((m) => ({ gymId: m.gymId, gymName: gyms.find((g) => g.id === m.gymId)?.name ?? "", role: m.role, status: m.status })),
        streak, weekAdherence: week, training, credits: first?.credits ?? null, creditsExpireAt: first?.creditsExpireAt ?? null,
      };
    }),

    "user:checkInCode": mine("user:checkInCode", async ({ userId }) => d.codes.issue(userId, d.now())),
    "user:icalLink": mine("user:icalLink", async ({ userId }) => ({ url: await newFeed(userId, false) })),
    "user:revokeIcal": mine("user:revokeIcal", async ({ userId }) => ({ url: await newFeed(userId, true) })),
    "user:exportData": mine("user:exportData", async ({ userId }) => {
      const data = await exportUserData(d.orm, userId, d.now());
      return data === "too_large"
        ? new DomainError("LIMIT_EXCEEDED", "Your data is too large to send here — download it as a file (GET /api/me/export.json).")
        : data;
    }),
    "user:requestDeletion": mine("user:requestDeletion", ({ userId }) => requestDeletion(d.orm, userId, d.now())),
    "user:consent": mine<{ kind: ConsentKind; version: string }>("user:consent", async ({ userId, payload }) => {
      const result = await recordConsent(d.orm, userId, payload.kind, payload.version, d.now());
      d.onUserChanged?.(userId);
      return result;
    }),
    "user:setVisibility": mine<{ visible: boolean }>("user:setVisibility", async ({ userId, payload }) => {
      await em().nativeUpdate(UserEntity, { id: userId }, { visible: payload.visible });
      d.onUserChanged?.(userId);
      return { visible: payload.visible };
    }),
  };
}
