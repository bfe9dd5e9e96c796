/**
 * Importing a gym's visit history (`app/setup/importHistory.ts`) over PostgreSQL: one transaction with its audit row
 * last, idempotent by command id (`auditedTransaction`).
 */
import type { EntityManager, MikroORM } from "@mikro-orm/core";
import type { AdminAudit } from "../../app/admin/ports.js";
import type { HistoryStore, HistoryTx } from "../../app/setup/importHistory.js";
import { auditedTransaction } from "./auditedTransaction.js";
import {
  AttendanceEventEntity,
  BookingEntity,
  CheckInEntity,
  ClassSessionEntity,
  FeeEntity,
  GymEntity,
  GymMembershipEntity,
} from "../db/entities/index.js";

/** Ids per `in (…)` list: well under PostgreSQL's bind-parameter limit. */
const CHUNK = 5000;
const chunks = <T>(xs: readonly T[]): T[][] =>
  Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, (i + 1) * CHUNK));

function historyTx(tx: EntityManager, audits: AdminAudit[]): HistoryTx {
  return {
    async gym(gymId) {
      const g = await tx.findOne(GymEntity, { id: gymId });
      return g ? { noShowFeeCents: g.policy.noShowFeeCents, currency: g.policy.currency } : null;
    },
    async sessions(gymId, ids) {
      const found = [];
      for (const part of chunks(ids))
        found.push(
          ...(await tx.find(ClassSessionEntity, { gymId, id: { $in: part } }, { fields: ["id", "startsAt", "endsAt", "status"] })),
        );
      return found.map((s) => ({ id: s.id, startsAt: s.startsAt, endsAt: s.endsAt, status: s.status }));
    },
    async members(gymId, ids) {
      const found = new Set<string>();
      for (const part of chunks(ids))
        for (const m of await tx.find(GymMembershipEntity, { gymId, role: "member", userId: { $in: part } }, { fields: ["userId"] }))
          found.add(m.userId);
      return found;
    },
    async booked(gymId, sessionIds) {
      const found = new Set<string>();
      for (const part of chunks(sessionIds))
        for (const b of await tx.find(BookingEntity, { gymId, sessionId: { $in: part } }, { fields: ["sessionId", "memberId"] }))
          found.add(`${b.sessionId}:${b.memberId}`);
      return found;
    },
    async add(r) {
      if (r.bookings.length) await tx.insertMany(BookingEntity, r.bookings);
      if (r.checkIns.length) await tx.insertMany(CheckInEntity, r.checkIns);
      if (r.attendance.length) await tx.insertMany(AttendanceEventEntity, r.attendance);
      if (r.fees.length) await tx.insertMany(FeeEntity, r.fees);
    },
    audit: (a) => void audits.push(a),
  };
}

/** The store over an ORM (or, while seeding, any entity manager: each transaction forks it). */
export function historyStore(orm: Pick<MikroORM, "em">): HistoryStore {
  return { transaction: (actor, type, work) => auditedTransaction(orm, actor, type, historyTx, work) };
}
