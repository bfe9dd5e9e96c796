import { CoachRoles } from "../../domain/roles.js";
import type { EntityManager } from "@mikro-orm/core";
import { classWindows } from "../../domain/class/windows.js";
import type { DeskBooking } from "../../domain/checkin/deskDecision.js";
import { addDays, localDate, startOfLocalDay } from "../../domain/schedule/timeZone.js";
import { scheduleEntry, type CheckInStreamItem, type GymKpis, type GymRoomState, type ScheduleEntry } from "../../domain/views/gymView.js";
import { parseRoomId } from "../../domain/protocol/envelope.js";
import type { GymStore } from "../../rooms/GymRoom.js";
import {
  AttendanceEventEntity,
  CheckInEntity,
  ClassSessionEntity,
  ClassTypeEntity,
  GymEntity,
  GymMembershipEntity,
  LocationEntity,
  LocationRoomEntity,
  MembershipPlanEntity,
  MembershipStatusChangeEntity,
  RecurringScheduleEntity,
  UserEntity,
  WaiverSignatureEntity,
} from "../db/entities/index.js";
import { afterCommit, type StoreDeps } from "./classStore.js";
import { outboxInsert } from "./outbox.js";
import { anchorLater } from "../audit/anchors.js";
import { gymAuditRows } from "../audit/commitAudit.js";
import { commitRoom, readRoomMark, roomMarkColumns, roomMarkParams } from "./roomRecords.js";
import { changeSetParts } from "./changeSetStatement.js";
import { gymNoticeParts } from "./waiverAlerts.js";

/** Verifies a member's signed check-in code; returns the user id or null. */
export type CodeVerifier = (code: string) => Promise<string | null>;

type Counts = { session_id: string; booked: string | number; checked_in: string | number; waitlist: string | number };

async function scheduleOf(em: EntityManager, gymId: string, from: number, to: number): Promise<Record<string, ScheduleEntry>> {
  const sessions = await em.find(ClassSessionEntity, { gymId, startsAt: { $gte: from, $lt: to } }, { orderBy: { startsAt: "asc" } });
  if (sessions.length === 0) return {};
  const [types, locations, rooms, coaches, counts] = await Promise.all([
    em.find(ClassTypeEntity, { gymId }),
    em.find(LocationEntity, { gymId }),
    em.find(LocationRoomEntity, { gymId }),
    em.find(UserEntity, { id: { $in: [...new Set(sessions.map((s) => s.coachId).filter((x): x is string => !!x))] } }),
    em.getConnection().execute<Counts[]>(
      `select s.id as session_id,
         (select count(*) from booking b where b.session_id = s.id and b.status in ('booked', 'checked_in')) as booked,
         (select count(*) from booking b where b.session_id = s.id and b.status = 'checked_in') as checked_in,
         (select count(*) from waitlist_entry w where w.session_id = s.id and w.status in ('waiting', 'offered')) as waitlist,
         (select count(*) from waitlist_entry w where w.session_id = s.id and w.status = 'offered') as offered
       from class_session s where s.gym_id = ? and s.starts_at >= ? and s.starts_at < ?`,
      [gymId, new Date(from), new Date(to)],
    ),
  ]);
  const typeById = new Map(types.map((t) => [t.id, t]));
  const locById = new Map(locations.map((l) => [l.id, l.name]));
  const coachById = new Map(coaches.map((c) => [c.id, c.name]));
  const roomById = new Map(rooms.map((r) => [r.id, r.name]));
  const countById = new Map((counts as Counts[]).map((c) => [c.session_id, c]));
  const out: Record<string, ScheduleEntry> = {};
  for (const s of sessions) {
    const c = countById.get(s.id) as (Counts & { offered: string | number }) | undefined;
    const booked = Number(c?.booked ?? 0);
    const names = {
      classType: (id: string) => typeById.get(id),
      location: (id: string) => locById.get(id),
      coach: (id: string) => coachById.get(id),
      room: (id: string) => roomById.get(id),
    };
    out[s.id] = scheduleEntry(s, names, {
      booked,
      checkedIn: Number(c?.checked_in ?? 0),
      waitlist: Number(c?.waitlist ?? 0),
      spotsLeft: Math.max(0, s.capacity - booked - Number(c?.offered ?? 0)),
    });
  }
  return out;
}

async function kpisOf(em: EntityManager, gymId: string, from: number, to: number): Promise<GymKpis> {
  const [row] = await em.getConnection().execute<Record<string, string | number | null>[]>(
    `select
       (select count(*) from check_in where gym_id = ? and result = 'accepted' and at >= ? and at < ?) as check_ins,
       (select count(*) from booking where gym_id = ? and created_at >= ? and created_at < ?) as bookings,
       (select count(*) from booking b join class_session s on s.id = b.session_id where b.gym_id = ? and b.status = 'no_show' and s.starts_at >= ? and s.starts_at < ?) as no_shows,
       (select count(*) from booking b join class_session s on s.id = b.session_id where b.gym_id = ? and b.status = 'checked_in' and s.starts_at >= ? and s.starts_at < ?) as attended,
       (select coalesce(sum(amount_cents), 0) from fee where gym_id = ? and not waived and created_at >= ? and created_at < ?) as fees`,
    [
      gymId,
      new Date(from),
      new Date(to),
      gymId,
      new Date(from),
      new Date(to),
      gymId,
      new Date(from),
      new Date(to),
      gymId,
      new Date(from),
      new Date(to),
      gymId,
      new Date(from),
      new Date(to),
    ],
  );
  const attended = Number(row?.attended ?? 0);
  const noShows = Number(row?.no_shows ?? 0);
  return {
    checkIns: Number(row?.check_ins ?? 0),
    bookings: Number(row?.bookings ?? 0),
    noShows,
    attendanceRate: attended + noShows > 0 ? attended / (attended + noShows) : null,
    feesCents: Number(row?.fees ?? 0),
  };
}

/** Gym rooms over MikroORM. */
export function gymStore(deps: StoreDeps, verifyCode: CodeVerifier): GymStore {
  const { orm } = deps;
  return {
    async loadGym(room, gymId) {
      const em = orm.em.fork();
      const now = deps.now();
      // The version first (with the gym, in one statement), the rest after: a commit that lands in between is
      // in what we read and moved the version past ours, so our first commit decides again; none is missed.
      const [head] = await em
        .getConnection()
        .execute<Record<string, unknown>[]>(`select row_to_json(g) as gym, ${roomMarkColumns} from gym g where g.id = ?`, [
          ...roomMarkParams(room, now - deps.idempotencyWindowMs),
          gymId,
        ]);
      if (!head) return null;
      const gym = { ...em.map(GymEntity, head.gym as never) };
      const mark = readRoomMark(em, head);
      const today = localDate(now, gym.timeZone);
      const from = startOfLocalDay(today, gym.timeZone);
      const tomorrow = startOfLocalDay(addDays(today, 1), gym.timeZone);
      const until = startOfLocalDay(addDays(today, 7), gym.timeZone);
      const [locations, rooms, types, staff, schedule, kpis, recent] = await Promise.all([
        // Archived locations and rooms take no new classes; their classes keep the name on their schedule line.
        em.find(LocationEntity, { gymId, archived: false }),
        em.find(LocationRoomEntity, { gymId, archived: false }),
        em.find(ClassTypeEntity, { gymId }),
        em.find(GymMembershipEntity, { gymId, role: { $in: [...CoachRoles] }, status: "active" }),
        scheduleOf(em, gymId, from, until),
        kpisOf(em, gymId, from, tomorrow),
        em.find(CheckInEntity, { gymId, at: { $gte: from } }, { orderBy: { at: "desc" }, limit: 100 }),
      ]);
      const memberIds = [...new Set([...recent.map((c) => c.memberId).filter((x): x is string => !!x), ...staff.map((m) => m.userId)])];
      const users = memberIds.length ? await em.find(UserEntity, { id: { $in: memberIds } }) : [];
      const nameById = new Map(users.map((u) => [u.id, u.name]));
      const checkIns: CheckInStreamItem[] = recent.reverse().map((c) => ({
        id: c.id,
        memberId: c.memberId,
        name: (c.memberId && nameById.get(c.memberId)) || "Unknown member",
        at: c.at,
        result: c.result,
        reason: c.reason,
        className: c.sessionId ? (schedule[c.sessionId]?.className ?? null) : null,
        ...(c.override ? { override: c.override } : {}),
      }));
      const state: GymRoomState = {
        gym: { id: gym.id, name: gym.name, timeZone: gym.timeZone, currency: gym.policy.currency },
        policy: gym.policy,
        locations: Object.fromEntries(locations.map((l) => [l.id, l.name])),
        rooms: Object.fromEntries(rooms.map((r) => [r.id, { locationId: r.locationId, name: r.name }])),
        classTypes: Object.fromEntries(types.map((t) => [t.id, { ...t }])),
        coaches: Object.fromEntries(staff.map((m) => [m.userId, nameById.get(m.userId) ?? ""])),
        scheduleUntil: until,
        schedule,
        checkIns,
        kpis,
      };
      return { state, ...mark };
    },

    async findMember(gymId, who) {
      const userId = "code" in who ? await verifyCode(who.code) : who.memberId;
      if (!userId) return null;
      const em = orm.em.fork();
      const [m, user] = await Promise.all([em.findOne(GymMembershipEntity, { gymId, userId }), em.findOne(UserEntity, { id: userId })]);
      if (!m || !user) return null;
      const plan = m.planId ? await em.findOne(MembershipPlanEntity, { id: m.planId }) : null;
      const [last, signatures] = await Promise.all([
        em.findOne(AttendanceEventEntity, { gymId, memberId: userId, sessionId: null }, { orderBy: { at: "desc" } }),
        em.find(WaiverSignatureEntity, { gymId, memberId: userId }, { fields: ["version"] }),
      ]);
      return {
        standing: {
          memberId: userId,
          gymId,
          role: m.role,
          status: m.status,
          entitlement: plan?.entitlement ?? null,
          credits: m.credits,
          creditsExpireAt: m.creditsExpireAt,
          bookingsThisWeek: 0,
        },
        person: {
          name: user.name,
          email: user.email,
          phone: user.phone,
          visible: user.visible,
          membershipStatus: m.status,
          notes: m.notes,
          ...(plan?.kind === "trial" ? { trial: true } : {}),
        },
        lastOpenGymAt: last?.at ?? null,
        frozenUntil: m.frozenUntil ?? null,
        signedWaivers: signatures.map((s) => s.version),
      };
    },

    async findBookings(gymId, memberId, now) {
      const em = orm.em.fork();
      const rows: { session_id: string; status: "booked" | "checked_in" }[] = await em.getConnection().execute(
        `select s.id as session_id, b.status from booking b join class_session s on s.id = b.session_id
         where b.gym_id = ? and b.member_id = ? and b.status in ('booked', 'checked_in') and s.status = 'scheduled'
           and s.starts_at between ? and ? order by abs(extract(epoch from s.starts_at) - ?) limit 3`,
        [gymId, memberId, new Date(now - 6 * 3_600_000), new Date(now + 6 * 3_600_000), now / 1000],
      );
      if (rows.length === 0) return [];
      const sessions = await em.find(ClassSessionEntity, { id: { $in: rows.map((r) => r.session_id) } });
      const types = await em.find(ClassTypeEntity, { id: { $in: [...new Set(sessions.map((s) => s.classTypeId))] } });
      return rows.flatMap((r): DeskBooking[] => {
        const s = sessions.find((x) => x.id === r.session_id);
        if (!s) return [];
        const w = classWindows(s);
        const className = types.find((t) => t.id === s.classTypeId)?.name ?? "Class";
        return [
          {
            sessionId: s.id,
            className,
            sessionStatus: s.status,
            bookingStatus: r.status,
            startsAt: s.startsAt,
            checkInOpensAt: w.checkInOpensAt,
            checkInClosesAt: w.checkInClosesAt,
          },
        ];
      });
    },

    async statusChangesAfter(gymId, memberId, at) {
      const rows = await orm.em
        .fork()
        .find(MembershipStatusChangeEntity, { gymId, memberId, at: { $gt: at } }, { orderBy: { at: "asc" }, limit: 20 });
      return rows.map((r) => ({ at: r.at, from: r.fromStatus }));
    },

    async commitGym(room, changes, processed, mark) {
      const em = orm.em.fork();
      const now = deps.now();
      const audit = gymAuditRows(room, mark.audit, changes, processed, now);
      const attendance = changes.flatMap((c) => (c.type === "attendance" ? [c.attendance] : []));
      // Open-gym streaks and milestones, and the attendance boards: an outbox row in this commit, applied right after it.
      const outbox =
        attendance.length > 0
          ? outboxInsert(room, {
              gymId: parseRoomId(room).id,
              timeZone: null,
              recorded: attendance,
              removed: [],
              firsts: [],
              workoutTitle: null,
              boards: ["attendance"],
              now,
            })
          : null;
      for (const c of changes) {
        if (c.type === "checkin") em.create(CheckInEntity, { ...c.checkIn });
        else if (c.type === "attendance") em.create(AttendanceEventEntity, { ...c.attendance });
        else if (c.type === "classType") em.create(ClassTypeEntity, { ...c.classType });
        else if (c.type === "session") em.create(ClassSessionEntity, { ...c.session });
        else if (c.type === "schedule") em.create(RecurringScheduleEntity, { ...c.schedule });
      }
      const told = gymNoticeParts(parseRoomId(room).id, changes, now);
      // ONE statement: version check, answered commands, audit rows, the unit of work's inserts, the outbox row, staff's notices.
      const writes = changeSetParts(em);
      em.clear();
      const { collected, ...next } = await commitRoom(em, {
        room,
        mark,
        nodeId: deps.nodeId,
        now,
        processed,
        audit,
        writes: [...writes, ...(outbox ? [{ name: "outbox", ...outbox }] : []), ...told.writes],
        collect: told.collect,
      });
      anchorLater(orm, parseRoomId(room).id, room, next.audit);
      afterCommit(deps, outbox);
      const notices = told.stored(collected);
      if (notices.length > 0) deps.onNotices?.(notices);
      return { ...next, notices };
    },
  };
}
