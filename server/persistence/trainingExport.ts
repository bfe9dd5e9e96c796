import type { EntityManager } from "@mikro-orm/core";
import {
  ChallengeEntity,
  ChallengeParticipantEntity,
  ChallengeSubmissionEntity,
  MemberProgressEntity,
  PersonalBestEntity,
  WorkoutExerciseEntity,
  WorkoutLogEntity,
  WorkoutSetEntity,
} from "../db/entities/index.js";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The member's own training data for their data export: logged workouts with sets, bests, XP and streaks, challenges. */
export async function exportTraining(em: EntityManager, userId: string) {
  const [logs, exercises, sets, bests, progress, participations, submissions] = await Promise.all([
    em.find(WorkoutLogEntity, { memberId: userId }, { orderBy: { performedAt: "asc" } }),
    em.find(WorkoutExerciseEntity, { memberId: userId }, { orderBy: { position: "asc" } }),
    em.find(WorkoutSetEntity, { memberId: userId }, { orderBy: { position: "asc" } }),
    em.find(PersonalBestEntity, { memberId: userId }, { orderBy: { recordKey: "asc" } }),
    em.find(MemberProgressEntity, { memberId: userId }),
    em.find(ChallengeParticipantEntity, { memberId: userId }, { orderBy: { joinedAt: "asc" } }),
    em.find(ChallengeSubmissionEntity, { memberId: userId }, { orderBy: { createdAt: "asc" } }),
  ]);
  const challengeIds = [...new Set(participations.map((p) => p.challengeId))];
  const challenges = challengeIds.length ? await em.find(ChallengeEntity, { id: { $in: challengeIds } }) : [];
  return {
    workouts: logs.map((l) => ({
      id: l.id, gymId: l.gymId, title: l.title, performedAt: iso(l.performedAt), volumeKg: l.volume / 1_000, distanceMeters: l.distanceMeters, prs: l.prCount, xp: l.xp,
      exercises: exercises.filter((e) => e.logId === l.id).map((e) => ({
        movement: e.movement,
        sets: sets.filter((x) => x.exerciseId === e.id).map((x) => ({ reps: x.reps, grams: x.grams, ms: x.ms, meters: x.meters, pr: x.isPr })),
      })),
    })),
    personalBests: bests.map((b) => ({ record: b.recordKey, movement: b.movement, kind: b.kind, value: b.value, achievedAt: iso(b.achievedAt) })),
    progress: progress.map((p) => ({ gymId: p.gymId, xp: p.xp, workouts: p.workouts, streak: p.streak, bestStreak: p.bestStreak })),
    challenges: participations.map((p) => {
      const c = challenges.find((x) => x.id === p.challengeId);
      return {
        challengeId: p.challengeId, gymId: p.gymId, title: c?.title ?? null, kind: c?.kind ?? null, target: c?.target ?? null, status: p.status,
        progress: p.progress, joinedAt: iso(p.joinedAt), completedAt: iso(p.completedAt),
        submissions: submissions.filter((s) => s.challengeId === p.challengeId).map((s) => ({ amount: s.amount, status: s.status, createdAt: iso(s.createdAt) })),
      };
    }),
  };
}
