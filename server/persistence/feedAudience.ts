/** {@link FeedAudience} over PostgreSQL: one forked EntityManager per delivered batch. */
import type { MikroORM } from "@mikro-orm/core";
import type { FeedAudience, OpenFeedAudience } from "../../app/feed/liveFeed.js";
import { blockedWith, sql } from "./feedRelations.js";

export function feedAudience(orm: MikroORM): OpenFeedAudience {
  return (): FeedAudience => {
    const em = orm.em.fork();
    return {
      names: async (ids) => {
        if (ids.length === 0) return new Map();
        const rows = await sql<{ id: string; name: string }>(
          em,
          `select id, name from app_user where id in (${ids.map(() => "?").join(", ")})`,
          [...ids],
        );
        return new Map(rows.map((r) => [r.id, r.name]));
      },
      // The same rule as AccessControl.check: such members were FORBIDDEN to watch.
      revokedIn: async (gymId) =>
        (
          await sql<{ user_id: string }>(
            em,
            `select user_id from gym_membership where gym_id = ? and (status = 'cancelled' or (role <> 'member' and status <> 'active'))`,
            [gymId],
          )
        ).map((r) => r.user_id),
      blockedWith: (userId) => blockedWith(em, userId),
      followersOf: async (userId) =>
        (await sql<{ follower_id: string }>(em, `select follower_id from feed_follow where followee_id = ?`, [userId])).map(
          (r) => r.follower_id,
        ),
    };
  };
}
