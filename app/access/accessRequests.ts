/**
 * Requests that take access away: a membership's role or status changes, or a user signs out everywhere. Each
 * commits first, then announces the revocation to every node.
 */
import { DomainError } from "../../domain/errors.js";
import type { RequestPayload } from "../../domain/protocol/requests.js";
import type { GymRequest, UserRequest } from "../requestContext.js";
import type { AccessPorts } from "./ports.js";

/** Owners and admins: change someone's role or status in this gym. */
export async function setMembership(p: AccessPorts, c: GymRequest<RequestPayload<"gym:setMembership">>) {
  const { memberId, ...change } = c.payload;
  const outcome = await p.store.changeMembership(c.gymId, memberId.toLowerCase(), change, { userId: c.userId, role: c.role }, p.now());
  if (outcome instanceof DomainError) return outcome;
  // Answered once the rooms watched from this node took the note: what the caller does next is not shown to the member.
  if (outcome.changed) p.userChanged(outcome.memberId);
  if (outcome.changed) p.deskHears?.(c.gymId, outcome.memberId);
  if (outcome.changed) await p.announce({ userId: outcome.memberId, gymId: c.gymId, validAfter: null, deleted: false });
  return outcome;
}

/** End every session of mine on every device: each token issued until now stops working. */
export async function signOutEverywhere(p: AccessPorts, c: UserRequest<unknown>) {
  const at = p.now();
  await p.store.revokeTokens(c.userId, at);
  await p.sessions?.endAll(c.userId, "signed_out_everywhere", c.userId, undefined);
  // After this answer is on its way: the asking socket is one of those signed out.
  p.afterAnswer(() => void p.announce({ userId: c.userId, gymId: null, validAfter: at, deleted: false }));
  return { signedOutAt: at };
}
