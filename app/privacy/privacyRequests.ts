/** Privacy requests: my data as JSON, consents, asking to be forgotten; staff approve deletions and hold data. */
import { DomainError } from "../../domain/errors.js";
import type { RequestPayload } from "../../domain/protocol/requests.js";
import type { GymRequest, UserRequest } from "../requestContext.js";
import type { PrivacyPorts } from "./ports.js";

export async function exportData(p: PrivacyPorts, c: UserRequest<unknown>) {
  const data = await p.store.exportData(c.userId, p.now());
  return data === "too_large"
    ? new DomainError("LIMIT_EXCEEDED", "Your data is too large to send here — download it as a file (GET /api/me/export.json).")
    : data;
}

export const requestDeletion = (p: PrivacyPorts, c: UserRequest<unknown>) => p.store.requestDeletion(c.userId, p.now());

export async function consent(p: PrivacyPorts, c: UserRequest<RequestPayload<"user:consent">>) {
  const result = await p.store.recordConsent(c.userId, c.payload.kind, c.payload.version, p.now());
  p.userChanged(c.userId);
  return result;
}

/** Owners and admins: approve a member's deletion (only members of this gym: another gym's member is NOT_FOUND). */
export async function approveDeletion(p: PrivacyPorts, c: GymRequest<RequestPayload<"gym:approveDeletion">>) {
  const { memberId } = c.payload;
  if (!(await p.store.isMember(c.gymId, memberId))) return null;
  const outcome = await p.store.approveDeletion(c.gymId, memberId, c.userId, p.now());
  if (!(outcome instanceof DomainError) && !outcome.alreadyDone) {
    p.anonymized(memberId);
    p.userChanged(memberId.toLowerCase());
    void p.announce({ userId: memberId.toLowerCase(), gymId: null, validAfter: outcome.approvedAt, deleted: true });
  }
  return outcome;
}

export async function setLegalHold(p: PrivacyPorts, c: GymRequest<RequestPayload<"gym:setLegalHold">>) {
  if (!(await p.store.isMember(c.gymId, c.payload.memberId))) return null;
  return p.store.setLegalHold(c.gymId, c.payload.memberId, c.payload.hold, c.payload.reason, c.userId, p.now());
}
