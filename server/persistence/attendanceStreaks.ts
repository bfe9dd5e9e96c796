/**
 * What attendance adds to a member's training record in a gym: the active-day streak (and its best), the
 * `checkin_milestone` and `streak_milestone` feed events, and the members' new totals on the gym's attendance
 * boards. Called by the training step of a commit (`trainingHooks.ts`); `streakEvent` also by a logged workout.
 */
import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/core";
import { isCheckInMilestone, type NewFeedEvent } from "../../domain/feed/events.js";
import type { AttendanceEvent } from "../../domain/model.js";
import { addDays, localDate } from "../../domain/schedule/timeZone.js";
import { activeStreak, streakMilestoneReached } from "../../domain/workouts/freeWorkout.js";
import { nextStreak } from "../../domain/attendance/streak.js";
import type { TotalUpdate } from "./boardCache.js";
import { periodBounds } from "../../domain/workouts/gymBoards.js";
import { appendFeedEvents } from "./feedStore.js";

const DAY = 86_400_000;

type Count = string | number;
type Instantish = Date | string | null;
type ProgressRow = {
  member_id: string;
  streak: number;
  last_active_day: string | null;
  attended: Count;
  week_n: Count;
  week_last: Instantish;
  month_n: Count;
  month_last: Instantish;
};
type Window = { from: number; to: number };

const run = (tx: EntityManager, sql: string, params: unknown[]) =>
  tx.getConnection().execute(sql, params, "run", tx.getTransactionContext());
const all = async <T>(tx: EntityManager, sql: string, params: unknown[]): Promise<T[]> =>
  (await tx.getConnection().execute(sql, params, "all", tx.getTransactionContext())) as T[];
const marks = (n: number) => Array.from({ length: n }, () => "?").join(", ");

/**
 * Ensures a progress row per member and locks them (concurrent commits about one member take turns), with
 * each member's stored attendance count in the gym (this batch's rows are not flushed yet).
 */
async function lockProgress(
  tx: EntityManager,
  gymId: string,
  memberIds: string[],
  now: number,
  week: Window,
  month: Window,
): Promise<Map<string, ProgressRow>> {
  const params: unknown[] = [];
  const values = memberIds.map((m) => {
    params.push(randomUUID(), gymId, m, new Date(now));
    return "(?, ?, ?, 0, 0, 0, 0, null, ?)";
  });
  await run(
    tx,
    `insert into member_progress (id, gym_id, member_id, xp, workouts, streak, best_streak, last_active_day, updated_at) values ${values.join(", ")} on conflict (gym_id, member_id) do nothing`,
    params,
  );
  const rows = await all<ProgressRow>(
    tx,
    `select p.member_id, p.streak, p.last_active_day,
       (select count(*) from attendance_event a where a.gym_id = p.gym_id and a.member_id = p.member_id) as attended,
       (select count(*) from attendance_event a where a.gym_id = p.gym_id and a.member_id = p.member_id and a.at >= ? and a.at < ?) as week_n,
       (select max(a.at) from attendance_event a where a.gym_id = p.gym_id and a.member_id = p.member_id and a.at >= ? and a.at < ?) as week_last,
       (select count(*) from attendance_event a where a.gym_id = p.gym_id and a.member_id = p.member_id and a.at >= ? and a.at < ?) as month_n,
       (select max(a.at) from attendance_event a where a.gym_id = p.gym_id and a.member_id = p.member_id and a.at >= ? and a.at < ?) as month_last
     from member_progress p where p.gym_id = ? and p.member_id in (${marks(memberIds.length)}) order by p.member_id for update`,
    [...[week, week, month, month].flatMap((w) => [new Date(w.from), new Date(w.to)]), gymId, ...memberIds],
  );
  return new Map(rows.map((r) => [r.member_id, r]));
}

/** When a member was active in the gym over the last 400 days: attendances and logged workouts (stored rows). */
async function activeHistory(tx: EntityManager, gymId: string, memberId: string, now: number): Promise<number[]> {
  const since = new Date(now - 400 * DAY);
  const rows = await all<{ at: Date | string }>(
    tx,
    `select at from attendance_event where gym_id = ? and member_id = ? and at >= ? union all
     select performed_at as at from workout_log where gym_id = ? and member_id = ? and performed_at >= ?`,
    [gymId, memberId, since, gymId, memberId, since],
  );
  return rows.map((r) => new Date(r.at).getTime());
}

/**
 * Attendance recorded in this commit (class check-ins, open gym): advances each member's active-day
 * streak and appends `checkin_milestone` (10th, 50th, 100th… attendance in the gym) and `streak_milestone`
 * events. `recorded` are the batch's new attendance rows (not flushed yet); `removed` counts undone ones per member.
 */
export async function onAttendance(
  tx: EntityManager,
  gymId: string,
  timeZone: string,
  recorded: readonly AttendanceEvent[],
  removed: ReadonlyMap<string, number>,
  now: number,
  /** True when the batch's rows are already stored (applied after its commit): counts include them and lack the removed ones. */
  stored = false,
): Promise<AttendanceBoards> {
  const added = new Map<string, number>();
  for (const a of recorded) added.set(a.memberId, (added.get(a.memberId) ?? 0) + 1);
  if (stored && recorded.length > 0) {
    // Applied after the commit: a later commit may have undone some of the batch's rows already; count what is left.
    added.clear();
    const left = await all<{ member_id: string; n: Count }>(
      tx,
      `select member_id, count(*) as n from attendance_event where id in (${marks(recorded.length)}) group by member_id`,
      recorded.map((a) => a.id),
    );
    for (const r of left) added.set(r.member_id, Number(r.n));
  }
  const memberIds = [...added.keys()].sort();
  if (memberIds.length === 0) return { updates: [], drop: removed.size > 0 };
  const windows = { week: periodBounds("week", 0, now, timeZone), month: periodBounds("month", 0, now, timeZone) };
  const progress = await lockProgress(tx, gymId, memberIds, now, windows.week, windows.month);
  const updates: TotalUpdate[] = [];
  const today = localDate(now, timeZone);
  const events: NewFeedEvent[] = [];
  const streaks: unknown[] = [];
  for (const memberId of memberIds) {
    const p = progress.get(memberId)!;
    // Rows stored before the batch, then this batch's own on top (once applied after the commit, the count holds
    // them and whatever later commits did: milestones are counted up to today's total, once each by their dedupe key).
    const before = stored ? Number(p.attended) - added.get(memberId)! : Number(p.attended) - (removed.get(memberId) ?? 0);
    if (!removed.has(memberId)) {
      for (const period of ["week", "month"] as const) {
        const w = windows[period];
        const mine = recorded.filter((a) => a.memberId === memberId && a.at >= w.from && a.at < w.to).map((a) => a.at);
        const last = p[`${period}_last`];
        const total = Number(p[`${period}_n`]) + (stored ? 0 : mine.length);
        if (total > 0)
          updates.push({ period, from: w.from, memberId, total, lastAt: Math.max(last === null ? 0 : new Date(last).getTime(), ...mine) });
      }
    }
    const total = before + added.get(memberId)!;
    for (let n = Math.max(before, 0) + 1; n <= total; n++) {
      if (isCheckInMilestone(n))
        events.push({
          gymId,
          actorId: memberId,
          kind: "checkin_milestone",
          at: now,
          payload: { count: n },
          dedupeKey: `checkin_milestone:${memberId}:${n}`,
        });
    }
    if (p.last_active_day === today) continue;
    let streakBefore: number;
    let streak: number;
    if (p.last_active_day === null) {
      // First counted day since progress rows exist: read the streak off the history once (without this batch's rows).
      const mine = stored ? recorded.filter((a) => a.memberId === memberId).map((a) => a.at) : [];
      const history = (await activeHistory(tx, gymId, memberId, now)).filter((at) => {
        const i = mine.indexOf(at);
        if (i >= 0) mine.splice(i, 1);
        return i < 0;
      });
      streakBefore = activeStreak(history, now, timeZone);
      streak = activeStreak([...history, now], now, timeZone);
    } else {
      streakBefore = p.last_active_day === addDays(today, -1) ? p.streak : 0;
      streak = nextStreak({ streak: p.streak, lastActiveDay: p.last_active_day }, today);
    }
    streaks.push(memberId, streak);
    const milestone = streakMilestoneReached(streakBefore, streak);
    if (milestone !== null) events.push(streakEvent(gymId, memberId, milestone, today, now));
  }
  if (streaks.length > 0) {
    const rows = Array.from({ length: streaks.length / 2 }, () => "(?::uuid, ?::int)").join(", ");
    await run(
      tx,
      `update member_progress p set streak = v.streak, best_streak = greatest(p.best_streak, v.streak), last_active_day = ?, updated_at = ?
       from (values ${rows}) as v(member_id, streak) where p.gym_id = ? and p.member_id = v.member_id`,
      [today, new Date(now), ...streaks, gymId],
    );
  }
  await appendFeedEvents(tx, events);
  return { updates, drop: removed.size > 0 };
}

/** What attendance in a commit did to the gym's cached attendance boards: members' new totals, or drop them (an undo). */
export interface AttendanceBoards {
  updates: TotalUpdate[];
  drop: boolean;
}

/** The feed event of a streak milestone; one per member, length and day however it was reached. */
export function streakEvent(gymId: string, memberId: string, days: number, today: string, now: number): NewFeedEvent {
  return {
    gymId,
    actorId: memberId,
    kind: "streak_milestone",
    at: now,
    payload: { days },
    dedupeKey: `streak_milestone:${memberId}:${days}:${today}`,
  };
}
