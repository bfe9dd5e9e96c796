import type { EntityManager } from "@mikro-orm/core";

const iso = (v: Date | string) => new Date(v).toISOString();
const rows = <T>(em: EntityManager, query: string, params: unknown[]) =>
  em.getConnection().execute(query, params, "all", em.getTransactionContext()) as Promise<T[]>;

/**
 * A member's feed data for their export: their events, comments and reactions, whom they follow and block, their
 * default visibility and the reports they filed (their reason, not the reported content — that is someone else's).
 */
export async function exportFeed(em: EntityManager, userId: string) {
  const [events, comments, reactions, following, blocking, setting, reports] = await Promise.all([
    rows<{ id: string; gym_id: string; kind: string; visibility: string; payload: unknown; at: Date }>(
      em,
      `select id, gym_id, kind, visibility, payload, at from feed_event where actor_id = ? order by at`,
      [userId],
    ),
    rows<{ id: string; gym_id: string; event_id: string; body: string; at: Date }>(
      em,
      `select id, gym_id, event_id, body, at from feed_comment where author_id = ? order by at`,
      [userId],
    ),
    rows<{ event_id: string; kind: string; at: Date }>(em, `select event_id, kind, at from feed_reaction where user_id = ? order by at`, [
      userId,
    ]),
    rows<{ followee_id: string; created_at: Date }>(
      em,
      `select followee_id, created_at from feed_follow where follower_id = ? order by created_at`,
      [userId],
    ),
    rows<{ blocked_id: string; created_at: Date }>(
      em,
      `select blocked_id, created_at from feed_block where blocker_id = ? order by created_at`,
      [userId],
    ),
    rows<{ default_visibility: string }>(em, `select default_visibility from feed_setting where user_id = ?`, [userId]),
    rows<{ gym_id: string; target_type: string; target_id: string; reason: string; status: string; created_at: Date }>(
      em,
      `select gym_id, target_type, target_id, reason, status, created_at from moderation_item where reporter_id = ? order by created_at`,
      [userId],
    ),
  ]);
  return {
    feed: {
      defaultVisibility: setting[0]?.default_visibility ?? null,
      events: events.map((e) => ({
        id: e.id,
        gymId: e.gym_id,
        kind: e.kind,
        visibility: e.visibility,
        payload: typeof e.payload === "string" ? JSON.parse(e.payload) : e.payload,
        at: iso(e.at),
      })),
      comments: comments.map((c) => ({ id: c.id, gymId: c.gym_id, eventId: c.event_id, body: c.body, at: iso(c.at) })),
      reactions: reactions.map((r) => ({ eventId: r.event_id, kind: r.kind, at: iso(r.at) })),
      following: following.map((f) => ({ memberId: f.followee_id, since: iso(f.created_at) })),
      blocking: blocking.map((b) => ({ memberId: b.blocked_id, since: iso(b.created_at) })),
      reportsFiled: reports.map((r) => ({
        gymId: r.gym_id,
        target: r.target_type,
        targetId: r.target_id,
        reason: r.reason,
        status: r.status,
        at: iso(r.created_at),
      })),
    },
  };
}

/**
 * On an approved deletion (inside its transaction): the member's feed events (with the reactions and comments on
 * them), their comments, reactions, follows both ways, their own blocks and settings are removed; moderation items
 * keep no copy of their words (excerpt and reason blanked). Blocks others set against them stay: they protect others.
 */
export async function eraseFeed(tx: EntityManager, memberId: string): Promise<void> {
  const run = (query: string, params: unknown[]) => tx.getConnection().execute(query, params, "run", tx.getTransactionContext());
  await run(`delete from feed_reaction where user_id = ? or event_id in (select id from feed_event where actor_id = ?)`, [
    memberId,
    memberId,
  ]);
  await run(`delete from feed_comment where author_id = ? or event_id in (select id from feed_event where actor_id = ?)`, [
    memberId,
    memberId,
  ]);
  await run(`delete from feed_event where actor_id = ?`, [memberId]);
  await run(`delete from feed_follow where follower_id = ? or followee_id = ?`, [memberId, memberId]);
  await run(`delete from feed_block where blocker_id = ?`, [memberId]);
  await run(`delete from feed_setting where user_id = ?`, [memberId]);
  await run(`update moderation_item set excerpt = '' where author_id = ?`, [memberId]);
  await run(`update moderation_item set reason = '' where reporter_id = ?`, [memberId]);
}
