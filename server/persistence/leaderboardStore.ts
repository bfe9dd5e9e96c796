/**
 * Gym leaderboards (`gym:leaderboard`), answered from the database: one aggregate query, then the
 * order-statistic {@link Ranking} for the page and the caller's place.
 */
import type { MikroORM } from "@mikro-orm/core";
import { distinctFirstNames, firstName } from "../../domain/views/people.js";
import { bestResultKey, periodBounds, totalKey, type BoardPeriod } from "../../domain/workouts/gymBoards.js";
import { Ranking } from "../../domain/workouts/ranking.js";
import { formatScore, type Division, type RankKey, type Score } from "../../domain/workouts/scores.js";
import { GymEntity, UserEntity } from "../db/entities/index.js";
import type { BoardRows, CachedEntry } from "./boardCache.js";
import { boardCacheOf } from "./boardSink.js";

/** A board built from its rows without a cache. */
const built = (rows: BoardRows): CachedEntry => ({
  ranking: Ranking.rebuild(rows.map((r) => totalKey(r.memberId, r.total, r.lastAt))),
  totals: new Map(rows.map((r) => [r.memberId, r.total])),
});

export interface BoardRequest {
  board: "attendance" | "volume" | "benchmark";
  period: BoardPeriod;
  offset?: number | undefined;
  workout?: string | undefined;
  limit?: number | undefined;
}

type Totals = { member_id: string; total: string | number; last_at: Date | string }[];
type Results = { member_id: string; score: Score | string; division: Division; submitted_at: Date | string; score_type: string }[];

const ms = (v: Date | string) => new Date(v).getTime();

/** A board for the gym; staff see member ids and full names, members first names of visible members only. */
export async function gymLeaderboard(orm: MikroORM, gymId: string, userId: string, staff: boolean, req: BoardRequest, now: number) {
  const em = orm.em.fork();
  const gym = await em.findOneOrFail(GymEntity, { id: gymId });
  const { from, to } = periodBounds(req.period, req.offset ?? 0, now, gym.timeZone);
  const conn = em.getConnection();
  const keys: RankKey[] = [];
  const display = new Map<string, string | number>();
  let ranking: Ranking;
  if (req.board === "attendance" || req.board === "volume") {
    const board = req.board;
    const sql =
      board === "attendance"
        ? `select member_id, count(*) as total, max(at) as last_at from attendance_event where gym_id = ? and at >= ? and at < ? group by member_id`
        : `select member_id, sum(volume) as total, max(performed_at) as last_at from workout_log where gym_id = ? and performed_at >= ? and performed_at < ? and volume > 0 group by member_id`;
    const rows = async (): Promise<BoardRows> =>
      ((await conn.execute(sql, [gymId, new Date(from), new Date(to)])) as Totals).map((r) => ({
        memberId: r.member_id,
        total: Number(r.total),
        lastAt: ms(r.last_at),
      }));
    // This node's copy, kept up to date by every commit that changes a total (O(log n) each); else built here.
    const cache = boardCacheOf(orm);
    const entry = cache ? await cache.get(gymId, board, req.period, from, rows) : built(await rows());
    ranking = entry.ranking;
    const shown = (total: number) => (board === "attendance" ? total : Math.round(total / 1_000));
    for (const k of ranking.slice(0, req.limit ?? 25)) display.set(k.memberId, shown(entry.totals.get(k.memberId) ?? 0));
    const mine = entry.totals.get(userId);
    if (mine !== undefined) display.set(userId, shown(mine));
  } else {
    // The benchmark's results in the period, of the score type its latest session used (a title reused with another type is left out).
    const rows = await conn.execute<Results>(
      `select r.member_id, r.score, r.division, r.submitted_at, w.score_type from workout_result r
       join class_workout w on w.id = r.workout_id join class_session s on s.id = r.session_id
       where r.gym_id = ? and lower(w.title) = lower(?) and s.starts_at >= ? and s.starts_at < ?
       order by s.starts_at desc`,
      [gymId, req.workout ?? "", new Date(from), new Date(to)],
    );
    const type = rows[0]?.score_type;
    const byMember = new Map<string, { score: Score; division: Division; submittedAt: number }[]>();
    for (const r of rows) {
      if (r.score_type !== type) continue;
      const score = typeof r.score === "string" ? (JSON.parse(r.score) as Score) : r.score;
      byMember.set(r.member_id, [...(byMember.get(r.member_id) ?? []), { score, division: r.division, submittedAt: ms(r.submitted_at) }]);
    }
    for (const [memberId, results] of byMember) {
      const key = bestResultKey(memberId, results);
      if (!key) continue;
      keys.push(key);
      const best = results.find((x) => x.submittedAt === key.submittedAt && x.division === key.division)!;
      display.set(memberId, `${formatScore(best.score)}${best.division === "scaled" ? " (scaled)" : ""}`);
    }
    ranking = Ranking.rebuild(keys);
  }
  // Read synchronously: a cached board may move on with the next commit.
  const page = ranking.slice(0, req.limit ?? 25);
  const myRank = ranking.rank(userId);
  const total = ranking.size;
  const ids = [...new Set([...page.map((k) => k.memberId), userId])];
  const users = ids.length ? await em.find(UserEntity, { id: { $in: ids } }) : [];
  const userById = new Map(users.map((u) => [u.id, u]));
  // Members see first names; two visible people with the same first name get their last initial ("Nia C.").
  const visibleNames = page
    .map((k) => userById.get(k.memberId))
    .filter((u) => u?.visible)
    .map((u) => u!.name);
  const shown = new Map(distinctFirstNames(visibleNames).map((d, i) => [visibleNames[i]!, d]));
  const entries = page.map((k, i) => {
    const u = userById.get(k.memberId);
    const mine = k.memberId === userId;
    const name = staff || mine ? (u?.name ?? "") : u?.visible ? (shown.get(u.name) ?? firstName(u.name)) : null;
    return {
      rank: i + 1,
      name,
      value: display.get(k.memberId)!,
      ...(staff ? { memberId: k.memberId } : {}),
      ...(mine ? { me: true } : {}),
    };
  });
  return {
    board: req.board,
    period: { kind: req.period, from, to },
    workout: req.workout ?? null,
    total,
    entries,
    me: myRank === null ? null : { rank: myRank, value: display.get(userId)! },
  };
}
