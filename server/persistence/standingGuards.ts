import type { EntityManager } from "@mikro-orm/core";
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
  const standings = new Map<string, MemberStanding>(Object.entries(base.cls.members));
  const before = new Map(base.cls.bookings.map((b) => [b.id, b.status]));
  const out = new Map<string, number>();
  for (const e of events) {
    if (e.type === "standing.updated") standings.set(e.standing.memberId, e.standing);
    if (e.type !== "booking.created" && e.type !== "booking.updated") continue;
    const { id, memberId, status } = e.booking;
    const was = before.get(id);
    before.set(id, status);
    const plan = standings.get(memberId)?.entitlement;
    if (plan?.kind !== "weekly") continue;
    if (counted.has(status) && !(was && counted.has(was))) out.set(memberId, plan.classesPerWeek);
    else if (!counted.has(status)) out.delete(memberId);
  }
  return out;
}

/**
 * The commit's guard for weekly plans, like the credits guard (`credits + delta >= 0`): a room that
 * decided on a count that missed another room's booking must not store a booking over the limit.
 * The members' rows are locked first (in one ordered statement), so two commits for the same member
 * run one after the other and the second's count — a new statement, a new snapshot — sees the first.
 */
export async function guardWeeklyLimits(tx: EntityManager, base: ClassRoomState, events: readonly ClassStateEvent[]): Promise<void> {
  const members = newlyCounted(base, events);
  if (members.size === 0) return;
  const { session } = base.cls;
  const ids = [...members.keys()].sort();
  const marks = ids.map(() => "?").join(",");
  const conn = tx.getConnection();
  const ctx = tx.getTransactionContext();
  await conn.execute(`select user_id from gym_membership where gym_id = ? and user_id in (${marks}) order by user_id for update`, [session.gymId, ...ids], "all", ctx);
  const week = isoWeekBounds(session.startsAt, base.cls.timeZone);
  const rows: { member_id: string; n: string | number }[] = await conn.execute(
    `select b.member_id, count(*) as n from booking b join class_session s on s.id = b.session_id
      where b.gym_id = ? and b.member_id in (${marks}) and b.session_id <> ?
        and b.status in (${WeeklyCountedStatuses.map(() => "?").join(",")}) and s.starts_at >= ? and s.starts_at < ?
      group by b.member_id`,
    [session.gymId, ...ids, session.id, ...WeeklyCountedStatuses, new Date(week.start), new Date(week.end)],
    "all",
    ctx,
  );
  const over = rows.filter((r) => Number(r.n) >= members.get(r.member_id)!).map((r) => r.member_id);
  if (over.length > 0) throw new WeeklyLimitConflict(session.gymId, over, `weekly limit of ${over.join(",")} reached concurrently`);
}
