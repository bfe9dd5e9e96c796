import type { MikroORM } from "@mikro-orm/core";

/** A scheduled session and when its booking window opens (its start − its `booking_opens_minutes`). */
export interface Opening {
  sessionId: string;
  opensAt: number;
}

/**
 * Scheduled sessions whose booking window opens after `from` and no later than `to`, soonest first, at most `limit`
 * (what server/jobs/windowWarmJob.ts warms ahead of the opening).
 */
export async function openingSessions(orm: MikroORM, from: number, to: number, limit: number): Promise<Opening[]> {
  const rows: { id: string; opens_at: Date | string }[] = await orm.em
    .fork()
    .getConnection()
    .execute(
      `select id, opens_at from (
         select id, starts_at - make_interval(mins => booking_opens_minutes) as opens_at
         from class_session where status = 'scheduled' and starts_at > ?
       ) s where opens_at > ? and opens_at <= ? order by opens_at limit ?`,
      [new Date(from), new Date(from), new Date(to), limit],
    );
  return rows.map((r) => ({ sessionId: r.id, opensAt: new Date(r.opens_at).getTime() }));
}
