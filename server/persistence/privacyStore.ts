/**
 * A member's privacy choices and their erasure: accepted policy versions (consents), the request to be forgotten,
 * staff's approval that anonymizes the account, and the legal holds that can stop it. The export is `privacyExport.ts`.
 */
import { randomUUID } from "node:crypto";
import { LockMode, type EntityManager, type MikroORM } from "@mikro-orm/core";
import { anonymizedUser, type ConsentKind } from "../../domain/privacy.js";
import { appendAudit } from "../audit/auditWriter.js";
import {
  CalendarFeedEntity,
  ConsentEntity,
  DeletionRequestEntity,
  GymMembershipEntity,
  LegalHoldEntity,
  UserEntity,
} from "../db/entities/index.js";
import { eraseFeed } from "./feedPrivacy.js";
import { revokeTokens } from "./revocationStore.js";

/** Records an accepted policy version (once per kind and version: accepting again answers the first record). */
export async function recordConsent(orm: MikroORM, userId: string, kind: ConsentKind, version: string, now: number) {
  const em = orm.em.fork();
  const existing = await em.findOne(ConsentEntity, { userId, kind, version });
  if (existing) return { kind, version, acceptedAt: existing.acceptedAt };
  em.create(ConsentEntity, { id: randomUUID(), userId, kind, version, acceptedAt: now });
  await em.flush();
  return { kind, version, acceptedAt: now };
}

/** A member asks to be forgotten; asking again answers the first request. */
export async function requestDeletion(orm: MikroORM, userId: string, now: number) {
  const em = orm.em.fork();
  const existing = await em.findOne(DeletionRequestEntity, { userId });
  if (existing) return { requestedAt: existing.requestedAt, status: existing.approvedAt === null ? "requested" : "completed" };
  // Two devices asking at once: the unique user_id keeps one row; the loser reads it.
  await em
    .getConnection()
    .execute(`insert into deletion_request (id, user_id, requested_at) values (?, ?, ?) on conflict (user_id) do nothing`, [
      randomUUID(),
      userId,
      new Date(now),
    ]);
  const row = await orm.em.fork().findOneOrFail(DeletionRequestEntity, { userId });
  return { requestedAt: row.requestedAt, status: "requested" as const };
}

export type ApproveOutcome =
  | { ok: true; result: { memberId: string; approvedAt: number; alreadyDone: boolean } }
  | { ok: false; code: "NOT_FOUND" | "LEGAL_HOLD"; message: string };

/**
 * Staff approve a member's deletion: the user's name, email, phone and the gyms' notes about them are replaced,
 * the calendar feed is revoked, every membership is cancelled and every token issued so far is revoked; bookings, check-ins, attendance and fees keep their ids under the same (now
 * anonymous) user id, so statistics and the audit chain stay valid. One transaction, audited in the approving gym.
 * Refused while any gym holds the member's data; approving again answers the first approval.
 */
export async function approveDeletion(
  orm: MikroORM,
  gymId: string,
  memberId: string,
  actorId: string,
  now: number,
): Promise<ApproveOutcome> {
  return orm.em.fork().transactional(async (tx) => {
    const request = await tx.findOne(DeletionRequestEntity, { userId: memberId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!request) return { ok: false, code: "NOT_FOUND", message: "This member has not asked for their data to be deleted." };
    if (request.approvedAt !== null) return { ok: true, result: { memberId, approvedAt: request.approvedAt, alreadyDone: true } };
    const holds = await tx.find(LegalHoldEntity, { userId: memberId, active: true });
    if (holds.length) {
      const here = holds.find((h) => h.gymId === gymId);
      const message = here
        ? `This member's data is under a legal hold (${here.reason}) — lift the hold before approving the deletion.`
        : "Another gym holds this member's data under a legal hold — the deletion cannot be approved yet.";
      return { ok: false, code: "LEGAL_HOLD", message };
    }
    await tx.nativeUpdate(UserEntity, { id: memberId }, anonymizedUser(memberId));
    // The erased account ends here: no gym membership, and no token issued until now works again.
    await tx.nativeUpdate(GymMembershipEntity, { userId: memberId }, { notes: "", status: "cancelled", freezeReason: "", tags: null });
    await revokeTokens(tx, memberId, now);
    // Their inbox (texts that name classes, fees, people) and their notification choices go with the account.
    for (const table of ["notice", "notice_preference", "notice_quiet_hours"])
      await tx.getConnection().execute(`delete from ${table} where user_id = ?`, [memberId], "run", tx.getTransactionContext());
    await tx.nativeDelete(CalendarFeedEntity, { userId: memberId });
    await eraseFactors(tx, memberId);
    // Workout titles are free text the member typed; the numbers (sets, bests, XP) stay as anonymous records.
    await tx
      .getConnection()
      .execute(
        `update workout_log set title = null where member_id = ? and title is not null`,
        [memberId],
        "run",
        tx.getTransactionContext(),
      );
    await eraseFeed(tx, memberId);
    await tx.nativeUpdate(DeletionRequestEntity, { id: request.id }, { approvedAt: now, approvedBy: actorId, approvedGymId: gymId });
    await appendAudit(tx, gymId, [
      {
        id: randomUUID(),
        at: now,
        actorId,
        role: null,
        action: "gym:approveDeletion",
        entityType: "member",
        entityId: memberId,
        summary: { before: { anonymized: false }, after: { anonymized: true } },
        commandId: null,
      },
    ]);
    return { ok: true, result: { memberId, approvedAt: now, alreadyDone: false } };
  });
}

/** Every sign-in factor of an erased account goes: passkeys, authenticator, password, provider links, open challenges. */
async function eraseFactors(tx: EntityManager, userId: string): Promise<void> {
  const trx = tx.getTransactionContext();
  for (const table of ["passkey_credential", "totp_factor", "password_credential", "oidc_identity", "auth_challenge"])
    await tx.getConnection().execute(`delete from ${table} where user_id = ?`, [userId], "run", trx);
}

/** Sets or lifts a gym's legal hold on a member's data (audited). */
export async function setLegalHold(
  orm: MikroORM,
  gymId: string,
  memberId: string,
  hold: boolean,
  reason: string,
  actorId: string,
  now: number,
) {
  return orm.em.fork().transactional(async (tx) => {
    const existing = await tx.findOne(LegalHoldEntity, { gymId, userId: memberId });
    const before = existing?.active ?? false;
    if (existing) tx.assign(existing, { active: hold, reason, setBy: actorId, setAt: now });
    else tx.create(LegalHoldEntity, { id: randomUUID(), gymId, userId: memberId, active: hold, reason, setBy: actorId, setAt: now });
    await tx.flush();
    await appendAudit(tx, gymId, [
      {
        id: randomUUID(),
        at: now,
        actorId,
        role: null,
        action: "gym:setLegalHold",
        entityType: "member",
        entityId: memberId,
        summary: { before: { hold: before }, after: { hold } },
        commandId: null,
      },
    ]);
    return { memberId, hold, reason };
  });
}
