import type { MikroORM } from "@mikro-orm/core";

/**
 * Sessions whose room has timed work to do even though nobody is watching: classes that are over
 * but not closed (no-shows and fees pending), and offers that ran out. Bounded per call.
 */
export async function dueSessions(orm: MikroORM, now: number, limit = 50): Promise<string[]> {
  const rows: { id: string }[] = await orm.em
    .fork()
    .getConnection()
    .execute(
      `select id from class_session
      where status = 'scheduled' and ends_at + make_interval(mins => check_in_closes_minutes) <= ?
     union
     select distinct session_id as id from waitlist_entry where status = 'offered' and offer_expires_at <= ?
     limit ?`,
      [new Date(now), new Date(now), limit],
    );
  return rows.map((r) => r.id);
}
