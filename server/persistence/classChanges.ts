import type { EntityManager, EntitySchema } from "@mikro-orm/core";
import type { ClassStateEvent } from "../../domain/class/index.js";
import type { Booking, ClassSession, WaitlistEntry } from "../../domain/model.js";
import type { ClassRoomState } from "../../domain/views/classView.js";
import type { ClassWorkout, WorkoutResult } from "../../domain/workouts/classBoard.js";
import {
  AttendanceEventEntity,
  BookingEntity,
  CheckInEntity,
  ClassSessionEntity,
  ClassWorkoutEntity,
  FeeEntity,
  WaitlistEntryEntity,
  WorkoutResultEntity,
} from "../db/entities/index.js";
import { changeSetParts, type StatementPart } from "./changeSetStatement.js";
import { weeklyLimitGuard } from "./standingGuards.js";

/**
 * A batch of class events as parts of the commit statement: the entity changes go through a unit of work
 * (merge the committed version, assign the final one, so only what changed is written), and its change sets
 * become the statement's writes; credits move in one guarded update.
 */
export function classChanges(em: EntityManager, base: ClassRoomState, events: ClassStateEvent[], now: number) {
  const bookings = new Map<string, Booking>();
  const entries = new Map<string, WaitlistEntry>();
  let session: ClassSession | null = null;
  let workout: ClassWorkout | null = null;
  const results = new Map<string, WorkoutResult>();
  const creditDelta = new Map<string, number>();
  const known = new Map<string, number | null>(Object.values(base.cls.members).map((m) => [m.memberId, m.credits]));
  for (const e of events) {
    switch (e.type) {
      case "booking.created":
      case "booking.updated":
        bookings.set(e.booking.id, e.booking);
        break;
      case "waitlist.updated":
        for (const entry of e.entries) entries.set(entry.id, entry);
        break;
      case "session.updated":
        session = e.session;
        break;
      case "fee.charged":
        em.create(FeeEntity, { ...e.fee });
        break;
      case "fee.waived":
        // A fee charged before and waived now (an undone no-show) is the same row; a fee waived by the rules is new.
        upsert(em, FeeEntity, base.cls.fees.find((f) => f.id === e.fee.id), { ...e.fee, waived: true });
        break;
      case "checkin.recorded":
        em.create(CheckInEntity, { ...e.checkIn });
        break;
      case "attendance.recorded":
        em.create(AttendanceEventEntity, { ...e.attendance });
        break;
      case "attendance.removed":
        em.remove(em.getReference(AttendanceEventEntity, e.attendanceId));
        break;
      case "workout.set":
        workout = e.workout;
        break;
      case "result.logged":
        results.set(e.result.id, e.result);
        break;
      case "standing.updated":
        known.set(e.standing.memberId, e.standing.credits);
        break;
      case "credits.changed": {
        const before = known.get(e.memberId) ?? 0;
        creditDelta.set(e.memberId, (creditDelta.get(e.memberId) ?? 0) + e.credits - (before ?? 0));
        known.set(e.memberId, e.credits);
        break;
      }
    }
  }
  const baseBookings = new Map(base.cls.bookings.map((b) => [b.id, b]));
  for (const b of bookings.values()) upsert(em, BookingEntity, baseBookings.get(b.id), b);
  const baseEntries = new Map(base.cls.waitlist.map((w) => [w.id, w]));
  for (const w of entries.values()) upsert(em, WaitlistEntryEntity, baseEntries.get(w.id), w);
  if (session) upsert(em, ClassSessionEntity, base.cls.session, session);
  if (workout) upsert(em, ClassWorkoutEntity, base.cls.board.workout ?? undefined, workout);
  const baseResults = new Map(base.cls.board.results.map((r) => [r.id, r]));
  for (const r of results.values()) upsert(em, WorkoutResultEntity, baseResults.get(r.id), r);
  const writes: StatementPart[] = changeSetParts(em);
  const guards: { sql: string; params: unknown[] }[] = [];
  const weekly = weeklyLimitGuard(base, events);
  if (weekly) guards.push(weekly);
  // Every member's credits in one update, each guarded: a member whose credits went elsewhere is not updated,
  // and then the statement is refused (`credits`, and whose).
  const moved = [...creditDelta].filter(([, delta]) => delta !== 0);
  if (moved.length > 0) {
    writes.push({
      name: "credited",
      sql: `update gym_membership m set credits = m.credits + v.delta from (values ${moved.map(() => "(?::uuid, ?::int)").join(", ")}) as v(user_id, delta)
          where m.gym_id = ? and m.user_id = v.user_id and m.credits is not null and m.credits + v.delta >= 0 and exists (select 1 from held) returning m.user_id, m.credits, v.delta`,
      params: [...moved.flat(), base.cls.session.gymId],
    });
    // The ledger entry of each move, in the same statement as the cached balance (docs/domain.md "Plans, packs and the ledger").
    writes.push({
      name: "ledgered",
      sql: `insert into credit_ledger (id, gym_id, member_id, at, kind, amount, balance_after, actor_id, reason, ref)
          select gen_random_uuid(), ?, c.user_id, ?, case when c.delta < 0 then 'booking' else 'refund' end, c.delta, c.credits, null, '', ? from credited c`,
      params: [base.cls.session.gymId, new Date(now), base.cls.session.id],
    });
    guards.push({
      sql: `select room_commit_refused('credits', string_agg(x, ',')) from unnest(string_to_array(?::text, ',')) x
             where x::uuid not in (select user_id from credited) having count(*) > 0`,
      params: [moved.map(([m]) => m).join(",")],
    });
  }
  return { writes, guards };
}

/** Registers `previous` as the known database row (no query) and assigns `next`, so the flush writes only what changed. */
function upsert<T extends object>(em: EntityManager, entity: EntitySchema<T, never>, previous: T | undefined, next: T): void {
  if (previous) {
    const managed = em.merge(entity as never, { ...previous } as never);
    em.assign(managed as never, { ...next } as never);
  } else {
    em.create(entity as never, { ...next } as never);
  }
}
