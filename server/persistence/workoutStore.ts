/**
 * Free workout logs (`user:logWorkout`): the workout, its exercises and sets, the member's personal
 * bests, XP and streak, challenge submissions and feed events — all in one transaction, or nothing.
 */
import { randomUUID } from "node:crypto";
import { LockMode, type EntityManager, type MikroORM } from "@mikro-orm/core";
import { periodBounds } from "../../domain/workouts/gymBoards.js";
import type { TotalUpdate } from "./boardCache.js";
import type { NewFeedEvent } from "../../domain/feed/events.js";
import { streakOf } from "../../domain/attendance/streak.js";
import {
  activeStreak,
  distanceOf,
  streakMilestoneReached,
  volumeOf,
  xpForWorkout,
  type WorkoutLogRecord,
} from "../../domain/workouts/freeWorkout.js";
import { detectPrs, prFeedEvent, recordOf, type LoggedWorkout } from "../../domain/workouts/prs.js";
import {
  AttendanceEventEntity,
  GymEntity,
  MemberProgressEntity,
  PersonalBestEntity,
  WorkoutExerciseEntity,
  WorkoutLogEntity,
  WorkoutSetEntity,
} from "../db/entities/index.js";
import { localDate } from "../../domain/schedule/timeZone.js";
import type { DomainError } from "../../domain/errors.js";
import {
  dailyVolumeRefusal,
  DailyVolumeWindowMs,
  DefaultDailyVolumeLimits,
  type DailyVolumeLimits,
} from "../../domain/workouts/dailyVolume.js";
import { contributeWorkout, lockMember, settleAttendance, tellHeld } from "./challengeProgress.js";
import { transactionWithNotices } from "./noticeJoin.js";
import type { NoticeSender } from "../../app/notices/ports.js";
import { boardsChanged } from "./boardSink.js";
import { streakEvent } from "./attendanceStreaks.js";
import { appendFeedEvents } from "./feedStore.js";

export interface LogWorkoutInput {
  gymId: string;
  memberId: string;
  /** The client's command id; a retry with it answers the first result. */
  commandId: string | null;
  workout: LoggedWorkout & { title?: string | undefined };
  now: number;
  /** What one member may log in 24 hours (default {@link DefaultDailyVolumeLimits}). */
  limits?: DailyVolumeLimits;
  /** Held challenge entries tell the member and the reviewers, in the log's transaction (absent: nobody is told). */
  notices?: NoticeSender;
}

const DAY = 86_400_000;

/** Stores a free workout atomically and answers what it earned, or LIMIT_EXCEEDED past the member's daily volume. */
export async function logWorkout(orm: Pick<MikroORM, "em">, input: LogWorkoutInput): Promise<Record<string, unknown> | DomainError> {
  const { gymId, memberId, commandId, workout, now } = input;
  const answer = await transactionWithNotices(orm.em.fork(), async (tx, within) => {
    // One member's logs (and challenge reviews) run one at a time: bests and streaks are read then written.
    await lockMember(tx, memberId);
    if (commandId !== null) {
      const first = await tx.findOne(WorkoutLogEntity, { memberId, commandId });
      if (first) return { result: first.result, totals: null };
    }
    // Counted under the member lock, so parallel logs cannot all pass on the same count.
    const refused = dailyVolumeRefusal(
      await loggedSince(tx, memberId, now - DailyVolumeWindowMs),
      setCount(workout),
      input.limits ?? DefaultDailyVolumeLimits,
    );
    if (refused) return { refused };
    const gym = await tx.findOneOrFail(GymEntity, { id: gymId });
    const keys = [
      ...new Set(workout.exercises.flatMap((e) => e.sets.map((s) => recordOf(e.movement, s)?.key).filter((k): k is string => !!k))),
    ];
    const stored = keys.length ? await tx.find(PersonalBestEntity, { memberId, recordKey: { $in: keys } }) : [];
    const detection = detectPrs(workout, Object.fromEntries(stored.map((b) => [b.recordKey, b.value])));

    const logId = randomUUID();
    const setIds = workout.exercises.map((e) => e.sets.map(() => randomUUID()));
    workout.exercises.forEach((e, i) => {
      const exerciseId = randomUUID();
      tx.create(WorkoutExerciseEntity, { id: exerciseId, logId, memberId, position: i, movement: e.movement });
      e.sets.forEach((s, j) =>
        tx.create(WorkoutSetEntity, {
          id: setIds[i]![j]!,
          logId,
          exerciseId,
          memberId,
          position: j,
          reps: s.reps ?? null,
          grams: s.grams ?? null,
          ms: s.ms ?? null,
          meters: s.meters ?? null,
          isPr: detection.marks[i]![j]!,
        }),
      );
    });
    for (const pr of detection.prs) {
      const best = stored.find((b) => b.recordKey === pr.key);
      const setId = setIds[pr.exercise]![pr.set]!;
      if (best) tx.assign(best, { value: pr.value, setId, achievedAt: now });
      else
        tx.create(PersonalBestEntity, {
          id: randomUUID(),
          memberId,
          recordKey: pr.key,
          movement: pr.movement,
          kind: pr.kind,
          value: pr.value,
          setId,
          achievedAt: now,
        });
    }

    // Streak of active days (classes attended or workouts logged), before and after this one.
    const since = now - 400 * DAY;
    const [attendance, logs] = await Promise.all([
      tx.find(AttendanceEventEntity, { gymId, memberId, at: { $gte: since } }, { fields: ["at"] }),
      tx.find(WorkoutLogEntity, { gymId, memberId, performedAt: { $gte: since } }, { fields: ["performedAt"] }),
    ]);
    const activeAt = [...attendance.map((a) => a.at), ...logs.map((l) => l.performedAt)];
    const streakBefore = activeStreak(activeAt, now, gym.timeZone);
    // The answer carries the streak from the one definition (streakOf); the progress row only stores it.
    const { current: streak, best } = streakOf([...activeAt, now], now, gym.timeZone);
    const xp = xpForWorkout(workout, detection.prs.length);
    // The check-in hook and class results write this row too (in their own commits): create it if missing, then lock it.
    await tx.getConnection().execute(
      `insert into member_progress (id, gym_id, member_id, xp, workouts, streak, best_streak, last_active_day, updated_at)
       values (?, ?, ?, 0, 0, 0, 0, null, ?) on conflict (gym_id, member_id) do nothing`,
      [randomUUID(), gymId, memberId, new Date(now)],
      "run",
      tx.getTransactionContext(),
    );
    const progress = await tx.findOneOrFail(MemberProgressEntity, { gymId, memberId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const today = localDate(now, gym.timeZone);
    tx.assign(progress, {
      xp: progress.xp + xp,
      workouts: progress.workouts + 1,
      streak,
      bestStreak: Math.max(progress.bestStreak, best),
      lastActiveDay: today,
      updatedAt: now,
    });

    const { contributions, events: challengeEvents } = await contributeWorkout(tx, gymId, memberId, logId, workout, now);
    const attendanceEvents = await settleAttendance(tx, gymId, memberId, now);
    if (input.notices)
      await tellHeld(
        tx,
        input.notices,
        within,
        gymId,
        memberId,
        contributions.filter((c) => c.status === "held"),
      );

    const volume = volumeOf(workout);
    const result: Record<string, unknown> = {
      workoutId: logId,
      prs: detection.prs.map((p) => ({
        exercise: p.exercise,
        set: p.set,
        movement: p.movement,
        kind: p.kind,
        value: p.value,
        previous: p.previous,
      })),
      xp,
      totalXp: progress.xp,
      streak,
      bestStreak: progress.bestStreak,
      volumeKg: volume / 1_000,
      challenges: contributions,
    };
    const log: WorkoutLogRecord = {
      id: logId,
      gymId,
      memberId,
      title: workout.title ?? null,
      performedAt: now,
      commandId,
      volume,
      distanceMeters: distanceOf(workout),
      prCount: detection.prs.length,
      xp,
      result,
    };
    tx.create(WorkoutLogEntity, log);

    const events: NewFeedEvent[] = [
      {
        gymId,
        actorId: memberId,
        kind: "workout_logged",
        at: now,
        dedupeKey: `workout_logged:${logId}`,
        payload: {
          workoutId: logId,
          title: log.title,
          exercises: workout.exercises.length,
          volumeKg: volume / 1_000,
          distanceMeters: log.distanceMeters,
        },
      },
    ];
    const pr = prFeedEvent(detection);
    if (pr)
      events.push({
        gymId,
        actorId: memberId,
        kind: "pr",
        at: now,
        dedupeKey: `pr:${logId}`,
        payload: { workoutId: logId, count: pr.count, movements: pr.movements },
      });
    const milestone = streakMilestoneReached(streakBefore, streak);
    if (milestone !== null) events.push(streakEvent(gymId, memberId, milestone, today, now));
    events.push(...challengeEvents, ...attendanceEvents);
    await tx.flush();
    await appendFeedEvents(tx, events);
    return { result, totals: volume > 0 ? await volumeTotals(tx, gymId, memberId, now, gym.timeZone) : [] };
  });
  if ("refused" in answer && answer.refused) return answer.refused;
  // A retry stored nothing new: nothing changed on any board.
  if (answer.totals)
    boardsChanged(orm, { gymId, boards: answer.totals.length ? ["volume"] : [], totals: [{ board: "volume", updates: answer.totals }] });
  return answer.result;
}

const setCount = (workout: LoggedWorkout) => workout.exercises.reduce((n, e) => n + e.sets.length, 0);

/** Logs and sets the member stored (in any gym) after `since`: through the (member_id, performed_at) and log_id indexes. */
async function loggedSince(tx: EntityManager, memberId: string, since: number): Promise<{ logs: number; sets: number }> {
  const [row] = (await tx.getConnection().execute(
    `select count(*)::int as logs, coalesce(sum((select count(*) from workout_set s where s.log_id = l.id)), 0)::int as sets
     from workout_log l where l.member_id = ? and l.performed_at > ?`,
    [memberId, new Date(since)],
    "all",
    tx.getTransactionContext(),
  )) as { logs: number; sets: number }[];
  return { logs: Number(row?.logs ?? 0), sets: Number(row?.sets ?? 0) };
}

/** The member's volume totals this week and month after the log (it is flushed), for cached volume boards. */
async function volumeTotals(tx: EntityManager, gymId: string, memberId: string, now: number, timeZone: string): Promise<TotalUpdate[]> {
  const out: TotalUpdate[] = [];
  for (const period of ["week", "month"] as const) {
    const w = periodBounds(period, 0, now, timeZone);
    const [row] = (await tx.getConnection().execute(
      `select coalesce(sum(volume), 0) as total, max(performed_at) as last_at from workout_log
       where gym_id = ? and member_id = ? and performed_at >= ? and performed_at < ? and volume > 0`,
      [gymId, memberId, new Date(w.from), new Date(w.to)],
      "all",
      tx.getTransactionContext(),
    )) as { total: string | number; last_at: Date | string | null }[];
    if (row && row.last_at !== null)
      out.push({ period, from: w.from, memberId, total: Number(row.total), lastAt: new Date(row.last_at).getTime() });
  }
  return out;
}
