import type { EntityManager } from "@mikro-orm/core";
import {
  ChallengeEntity,
  ChallengeParticipantEntity,
  ChallengeSubmissionEntity,
  MemberProgressEntity,
  PersonalBestEntity,
} from "../db/entities/index.js";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Workouts per page of the export: each query and each page of text is bounded however much a member logged. */
export const WORKOUT_PAGE = 25;

// One workout as JSON text, built by PostgreSQL from the log, its exercises and their sets (each joined by id
// through an index — sets by log, then by exercise — never every set against every exercise). Keyset pages by
// (performed_at, id), oldest first. ISO times with milliseconds, as `Date#toISOString` writes them.
const WORKOUTS_PAGE = `
select l.id, l.performed_at, json_build_object(
  'id', l.id, 'gymId', l.gym_id, 'title', l.title,
  'performedAt', to_char(l.performed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  'volumeKg', l.volume / 1000, 'distanceMeters', l.distance_meters, 'prs', l.pr_count, 'xp', l.xp,
  'exercises', coalesce((
    select json_agg(json_build_object('movement', e.movement, 'sets', coalesce((
      select json_agg(json_build_object('reps', s.reps, 'grams', s.grams, 'ms', s.ms, 'meters', s.meters, 'pr', s.is_pr) order by s.position)
      from workout_set s where s.log_id = l.id and s.exercise_id = e.id), '[]'::json)) order by e.position)
    from workout_exercise e where e.log_id = l.id), '[]'::json)
)::text as doc
from workout_log l
where l.member_id = ? and (l.performed_at, l.id) > (?::timestamptz, ?::uuid)
order by l.performed_at, l.id
limit ?`;

/**
 * The member's logged workouts (with exercises, sets and PR marks) as JSON texts, a page at a time, oldest first.
 * Each page is one indexed query; between pages the event loop serves everyone else.
 */
export async function* workoutPages(em: EntityManager, userId: string, pageSize = WORKOUT_PAGE): AsyncGenerator<string[]> {
  let after: [Date | string, string] = ["-infinity", "00000000-0000-0000-0000-000000000000"];
  for (;;) {
    const rows = (await em.getConnection().execute(WORKOUTS_PAGE, [userId, ...after, pageSize])) as {
      id: string;
      performed_at: Date | string;
      doc: string;
    }[];
    if (rows.length) yield rows.map((r) => r.doc);
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = [last.performed_at, last.id];
  }
}

/** How many sets the member logged (an index count: the socket form of the export refuses large ones). */
export async function countSets(em: EntityManager, userId: string): Promise<number> {
  const [row] = (await em.getConnection().execute(`select count(*)::int as n from workout_set where member_id = ?`, [userId])) as {
    n: number;
  }[];
  return Number(row?.n ?? 0);
}

/** The member's own training data for their data export, except workouts (see {@link workoutPages}): bests, XP and streaks, challenges. */
export async function exportTraining(em: EntityManager, userId: string) {
  const [bests, progress, participations, submissions] = await Promise.all([
    em.find(PersonalBestEntity, { memberId: userId }, { orderBy: { recordKey: "asc" } }),
    em.find(MemberProgressEntity, { memberId: userId }),
    em.find(ChallengeParticipantEntity, { memberId: userId }, { orderBy: { joinedAt: "asc" } }),
    em.find(ChallengeSubmissionEntity, { memberId: userId }, { orderBy: { createdAt: "asc" } }),
  ]);
  const challengeIds = [...new Set(participations.map((p) => p.challengeId))];
  const challenges = new Map(
    (challengeIds.length ? await em.find(ChallengeEntity, { id: { $in: challengeIds } }) : []).map((c) => [c.id, c]),
  );
  const submissionsOf = new Map<string, { amount: number; status: string; createdAt: string | null }[]>();
  for (const s of submissions) {
    const list = submissionsOf.get(s.challengeId) ?? [];
    list.push({ amount: s.amount, status: s.status, createdAt: iso(s.createdAt) });
    submissionsOf.set(s.challengeId, list);
  }
  return {
    personalBests: bests.map((b) => ({
      record: b.recordKey,
      movement: b.movement,
      kind: b.kind,
      value: b.value,
      achievedAt: iso(b.achievedAt),
    })),
    progress: progress.map((p) => ({ gymId: p.gymId, xp: p.xp, workouts: p.workouts, streak: p.streak, bestStreak: p.bestStreak })),
    challenges: participations.map((p) => {
      const c = challenges.get(p.challengeId);
      return {
        challengeId: p.challengeId,
        gymId: p.gymId,
        title: c?.title ?? null,
        kind: c?.kind ?? null,
        target: c?.target ?? null,
        status: p.status,
        progress: p.progress,
        joinedAt: iso(p.joinedAt),
        completedAt: iso(p.completedAt),
        submissions: submissionsOf.get(p.challengeId) ?? [],
      };
    }),
  };
}
