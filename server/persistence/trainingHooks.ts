/**
 * The training step of a class or gym room's commit: what a batch did that counts for training (attendance
 * recorded or undone, members' first class results, boards touched), and applying it — streaks and milestones
 * (`attendanceStreaks.ts`), XP for a class result, distance challenge progress, trial leads.
 *
 * Off the room's critical path: a class or gym room's commit stores only what happened as an outbox row
 * ({@link trainingEffects}, see `outbox.ts`); right after the commit its own step applies it
 * ({@link applyTrainingEffects}) and deletes the row in one transaction — once, also after a crash.
 */
import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/core";
import type { NewFeedEvent } from "../../domain/feed/events.js";
import type { ClassStateEvent } from "../../domain/class/index.js";
import type { AttendanceEvent } from "../../domain/model.js";
import { Xp } from "../../domain/workouts/freeWorkout.js";
import type { BoardChange, BoardKind } from "./boardSink.js";
import type { WorkoutResult } from "../../domain/workouts/classBoard.js";
import type { NoticeSender, NoticeTransaction } from "../../app/notices/ports.js";
import { contributeResult, lockMember, tellHeld } from "./challengeProgress.js";
import { appendFeedEvents } from "./feedStore.js";
import { advanceTrialLeads } from "./leadVisits.js";
import { onAttendance } from "./attendanceStreaks.js";

/** A member's first result for a class workout earns {@link Xp.perClassResult}; replacing it earns nothing more. */
export async function onFirstClassResults(tx: EntityManager, gymId: string, memberIds: readonly string[], now: number): Promise<void> {
  if (memberIds.length === 0) return;
  const params: unknown[] = [];
  const values = memberIds.map((m) => {
    params.push(randomUUID(), gymId, m, Xp.perClassResult, new Date(now));
    return "(?, ?, ?, ?, 0, 0, 0, null, ?)";
  });
  await tx.getConnection().execute(
    `insert into member_progress (id, gym_id, member_id, xp, workouts, streak, best_streak, last_active_day, updated_at) values ${values.join(", ")}
     on conflict (gym_id, member_id) do update set xp = member_progress.xp + excluded.xp, updated_at = excluded.updated_at`,
    params,
    "run",
    tx.getTransactionContext(),
  );
}

/** Which gym leaderboards a class commit changes: attendance (check-ins, undone ones) and the benchmark board (results). */
export function boardsOfClassCommit(events: readonly ClassStateEvent[]): BoardKind[] {
  const boards = new Set<BoardKind>();
  for (const e of events) {
    if (e.type === "attendance.recorded" || e.type === "attendance.removed") boards.add("attendance");
    else if (e.type === "result.logged") boards.add("benchmark");
  }
  return [...boards];
}

/** What a batch did that counts for training, decided at commit time (plain data: it is stored in the outbox). */
export interface TrainingEffects {
  gymId: string;
  /** Null: read the gym's time zone when applying (open-gym check-ins from the gym room). */
  timeZone: string | null;
  recorded: AttendanceEvent[];
  /** Members whose stored attendance rows the batch removed, with how many. */
  removed: [string, number][];
  /** Members' first results for the class workout. */
  firsts: WorkoutResult[];
  workoutTitle: string | null;
  boards: BoardKind[];
  /** The commit's clock: applying later gives the same streak days and feed events. */
  now: number;
}

/** A class batch's training effects (null when it has none): attendance recorded or undone, and members' first results. */
export function trainingEffects(
  base: {
    gymId: string;
    timeZone: string;
    attendance: readonly AttendanceEvent[];
    resultIds: ReadonlySet<string>;
    workoutTitle: string | null;
  },
  events: readonly ClassStateEvent[],
  now: number,
): TrainingEffects | null {
  const recorded = new Map<string, AttendanceEvent>();
  const removed = new Map<string, number>();
  const firstResults = new Map<string, WorkoutResult>();
  let title = base.workoutTitle;
  for (const e of events) {
    if (e.type === "attendance.recorded") recorded.set(e.attendance.id, e.attendance);
    else if (e.type === "attendance.removed") {
      // Undone in the same batch: it never reaches the table; otherwise a stored row goes.
      if (!recorded.delete(e.attendanceId)) {
        const stored = base.attendance.find((a) => a.id === e.attendanceId);
        if (stored) removed.set(stored.memberId, (removed.get(stored.memberId) ?? 0) + 1);
      }
    } else if (e.type === "result.logged" && !base.resultIds.has(e.result.id)) firstResults.set(e.result.id, e.result);
    else if (e.type === "workout.set") title = e.workout.title;
  }
  const boards = boardsOfClassCommit(events);
  if (recorded.size === 0 && removed.size === 0 && firstResults.size === 0 && boards.length === 0) return null;
  return {
    gymId: base.gymId,
    timeZone: base.timeZone,
    recorded: [...recorded.values()],
    removed: [...removed],
    firsts: [...firstResults.values()],
    workoutTitle: title,
    boards,
    now,
  };
}

/**
 * Applies stored training effects after their commit (the batch's rows are stored): streaks and milestones,
 * XP, challenge progress; answers what it did to the gym's boards.
 */
export async function applyTrainingEffects(
  tx: EntityManager,
  fx: TrainingEffects,
  notices: { sender: NoticeSender; within: NoticeTransaction } | null = null,
): Promise<BoardChange & { leadsMoved?: boolean }> {
  const { gymId, now } = fx;
  const timeZone =
    fx.timeZone ??
    (
      await tx
        .getConnection()
        .execute<{ time_zone: string }[]>(`select time_zone from gym where id = ?`, [gymId], "all", tx.getTransactionContext())
    )[0]!.time_zone;
  const removed = new Map(fx.removed);
  const firsts = [...fx.firsts].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  // Member locks before progress rows, in id order — the order `user:logWorkout` takes them — so the two never deadlock.
  for (const m of [...new Set(firsts.filter((r) => r.score.type === "distance").map((r) => r.memberId))]) await lockMember(tx, m);
  const attendance =
    fx.recorded.length > 0 || removed.size > 0 ? await onAttendance(tx, gymId, timeZone, fx.recorded, removed, now, true) : null;
  await onFirstClassResults(tx, gymId, [...new Set(firsts.map((r) => r.memberId))], now);
  // A distance-scored workout of the day counts for distance challenges, the first time a member logs it.
  const completed: NewFeedEvent[] = [];
  for (const r of firsts) {
    const { contributions, events } = await contributeResult(tx, gymId, r.memberId, r.id, fx.workoutTitle ?? "", r.score, now);
    completed.push(...events);
    // Held for review: the member and the reviewers hear it as from a logged workout, in this transaction.
    const held = contributions.filter((c) => c.status === "held");
    if (notices) await tellHeld(tx, notices.sender, notices.within, gymId, r.memberId, held);
  }
  await appendFeedEvents(tx, completed);
  // A class check-in of someone a lead points to is their trial visit.
  const leadsMoved = await advanceTrialLeads(
    tx,
    gymId,
    fx.recorded.filter((a) => a.sessionId !== null).map((a) => a.memberId),
    now,
  );
  return {
    ...(leadsMoved ? { leadsMoved } : {}),
    gymId,
    boards: fx.boards,
    totals: attendance?.updates.length ? [{ board: "attendance", updates: attendance.updates }] : [],
    drop: attendance?.drop ? ["attendance"] : [],
  };
}
