import type { EntityManager } from "@mikro-orm/core";
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
import { changeSetParts, type ChangedRows, type NewRows, type StatementPart } from "./changeSetStatement.js";
import { weeklyLimitGuard } from "./standingGuards.js";
import { unnestRows } from "../db/statementRows.js";

/**
 * A batch of class events as parts of the commit statement: an existing row's committed version is compared with
 * its final one, column by column from the entity's metadata, and only what changed is written; new rows are written
 * whole; a removed row goes through the unit of work (its delete); credits move in one guarded update.
 */
export function classChanges(em: EntityManager, base: ClassRoomState, events: ClassStateEvent[], now: number) {
  const bookings = new Map<string, Booking>();
  const entries = new Map<string, WaitlistEntry>();
  let session: ClassSession | null = null;
  let workout: ClassWorkout | null = null;
  const results = new Map<string, WorkoutResult>();
  const creditDelta = new Map<string, number>();
  // Credits as the batch moves them: a member's committed credits read when the batch first touches them (not a map
  // of every member per commit).
  const known = new Map<string, number | null>();
  const creditsOf = (memberId: string) => (known.has(memberId) ? known.get(memberId) : base.cls.members[memberId]?.credits);
  // New rows go to the statement as plain data; only rows that existed are merged into the unit of work.
  const fees: object[] = [];
  const changedFees: Changed[] = [];
  const checkIns: object[] = [];
  const attended = new Map<string, object>();
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
        fees.push(e.fee);
        break;
      case "fee.waived":
        // A fee charged before and waived now (an undone no-show) is the same row; a fee waived by the rules is new.
        upsert(
          base.cls.fees.find((f) => f.id === e.fee.id),
          { ...e.fee, waived: true },
          fees,
          changedFees,
        );
        break;
      case "checkin.recorded":
        checkIns.push(e.checkIn);
        break;
      case "attendance.recorded":
        attended.set(e.attendance.id, e.attendance);
        break;
      case "attendance.removed":
        // Recorded in this very batch: it is simply not written. Else the stored row is deleted.
        if (!attended.delete(e.attendanceId)) em.remove(em.getReference(AttendanceEventEntity, e.attendanceId));
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
        const before = creditsOf(e.memberId) ?? 0;
        creditDelta.set(e.memberId, (creditDelta.get(e.memberId) ?? 0) + e.credits - (before ?? 0));
        known.set(e.memberId, e.credits);
        break;
      }
    }
  }
  const newBookings: object[] = [];
  const newEntries: object[] = [];
  const newResults: object[] = [];
  const changedBookings: Changed[] = [];
  const changedEntries: Changed[] = [];
  const changedResults: Changed[] = [];
  const changedSession: Changed[] = [];
  const changedWorkout: Changed[] = [];
  if (bookings.size > 0) {
    const storedBooking = storedRows(base.cls.bookings, bookings.size);
    for (const b of bookings.values()) upsert(storedBooking(b.id), b, newBookings, changedBookings);
  }
  if (entries.size > 0) {
    const storedEntry = storedRows(base.cls.waitlist, entries.size);
    for (const w of entries.values()) upsert(storedEntry(w.id), w, newEntries, changedEntries);
  }
  if (results.size > 0) {
    const storedResult = storedRows(base.cls.board.results, results.size);
    for (const r of results.values()) upsert(storedResult(r.id), r, newResults, changedResults);
  }
  if (session) upsert(base.cls.session, session, [], changedSession);
  const newWorkout: object[] = [];
  if (workout) upsert(base.cls.board.workout ?? undefined, workout, newWorkout, changedWorkout);
  const changed: ChangedRows[] = [
    { entity: BookingEntity, rows: changedBookings },
    { entity: WaitlistEntryEntity, rows: changedEntries },
    { entity: FeeEntity, rows: changedFees },
    { entity: WorkoutResultEntity, rows: changedResults },
    { entity: ClassSessionEntity, rows: changedSession },
    { entity: ClassWorkoutEntity, rows: changedWorkout },
  ];
  const inserts: NewRows[] = [
    { entity: BookingEntity, rows: newBookings },
    { entity: WaitlistEntryEntity, rows: newEntries },
    { entity: FeeEntity, rows: fees },
    { entity: CheckInEntity, rows: checkIns },
    { entity: AttendanceEventEntity, rows: [...attended.values()] },
    { entity: ClassWorkoutEntity, rows: newWorkout },
    { entity: WorkoutResultEntity, rows: newResults },
  ];
  const writes: StatementPart[] = changeSetParts(em, "w", inserts, changed);
  const guards: { sql: string; params: unknown[] }[] = [];
  const weekly = weeklyLimitGuard(base, events);
  if (weekly) guards.push(weekly);
  // Every member's credits in one update, each guarded: a member whose credits went elsewhere is not updated,
  // and then the statement is refused (`credits`, and whose).
  const moved = [...creditDelta].filter(([, delta]) => delta !== 0);
  if (moved.length > 0) {
    const rows = unnestRows(["uuid", "int"], moved);
    writes.push({
      name: "credited",
      sql: `update gym_membership m set credits = m.credits + v.delta from ${rows.sql} as v(user_id, delta)
          where m.gym_id = ? and m.user_id = v.user_id and m.credits is not null and m.credits + v.delta >= 0 and exists (select 1 from held) returning m.user_id, m.credits, v.delta`,
      params: [...rows.params, base.cls.session.gymId],
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

type Changed = ChangedRows["rows"][number];

/** A lookup of committed rows by id: a search each for a batch's few (no map of the class's rows per commit), a map for many. */
function storedRows<T extends { id: string }>(rows: readonly T[], lookups: number): (id: string) => T | undefined {
  if (lookups <= 4) return (id) => rows.find((r) => r.id === id);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return (id) => byId.get(id);
}

/** A row that existed goes to `changed` with its committed version (only what differs is written); a new row to `created`, whole. */
function upsert<T extends object>(previous: T | undefined, next: T, created: object[], changed: Changed[]): void {
  if (previous) changed.push({ previous, next });
  else created.push(next);
}
