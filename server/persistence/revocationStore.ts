import { randomUUID } from "node:crypto";
import { LockMode, type EntityManager, type MikroORM } from "@mikro-orm/core";
import type { TokenState } from "../../app/access/revocationReads.js";
import type { MembershipStatus, Role } from "../../domain/model.js";
import { appendAudit } from "../audit/auditWriter.js";
import { GymMembershipEntity } from "../db/entities/index.js";

export type { TokenState };

const ms = (v: unknown): number => (v instanceof Date ? v.getTime() : new Date(v as string).getTime());

/** Every token of the user issued up to `at` stops working (kept the latest of two revocations). Runs in `em`'s transaction when it has one. */
export async function revokeTokens(em: EntityManager, userId: string, at: number): Promise<void> {
  // One statement: the user's devices stop getting pushes in the very commit that revokes their tokens (issue 20).
  await em.getConnection().execute(
    `with gone as (delete from push_subscription where user_id = ?)
       insert into token_revocation (user_id, valid_after) values (?, ?)
       on conflict (user_id) do update set valid_after = greatest(token_revocation.valid_after, excluded.valid_after)`,
    [userId, userId, new Date(at)],
    "run",
    em.getTransactionContext(),
  );
}

/** The token state of several users in one round trip (users never revoked and not deleted are absent). */
export async function tokenStates(orm: MikroORM, userIds: readonly string[]): Promise<Map<string, TokenState>> {
  const marks = userIds.map(() => "?").join(",");
  const rows = await orm.em.getConnection().execute<{ user_id: string; valid_after: unknown; deleted: boolean }[]>(
    `select user_id, valid_after, false as deleted from token_revocation where user_id in (${marks})
     union all
     select user_id, null as valid_after, true as deleted from deletion_request where approved_at is not null and user_id in (${marks})`,
    [...userIds, ...userIds],
  );
  const out = new Map<string, TokenState>();
  for (const r of rows) {
    const id = String(r.user_id).toLowerCase();
    const state = out.get(id) ?? { validAfter: 0, deleted: false };
    if (r.valid_after !== null) state.validAfter = Math.max(state.validAfter, ms(r.valid_after));
    if (r.deleted) state.deleted = true;
    out.set(id, state);
  }
  return out;
}

/** Revocations recorded at or after `since` (what another node may have missed on the bus). */
export async function revokedSince(orm: MikroORM, since: number): Promise<{ userId: string; validAfter: number }[]> {
  const rows = await orm.em
    .getConnection()
    .execute<{ user_id: string; valid_after: unknown }[]>(`select user_id, valid_after from token_revocation where valid_after >= ?`, [
      new Date(since),
    ]);
  return rows.map((r: { user_id: string; valid_after: unknown }) => ({
    userId: String(r.user_id).toLowerCase(),
    validAfter: ms(r.valid_after),
  }));
}

export type MembershipChange = { role?: Role | undefined; status?: MembershipStatus | undefined };

export type ChangeOutcome =
  | { ok: true; result: { memberId: string; role: Role; status: MembershipStatus; changed: boolean } }
  | { ok: false; code: "NOT_FOUND" | "FORBIDDEN"; message: string };

/**
 * Owners and admins change someone's role or status in their gym (audited in the same transaction). Only an owner
 * touches an owner's membership or makes someone an owner; nobody changes their own (no locking yourself out).
 */
export async function changeMembership(
  orm: MikroORM,
  gymId: string,
  memberId: string,
  change: MembershipChange,
  actor: { userId: string; role: string },
  now: number,
): Promise<ChangeOutcome> {
  return orm.em.fork().transactional(async (tx) => {
    const m = await tx.findOne(GymMembershipEntity, { gymId, userId: memberId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!m) return { ok: false, code: "NOT_FOUND", message: "This person has no membership in this gym." };
    if (memberId === actor.userId)
      return { ok: false, code: "FORBIDDEN", message: "You can't change your own membership — ask another owner." };
    if (actor.role !== "owner" && (m.role === "owner" || change.role === "owner"))
      return { ok: false, code: "FORBIDDEN", message: "Only an owner can change an owner's membership or make someone an owner." };
    const before = { role: m.role, status: m.status };
    const after = { role: change.role ?? m.role, status: change.status ?? m.status };
    const changed = before.role !== after.role || before.status !== after.status;
    if (changed) {
      tx.assign(m, after);
      await tx.flush();
      await appendAudit(tx, gymId, [
        {
          id: randomUUID(),
          at: now,
          actorId: actor.userId,
          role: null,
          action: "gym:setMembership",
          entityType: "member",
          entityId: memberId,
          summary: { before, after },
          commandId: null,
        },
      ]);
    }
    return { ok: true, result: { memberId, ...after, changed } };
  });
}
