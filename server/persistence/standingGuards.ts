import { WeeklyCountedStatuses, type ClassStateEvent, type MemberStanding } from "../../domain/class/index.js";
import type { BookingStatus } from "../../domain/model.js";
import { isoWeekBounds } from "../../domain/schedule/timeZone.js";
import type { ClassRoomState } from "../../domain/views/classView.js";
import { StandingConflict } from "../../rooms/ports.js";

/** A weekly plan's limit was reached by a booking the deciding room did not know about. */
export class WeeklyLimitConflict extends StandingConflict {}

const counted = new Set<BookingStatus>(WeeklyCountedStatuses);

/** Members on a weekly plan (as decided) whose booking at this session starts counting in this batch, with their limit. */
function newlyCounted(base: ClassRoomState, events: readonly ClassStateEvent[]): Map<string, number> {
  const refreshed = new Map<string, MemberStanding>();
  // Each booking's status before this event: earlier in the batch, else as loaded (indexed only when a weekly plan asks).
  const seen = new Map<string, BookingStatus>();
  let loaded: Map<string, BookingStatus> | null = null;
  const out = new Map<string, number>();
  for (const e of events) {
    if (e.type === "standing.updated") refreshed.set(e.standing.memberId, e.standing);
    if (e.type !== "booking.created" && e.type !== "booking.updated") continue;
    const { id, memberId, status } = e.booking;
    const plan = (refreshed.get(memberId) ?? base.cls.members[memberId])?.entitlement;
    if (plan?.kind === "weekly") {
      loaded ??= new Map(base.cls.bookings.map((b) => [b.id, b.status]));
      const was = seen.has(id) ? seen.get(id) : loaded.get(id);
      if (counted.has(status) && !(was && counted.has(was))) out.set(memberId, plan.classesPerWeek);
      else if (!counted.has(status)) out.delete(memberId);
    }
    seen.set(id, status);
  }
  return out;
}

/**
 * The commit's guard for weekly plans, like the credits guard (`credits + delta >= 0`): a room that decided on a
 * count that missed another room's booking must not store a booking over the limit. An expression for the
 * commit statement (null: nobody's weekly count grows): `room_weekly_over` locks the members' rows first (in
 * order), so two commits for the same member run one after the other, and then counts with a fresh snapshot,
 * which sees the first; over the limit, the statement is refused (`weekly`, and who).
 */
export function weeklyLimitGuard(base: ClassRoomState, events: readonly ClassStateEvent[]): { sql: string; params: unknown[] } | null {
  const members = newlyCounted(base, events);
  if (members.size === 0) return null;
  const { session } = base.cls;
  const ids = [...members.keys()].sort();
  const week = isoWeekBounds(session.startsAt, base.cls.timeZone);
  return {
    sql: `select room_commit_refused('weekly', o) from (select room_weekly_over(?::uuid, ?::text, ?::text, ?::uuid, ?::timestamptz, ?::timestamptz, ?::text) as o) x where o is not null`,
    params: [
      session.gymId,
      ids.join(","),
      ids.map((id) => members.get(id)!).join(","),
      session.id,
      new Date(week.start),
      new Date(week.end),
      WeeklyCountedStatuses.join(","),
    ],
  };
}
