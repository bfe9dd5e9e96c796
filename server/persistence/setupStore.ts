/**
 * Setting a gym up (`app/setup/ports.ts`) over PostgreSQL: one transaction per request with its audit rows last,
 * idempotent by command id (`auditedTransaction`).
 */
import { LockMode, type EntityManager, type MikroORM } from "@mikro-orm/core";
import type { AdminAudit } from "../../app/admin/ports.js";
import type { SetupStore, SetupTx } from "../../app/setup/ports.js";
import type { SeriesSession } from "../../domain/schedule/seriesChange.js";
import type { ClassSession } from "../../domain/model.js";
import { CoachRoles } from "../../domain/roles.js";
import { auditedTransaction } from "./auditedTransaction.js";
import {
  ClassSessionEntity,
  ClassTypeEntity,
  GymEntity,
  GymMembershipEntity,
  LocationEntity,
  LocationRoomEntity,
  RecurringScheduleEntity,
} from "../db/entities/index.js";

type Counts = { session_id: string; booked: string | number; waitlisted: string | number };

/** Live bookings and open waitlist places of the sessions, in one statement. */
async function withCounts(tx: EntityManager, sessions: ClassSession[]): Promise<SeriesSession[]> {
  if (sessions.length === 0) return [];
  const rows = await tx.getConnection().execute<Counts[]>(
    `select s.id as session_id,
       (select count(*) from booking b where b.session_id = s.id and b.status in ('booked', 'checked_in')) as booked,
       (select count(*) from waitlist_entry w where w.session_id = s.id and w.status in ('waiting', 'offered')) as waitlisted
     from class_session s where s.id in (${sessions.map(() => "?").join(", ")})`,
    sessions.map((s) => s.id),
    "all",
    tx.getTransactionContext(),
  );
  const byId = new Map((rows as Counts[]).map((r) => [r.session_id, r]));
  return sessions.map((s) => ({
    session: {
      id: s.id,
      scheduleId: s.scheduleId,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      capacity: s.capacity,
      coachId: s.coachId,
      status: s.status,
    },
    booked: Number(byId.get(s.id)?.booked ?? 0),
    waitlisted: Number(byId.get(s.id)?.waitlisted ?? 0),
  }));
}

function setupTx(tx: EntityManager, audits: AdminAudit[]): SetupTx {
  return {
    async gym(gymId, lock) {
      const g = await tx.findOne(GymEntity, { id: gymId }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true } : {});
      return g
        ? {
            name: g.name,
            timeZone: g.timeZone,
            locale: g.locale ?? "en",
            openingHours: g.openingHours ?? null,
            needsSetup: g.needsSetup === true,
            policy: { ...g.policy },
          }
        : null;
    },
    async saveGym(gymId, d) {
      await tx.nativeUpdate(
        GymEntity,
        { id: gymId },
        { name: d.name, timeZone: d.timeZone, locale: d.locale, openingHours: d.openingHours, needsSetup: d.needsSetup, policy: d.policy },
      );
    },
    async locations(gymId) {
      const rows = await tx.find(LocationEntity, { gymId }, { orderBy: { name: "asc" } });
      return rows.map((l) => ({ id: l.id, gymId: l.gymId, name: l.name, address: l.address ?? "", archived: l.archived === true }));
    },
    saveLocation: async (l) => void (await tx.upsert(LocationEntity, l)),
    async rooms(gymId) {
      return (await tx.find(LocationRoomEntity, { gymId }, { orderBy: { name: "asc" } })).map((r) => ({ ...r }));
    },
    saveRoom: async (r) => void (await tx.upsert(LocationRoomEntity, r)),
    async classTypes(gymId) {
      return (await tx.find(ClassTypeEntity, { gymId }, { orderBy: { name: "asc" } })).map((t) => ({
        ...t,
        archived: t.archived === true,
      }));
    },
    saveClassType: async (t) => void (await tx.upsert(ClassTypeEntity, t)),
    async coaches(gymId) {
      const staff = await tx.find(GymMembershipEntity, { gymId, role: { $in: [...CoachRoles] }, status: "active" }, { fields: ["userId"] });
      return staff.map((m) => m.userId);
    },
    async classesAt(gymId, from, to) {
      const found = await tx.find(
        ClassSessionEntity,
        { gymId, startsAt: { $gte: from, $lte: to } },
        { fields: ["classTypeId", "startsAt", "locationId"] },
      );
      return new Set(found.map((s) => `${s.classTypeId}|${s.startsAt}|${s.locationId}`));
    },
    addSessions: async (sessions) => void (sessions.length && (await tx.insertMany(ClassSessionEntity, sessions))),
    async series(gymId) {
      return (await tx.find(RecurringScheduleEntity, { gymId }, { orderBy: { startDate: "desc" }, limit: 500 })).map((s) => ({ ...s }));
    },
    saveSeries: async (s) => void (await tx.upsert(RecurringScheduleEntity, s)),
    async session(gymId, sessionId) {
      const s = await tx.findOne(ClassSessionEntity, { id: sessionId, gymId });
      return s ? ((await withCounts(tx, [s]))[0] ?? null) : null;
    },
    async seriesSessions(gymId, scheduleId, from, limit) {
      const sessions = await tx.find(
        ClassSessionEntity,
        { gymId, scheduleId, startsAt: { $gte: from } },
        { orderBy: { startsAt: "asc" }, limit },
      );
      return withCounts(tx, sessions);
    },
    audit: (a) => void audits.push(a),
  };
}

/** The store over an ORM (or, while seeding, any entity manager: each transaction forks it). */
export function setupStore(orm: Pick<MikroORM, "em">): SetupStore {
  return {
    read: (work) => orm.em.fork().transactional((tx) => work(setupTx(tx, []))),
    transaction: (actor, type, work) => auditedTransaction(orm, actor, type, setupTx, work),
  };
}
