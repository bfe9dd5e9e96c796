/**
 * Challenges over MikroORM, as members and staff use them: create, join, leave, list with progress, and review
 * held submissions. What training adds to a challenge (progress, submissions, completion) is in `challengeProgress.ts`;
 * changes to a member's participation lock that member's user row first, as there.
 */
import { randomUUID } from "node:crypto";
import { auditStaffWrite } from "../audit/staffAudit.js";
import type { EntityManager, MikroORM } from "@mikro-orm/core";
import type { NoticeSender } from "../../app/notices/ports.js";
import { transactionWithNotices } from "./noticeJoin.js";
import { checkNewChallenge, isOpen, type Challenge, type NewChallenge } from "../../domain/challenges/challenge.js";
import { DomainError } from "../../domain/errors.js";
import type { NewFeedEvent } from "../../domain/feed/events.js";
import {
  ChallengeEntity,
  ChallengeParticipantEntity,
  ChallengeSubmissionEntity,
  GymMembershipEntity,
  UserEntity,
} from "../db/entities/index.js";
import { appendFeedEvents } from "./feedStore.js";
import { attendanceProgress, lockMember, settle, settleAttendance } from "./challengeProgress.js";

const view = (c: Challenge) => ({
  challengeId: c.id,
  title: c.title,
  kind: c.kind,
  target: c.target,
  movement: c.movement,
  startsAt: c.startsAt,
  endsAt: c.endsAt,
});

/** Staff create a challenge. */
export async function createChallenge(
  orm: Pick<MikroORM, "em">,
  gymId: string,
  userId: string,
  input: NewChallenge,
  now: number,
  commandId: string | null = null,
): Promise<{ challengeId: string } | DomainError> {
  const refused = checkNewChallenge(input, now);
  if (refused) return refused;
  const challenge: Challenge = {
    id: randomUUID(),
    gymId,
    title: input.title,
    kind: input.kind,
    target: input.target,
    movement: input.movement ?? null,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    createdBy: userId,
    createdAt: now,
  };
  return orm.em.fork().transactional(async (tx) => {
    tx.create(ChallengeEntity, challenge);
    // The title is free text: the audit row says what kind of challenge, not what it is called.
    await auditStaffWrite(tx, {
      gymId,
      actorId: userId,
      action: "gym:createChallenge",
      entityType: "challenge",
      entityId: challenge.id,
      before: null,
      after: { kind: challenge.kind, target: challenge.target, startsAt: challenge.startsAt, endsAt: challenge.endsAt },
      commandId,
      at: now,
    });
    return { challengeId: challenge.id };
  });
}

/** A challenge of this gym, or NOT_FOUND (another gym's challenge looks like a missing one). */
async function challengeIn(em: EntityManager, gymId: string, challengeId: string): Promise<Challenge | DomainError> {
  const c = await em.findOne(ChallengeEntity, { id: challengeId, gymId });
  return c ?? new DomainError("NOT_FOUND", "We couldn't find that challenge.");
}

/** A member joins (or rejoins after leaving) before the end. Joining again answers the current state. */
export async function joinChallenge(orm: Pick<MikroORM, "em">, gymId: string, memberId: string, challengeId: string, now: number) {
  return orm.em.fork().transactional(async (tx) => {
    const c = await challengeIn(tx, gymId, challengeId);
    if (c instanceof DomainError) return c;
    if (!isOpen(c, now)) return new DomainError("CHALLENGE_ENDED");
    await lockMember(tx, memberId);
    let p = await tx.findOne(ChallengeParticipantEntity, { challengeId, memberId });
    const events: NewFeedEvent[] = [];
    if (!p) {
      p = tx.create(ChallengeParticipantEntity, {
        id: randomUUID(),
        challengeId,
        gymId,
        memberId,
        status: "joined",
        joinedAt: now,
        progress: 0,
        completedAt: null,
      });
      events.push({
        gymId,
        actorId: memberId,
        kind: "challenge_joined",
        at: now,
        payload: { challengeId, title: c.title, kind: c.kind, target: c.target },
        dedupeKey: `challenge_joined:${challengeId}:${memberId}`,
      });
    } else if (p.status === "left") {
      p.status = p.completedAt === null ? "joined" : "completed";
      p.joinedAt = now;
    }
    if (c.kind === "attendance" && p.status === "joined") p.progress = await attendanceProgress(tx, c, memberId, now);
    const done = settle(c, p, now);
    if (done) events.push(done);
    await tx.flush();
    await appendFeedEvents(tx, events);
    return { challengeId, status: p.status, progress: p.progress };
  });
}

/** A member leaves before the end; their progress is kept should they rejoin. */
export async function leaveChallenge(orm: MikroORM, gymId: string, memberId: string, challengeId: string, now: number) {
  return orm.em.fork().transactional(async (tx) => {
    const c = await challengeIn(tx, gymId, challengeId);
    if (c instanceof DomainError) return c;
    if (!isOpen(c, now)) return new DomainError("CHALLENGE_ENDED");
    await lockMember(tx, memberId);
    const p = await tx.findOne(ChallengeParticipantEntity, { challengeId, memberId });
    if (!p || p.status === "left") return new DomainError("NOT_FOUND", "You haven't joined this challenge.");
    p.status = "left";
    return { challengeId, status: "left" as const };
  });
}

/** Staff approve (it counts) or reject (it never counts) a held submission; the member hears which in the same commit. */
export async function reviewSubmission(
  orm: MikroORM,
  gymId: string,
  reviewerId: string,
  submissionId: string,
  approve: boolean,
  now: number,
  commandId: string | null = null,
  notices?: NoticeSender,
) {
  return transactionWithNotices(orm.em.fork(), async (tx, within) => {
    const peek = await tx.findOne(ChallengeSubmissionEntity, { id: submissionId, gymId });
    if (!peek) return new DomainError("NOT_FOUND", "We couldn't find that submission.");
    await lockMember(tx, peek.memberId);
    const s = await tx.findOneOrFail(ChallengeSubmissionEntity, { id: submissionId }, { refresh: true });
    if (s.status !== "held") return new DomainError("CONFLICT", "This submission was already reviewed.");
    const c = await tx.findOneOrFail(ChallengeEntity, { id: s.challengeId });
    const p = await tx.findOneOrFail(ChallengeParticipantEntity, { challengeId: s.challengeId, memberId: s.memberId });
    s.status = approve ? "approved" : "rejected";
    s.reviewedBy = reviewerId;
    s.reviewedAt = now;
    if (approve) p.progress += s.amount;
    const done = settle(c, p, now);
    await tx.flush();
    if (done) await appendFeedEvents(tx, [done]);
    await auditStaffWrite(tx, {
      gymId,
      actorId: reviewerId,
      action: "gym:reviewSubmission",
      entityType: "challenge_submission",
      entityId: submissionId,
      before: { status: "held" },
      after: { status: s.status, memberId: s.memberId, amount: s.amount },
      commandId,
      at: now,
    });
    const text = approve
      ? `Your entry of ${s.amount} for “${c.title}” was approved — it counts.`
      : `Your entry of ${s.amount} for “${c.title}” was not approved by staff, so it doesn't count.`;
    await notices?.notify([s.memberId], { kind: "challenge", text, gymId }, within);
    return { submissionId, status: s.status, progress: p.progress, completed: p.status === "completed" };
  });
}

const DAY = 86_400_000;

/**
 * The gym's challenges that haven't ended or ended in the last 30 days, newest first, each with the
 * number of participants and the caller's own progress; staff also get the held submissions to review.
 */
export async function listChallenges(orm: MikroORM, gymId: string, userId: string, staff: boolean, now: number) {
  const em = orm.em.fork();
  // The caller's attendance challenges are brought up to date first (completion appears without another action).
  await em.transactional(async (tx) => {
    if (!(await tx.count(ChallengeParticipantEntity, { gymId, memberId: userId, status: "joined" }))) return;
    await lockMember(tx, userId);
    const events = await settleAttendance(tx, gymId, userId, now);
    await tx.flush();
    await appendFeedEvents(tx, events);
  });
  const challenges = await em.find(
    ChallengeEntity,
    { gymId, endsAt: { $gte: now - 30 * DAY } },
    { orderBy: { startsAt: "desc", id: "asc" }, limit: 100 },
  );
  const ids = challenges.map((c) => c.id);
  type Count = { challenge_id: string; n: string | number };
  const counts: Count[] = ids.length
    ? await em
        .getConnection()
        .execute<Count[]>(
          `select challenge_id, count(*) as n from challenge_participant where challenge_id in (${ids.map(() => "?").join(",")}) and status <> 'left' group by challenge_id`,
          ids,
        )
    : [];
  const mine = ids.length ? await em.find(ChallengeParticipantEntity, { challengeId: { $in: ids }, memberId: userId }) : [];
  const held =
    staff && ids.length
      ? await em.find(ChallengeSubmissionEntity, { gymId, status: "held" }, { orderBy: { createdAt: "asc" }, limit: 200 })
      : [];
  const names = held.length ? await em.find(UserEntity, { id: { $in: [...new Set(held.map((h) => h.memberId))] } }) : [];
  return {
    challenges: challenges.map((c) => {
      const p = mine.find((m) => m.challengeId === c.id);
      return {
        ...view(c),
        open: isOpen(c, now),
        participants: Number(counts.find((r) => r.challenge_id === c.id)?.n ?? 0),
        me: p ? { status: p.status, progress: p.progress, completedAt: p.completedAt } : null,
      };
    }),
    held: staff
      ? held.map((h) => ({
          submissionId: h.id,
          challengeId: h.challengeId,
          memberId: h.memberId,
          name: names.find((u) => u.id === h.memberId)?.name ?? "",
          amount: h.amount,
          createdAt: h.createdAt,
        }))
      : undefined,
  };
}

/** Whether `memberId` has a membership in the gym (staff acting on a member of another gym see NOT_FOUND). */
export async function isMemberOf(em: EntityManager, gymId: string, memberId: string): Promise<boolean> {
  return (await em.count(GymMembershipEntity, { gymId, userId: memberId })) > 0;
}
