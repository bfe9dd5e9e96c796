/**
 * Sign-in requests on the socket: "where I'm signed in" and ending sessions (mine; a staff member's, by owners and
 * admins), invitations, and the state of the gym's outgoing mail.
 */
import { DomainError } from "../../domain/errors.js";
import type { RequestPayload, RequestType } from "../../domain/protocol/requests.js";
import { isStaffRole } from "../../domain/roles.js";
import type { GymRequest, UserRequest } from "../requestContext.js";
import { describeDevice } from "./device.js";
import type { SignInRequestPorts } from "./requestPorts.js";

type In<K extends RequestType> = GymRequest<RequestPayload<K>>;

/** Open invitations a gym may have at once. */
const MAX_OPEN_INVITATIONS = 500;

export const mySessions = async (p: SignInRequestPorts, c: UserRequest<unknown>) => ({
  sessions: (await p.sessions.list(c.userId)).map((s) => ({
    sessionId: s.id,
    device: describeDevice(s.userAgent),
    method: s.method,
    createdAt: s.createdAt,
    lastSeenAt: s.lastSeenAt,
  })),
});

export const endSession = async (p: SignInRequestPorts, c: UserRequest<RequestPayload<"user:endSession">>) => ({
  ended: await p.sessions.end(c.userId, c.payload.sessionId.toLowerCase(), "ended_by_user", undefined),
});

/** Owners and admins: end every session of a staff member (only an owner signs an owner out); audited. */
export async function endStaffSessions(p: SignInRequestPorts, c: In<"gym:endStaffSessions">) {
  const memberId = c.payload.memberId.toLowerCase();
  const role = await p.store.roleIn(c.gymId, memberId);
  if (role === null || !isStaffRole(role)) return new DomainError("NOT_FOUND", "This person is not on this gym's staff.");
  if (role === "owner" && c.role !== "owner") return new DomainError("FORBIDDEN", "Only an owner can sign an owner out.");
  const at = p.now();
  // Audited with the revocation in one transaction: tokens without a session (scripts) stop too.
  await p.store.revokeStaffTokens(c.gymId, memberId, { actorId: c.userId, commandId: c.commandId }, at);
  const ended = await p.sessions.endAll(memberId, "ended_by_staff", c.userId, undefined);
  p.afterAnswer(() => void p.announce({ userId: memberId, gymId: null, validAfter: at, deleted: false }));
  return { ended: ended.length };
}

/** Owners and admins: invite someone by email with a role (only an owner invites an owner). */
export async function invite(p: SignInRequestPorts, c: In<"gym:invite">) {
  if (c.payload.role === "owner" && c.role !== "owner") return new DomainError("FORBIDDEN", "Only an owner can invite an owner.");
  const names = await p.store.inviteNames(c.gymId, c.userId);
  if ((await p.store.openInvitations(c.gymId, p.now())) >= MAX_OPEN_INVITATIONS)
    return new DomainError("LIMIT_EXCEEDED", "This gym has 500 open invitations — withdraw some first.");
  const made = await p.invitations.invite({
    gymId: c.gymId,
    gymName: names.gymName ?? "your gym",
    email: c.payload.email,
    role: c.payload.role,
    invitedBy: c.userId,
    inviterName: names.inviterName,
  });
  return { invitationId: made.id, expiresAt: made.expiresAt };
}

/** Owners and admins: the gym's invitations (people's addresses: an audited read). */
export async function invitations(p: SignInRequestPorts, c: In<"gym:invitations">) {
  const now = p.now();
  await p.readAudit.record({
    gymId: c.gymId,
    actorId: c.userId,
    action: "gym:invitations",
    entityType: "invitation",
    entityId: null,
    summary: {},
    commandId: c.commandId,
    at: now,
  });
  const list = await p.invitationStore.list(c.gymId, 100);
  const mails = list.length === 0 ? [] : await p.store.invitationMails(c.gymId, list[list.length - 1]!.createdAt);
  return {
    invitations: list.map((i) => ({
      invitationId: i.id,
      email: i.email,
      role: i.role,
      state: i.acceptedAt !== null ? "accepted" : i.revokedAt !== null ? "revoked" : i.expiresAt <= now ? "expired" : "open",
      createdAt: i.createdAt,
      expiresAt: i.expiresAt,
      // The invitation's mail: the first one to its address queued at or after it (the queue is written right after).
      mail: mails.find((m) => m.to === i.email && m.createdAt >= i.createdAt)?.state ?? null,
    })),
  };
}

export const revokeInvitation = async (p: SignInRequestPorts, c: In<"gym:revokeInvitation">) => ({
  revoked: await p.invitationStore.revoke(c.gymId, c.payload.invitationId.toLowerCase(), c.userId, p.now()),
});

/** Owners and admins: the state of the gym's outgoing mail (addresses: an audited read). */
export async function mailOutbox(p: SignInRequestPorts, c: In<"gym:mailOutbox">) {
  await p.readAudit.record({
    gymId: c.gymId,
    actorId: c.userId,
    action: "gym:mailOutbox",
    entityType: "mail",
    entityId: null,
    summary: {},
    commandId: c.commandId,
    at: p.now(),
  });
  return { mail: await p.store.mailOutbox(c.gymId) };
}
