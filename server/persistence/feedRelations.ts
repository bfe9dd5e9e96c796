/**
 * Who a member follows and blocks in the feed: reading a viewer's relations (blocks count either way), follow and
 * block changes, and the member's default visibility for new events. Also the raw SQL helpers the feed stores share.
 */
import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/core";
import { DomainError } from "../../domain/errors.js";
import type { Visibility } from "../../domain/feed/events.js";

/** Who a viewer must not see (blocked either way) and whom they follow. */
export interface Relations {
  blocked: Set<string>;
  following: Set<string>;
}

/** `(?, ?, …)` for a non-empty list, its values appended to `params`. */
export const list = (ids: Iterable<string>, params: unknown[]) => {
  const values = [...ids];
  params.push(...values);
  return `(${values.map(() => "?").join(", ")})`;
};

/** Raw SQL through `em`, in its transaction when it has one. */
export const sql = <T = unknown>(em: EntityManager, query: string, params: unknown[]): Promise<T[]> =>
  em.getConnection().execute(query, params, "all", em.getTransactionContext()) as Promise<T[]>;

/** The members `userId` blocked or was blocked by. */
export async function blockedWith(em: EntityManager, userId: string): Promise<string[]> {
  const rows = await sql<{ other: string }>(
    em,
    `select blocked_id as other from feed_block where blocker_id = ? union select blocker_id from feed_block where blocked_id = ?`,
    [userId, userId],
  );
  return rows.map((r) => r.other);
}

export async function relationsOf(em: EntityManager, userId: string): Promise<Relations> {
  const [blocked, following] = await Promise.all([
    blockedWith(em, userId),
    sql<{ followee_id: string }>(em, `select followee_id from feed_follow where follower_id = ?`, [userId]),
  ]);
  return { blocked: new Set(blocked), following: new Set(following.map((r) => r.followee_id)) };
}

/** Whether `userId` holds a membership (any status) in `gymId`. */
async function inGym(em: EntityManager, gymId: string, userId: string): Promise<boolean> {
  const rows = await sql<unknown>(em, `select 1 from gym_membership where gym_id = ? and user_id = ?`, [gymId, userId]);
  return rows.length > 0;
}

/** Follow or unfollow a member of the gym. Blocked pairs cannot follow each other. */
export async function setFollow(em: EntityManager, gymId: string, viewerId: string, memberId: string, follow: boolean, now: number) {
  if (memberId === viewerId)
    return new DomainError("VALIDATION_FAILED", "You can't follow yourself.", { fields: { memberId: "That's you" } });
  if (!(await inGym(em, gymId, memberId))) return new DomainError("NOT_FOUND");
  if (!follow) {
    await sql(em, `delete from feed_follow where follower_id = ? and followee_id = ?`, [viewerId, memberId]);
    return { memberId, following: false };
  }
  const blocks = await sql<{ blocker_id: string }>(
    em,
    `select blocker_id from feed_block where (blocker_id = ? and blocked_id = ?) or (blocker_id = ? and blocked_id = ?)`,
    [viewerId, memberId, memberId, viewerId],
  );
  if (blocks.some((b) => b.blocker_id === viewerId)) return new DomainError("MEMBER_BLOCKED");
  // Blocked by them: answered like a member who isn't there, so nobody learns who blocked them.
  if (blocks.length) return new DomainError("NOT_FOUND");
  await sql(
    em,
    `insert into feed_follow (id, follower_id, followee_id, created_at) values (?, ?, ?, ?) on conflict (follower_id, followee_id) do nothing`,
    [randomUUID(), viewerId, memberId, new Date(now)],
  );
  return { memberId, following: true };
}

/** Block or unblock a member of the gym; blocking also ends follows both ways. */
export async function setBlock(em: EntityManager, gymId: string, viewerId: string, memberId: string, block: boolean, now: number) {
  if (memberId === viewerId)
    return new DomainError("VALIDATION_FAILED", "You can't block yourself.", { fields: { memberId: "That's you" } });
  if (!(await inGym(em, gymId, memberId))) return new DomainError("NOT_FOUND");
  await em.transactional(async (tx) => {
    if (!block) {
      await sql(tx, `delete from feed_block where blocker_id = ? and blocked_id = ?`, [viewerId, memberId]);
      return;
    }
    await sql(
      tx,
      `insert into feed_block (id, blocker_id, blocked_id, created_at) values (?, ?, ?, ?) on conflict (blocker_id, blocked_id) do nothing`,
      [randomUUID(), viewerId, memberId, new Date(now)],
    );
    await sql(tx, `delete from feed_follow where (follower_id = ? and followee_id = ?) or (follower_id = ? and followee_id = ?)`, [
      viewerId,
      memberId,
      memberId,
      viewerId,
    ]);
  });
  return { memberId, blocked: block };
}

/** A member's default visibility for their new events. */
export async function setDefaultVisibility(em: EntityManager, userId: string, visibility: Visibility, now: number) {
  await sql(
    em,
    `insert into feed_setting (user_id, default_visibility, updated_at) values (?, ?, ?)
     on conflict (user_id) do update set default_visibility = excluded.default_visibility, updated_at = excluded.updated_at`,
    [userId, visibility, new Date(now)],
  );
  return { visibility };
}
