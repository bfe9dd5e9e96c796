/**
 * What training does to challenges: a member's attendance, logged workouts and class results as progress and
 * submissions (counted, or held for review), completion and its feed event, and the notices of held entries.
 * Every change to a member's participation runs in a transaction that first locks that member's user row
 * ({@link lockMember}), so a log, a review and a join never interleave for one member.
 */
import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/core";
import type { NoticeSender, NoticeTransaction } from "../../app/notices/ports.js";
import { CoachRoles } from "../../domain/roles.js";
import { staffOf } from "./noticeJoin.js";
import {
  completesNow,
  contributionOf,
  inWindow,
  resultContribution,
  submissionStatus,
  type Challenge,
  type ChallengeParticipant,
} from "../../domain/challenges/challenge.js";
import type { NewFeedEvent } from "../../domain/feed/events.js";
import type { LoggedWorkout } from "../../domain/workouts/prs.js";
import type { Score } from "../../domain/workouts/scores.js";
import { AttendanceEventEntity, ChallengeEntity, ChallengeParticipantEntity, ChallengeSubmissionEntity } from "../db/entities/index.js";

/** Serializes every write about one member (row lock on their user row, held until the transaction ends). */
export async function lockMember(tx: EntityManager, memberId: string): Promise<void> {
  await tx.getConnection().execute(`select id from app_user where id = ? for update`, [memberId], "all", tx.getTransactionContext());
}

const completedEvent = (c: Challenge, memberId: string, now: number): NewFeedEvent => ({
  gymId: c.gymId,
  actorId: memberId,
  kind: "challenge_completed",
  at: now,
  payload: { challengeId: c.id, title: c.title, kind: c.kind, target: c.target },
  dedupeKey: `challenge_completed:${c.id}:${memberId}`,
});

/** Marks a joined participant complete when progress reached the target; returns the feed event to append. */
export function settle(c: Challenge, p: ChallengeParticipant, now: number): NewFeedEvent | null {
  if (!completesNow(p, p.progress, c.target)) return null;
  p.status = "completed";
  p.completedAt = now;
  return completedEvent(c, p.memberId, now);
}

/** Attendance challenges: progress is the member's attendances in the challenge window so far. */
export async function attendanceProgress(tx: EntityManager, c: Challenge, memberId: string, now: number): Promise<number> {
  return tx.count(AttendanceEventEntity, { gymId: c.gymId, memberId, at: { $gte: c.startsAt, $lt: Math.min(c.endsAt, now + 1) } });
}

/** Brings a member's attendance challenges in one gym up to date (progress, completion) inside `tx`. */
export async function settleAttendance(tx: EntityManager, gymId: string, memberId: string, now: number): Promise<NewFeedEvent[]> {
  const parts = await tx.find(ChallengeParticipantEntity, { gymId, memberId, status: "joined" });
  if (parts.length === 0) return [];
  const challenges = await tx.find(ChallengeEntity, { id: { $in: parts.map((p) => p.challengeId) }, kind: "attendance" });
  const events: NewFeedEvent[] = [];
  for (const c of challenges) {
    const p = parts.find((x) => x.challengeId === c.id)!;
    p.progress = await attendanceProgress(tx, c, memberId, now);
    const done = settle(c, p, now);
    if (done) events.push(done);
  }
  return events;
}

/** One line of a logged workout's effect on a challenge. */
export interface Contribution {
  challengeId: string;
  title: string;
  amount: number;
  status: "counted" | "held";
  completed: boolean;
}

/**
 * A logged workout's submissions to the member's running distance/volume challenges in this gym:
 * counted at once, or held for review when the jump is implausible. Runs inside the log's transaction.
 */
export function contributeWorkout(tx: EntityManager, gymId: string, memberId: string, logId: string, workout: LoggedWorkout, now: number) {
  return contribute(tx, gymId, memberId, { workoutLogId: logId, resultId: null }, (c) => contributionOf(c, workout), now);
}

/** A member's first class result, as a submission to their distance challenges (see `resultContribution`); inside the class commit. */
export async function contributeResult(
  tx: EntityManager,
  gymId: string,
  memberId: string,
  resultId: string,
  workoutTitle: string,
  score: Score,
  now: number,
) {
  if (score.type !== "distance") return { contributions: [], events: [] };
  await lockMember(tx, memberId);
  return contribute(tx, gymId, memberId, { workoutLogId: null, resultId }, (c) => resultContribution(c, workoutTitle, score), now);
}

async function contribute(
  tx: EntityManager,
  gymId: string,
  memberId: string,
  source: { workoutLogId: string | null; resultId: string | null },
  amountFor: (c: Challenge) => number,
  now: number,
): Promise<{ contributions: Contribution[]; events: NewFeedEvent[] }> {
  const parts = await tx.find(ChallengeParticipantEntity, { gymId, memberId, status: { $in: ["joined", "completed"] } });
  if (parts.length === 0) return { contributions: [], events: [] };
  const challenges = await tx.find(ChallengeEntity, {
    id: { $in: parts.map((p) => p.challengeId) },
    kind: { $in: ["distance", "volume"] },
  });
  const contributions: Contribution[] = [];
  const events: NewFeedEvent[] = [];
  for (const c of challenges) {
    if (!inWindow(c, now)) continue;
    const amount = amountFor(c);
    if (amount <= 0) continue;
    const p = parts.find((x) => x.challengeId === c.id)!;
    const status = submissionStatus(c.kind, amount);
    tx.create(ChallengeSubmissionEntity, {
      id: randomUUID(),
      challengeId: c.id,
      gymId,
      memberId,
      ...source,
      amount,
      status,
      createdAt: now,
      reviewedBy: null,
      reviewedAt: null,
    });
    if (status === "counted") p.progress += amount;
    const done = settle(c, p, now);
    if (done) events.push(done);
    contributions.push({ challengeId: c.id, title: c.title, amount, status, completed: p.status === "completed" });
  }
  return { contributions, events };
}

/**
 * Held submissions of one log: the member hears their entry waits for review, the gym's reviewers (owners, admins,
 * coaches) that one waits — in the log's own transaction.
 */
export async function tellHeld(
  tx: EntityManager,
  notices: NoticeSender,
  within: NoticeTransaction,
  gymId: string,
  memberId: string,
  held: readonly Contribution[],
) {
  if (held.length === 0) return;
  const titles = held
    .map((h) => `“${h.title}”`)
    .join(", ")
    .slice(0, 300);
  await notices.notify(
    [memberId],
    { kind: "challenge", text: `Your entry for ${titles} is held for a coach to check — it counts once approved.`, gymId },
    within,
  );
  const reviewers = await staffOf(tx, gymId, CoachRoles, [memberId]);
  await notices.notify(
    reviewers,
    { kind: "challenge_review", text: `A challenge entry for ${titles} is waiting for your review.`, gymId },
    within,
  );
}
