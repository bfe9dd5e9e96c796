/**
 * The gym's staff on the Staff screen (issue 18, "People"): who works here, and someone leaving. A role change is
 * `gym:setMembership`; deactivating ends everything at once — the membership is cancelled, every session and token
 * of the person ends, and their live streams stop on every node (the revocation is announced like "sign out everywhere").
 */
import { DomainError } from "../../domain/errors.js";
import type { RequestPayload, RequestType } from "../../domain/protocol/requests.js";
import type { GymRequest } from "../requestContext.js";
import type { SignInRequestPorts } from "./requestPorts.js";

type In<K extends RequestType> = GymRequest<RequestPayload<K>>;

/** Owners and admins: the gym's staff (names and addresses of several people: an audited read). */
export async function listStaff(p: SignInRequestPorts, c: In<"gym:staff">) {
  const staff = await p.store.staff(c.gymId);
  await p.readAudit.record({
    gymId: c.gymId,
    actorId: c.userId,
    action: "gym:staff",
    entityType: "member",
    entityId: null,
    summary: { count: staff.length },
    commandId: c.commandId,
    at: p.now(),
  });
  return { staff };
}

/**
 * Owners and admins: someone leaves the staff. Committed (membership cancelled, tokens revoked, audited) before the
 * sessions end and every node drops the person's sockets; `userChanged` makes the rooms read the membership again.
 */
export async function deactivateStaff(p: SignInRequestPorts & { userChanged: (userId: string) => void }, c: In<"gym:deactivateStaff">) {
  const memberId = c.payload.memberId;
  if (memberId === c.userId) return new DomainError("FORBIDDEN", "You can't deactivate yourself — ask another owner.");
  const at = p.now();
  const done = await p.store.deactivateStaff(c.gymId, memberId, { actorId: c.userId, role: c.role, commandId: c.commandId }, at);
  if (done === null) return new DomainError("NOT_FOUND", "This person is not on this gym's staff.");
  if (done === "owner") return new DomainError("FORBIDDEN", "Only an owner can deactivate an owner.");
  p.userChanged(memberId);
  const ended = await p.sessions.endAll(memberId, "ended_by_staff", c.userId, undefined);
  await p.announce({ userId: memberId, gymId: null, validAfter: at, deleted: false });
  return { memberId, role: done.role, status: "cancelled" as const, ended: ended.length };
}
