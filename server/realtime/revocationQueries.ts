/**
 * Requests that take access away (see domain/protocol/queries.ts): a membership's role or status changes, or a
 * user signs out everywhere. Each commits first, then announces the revocation to every node.
 */
import { AdminRoles } from "../../domain/roles.js";
import type { MikroORM } from "@mikro-orm/core";
import { DomainError } from "../../domain/errors.js";
import type { MembershipStatus, Role } from "../../domain/model.js";
import { changeMembership, revokeTokens } from "../persistence/revocationStore.js";
import type { InGym, Mine, QueryHandlers } from "./queryHandler.js";
import type { Revocation } from "./revocation.js";
import type { Sessions } from "../../app/signin/sessions.js";

export interface RevocationQueryDeps {
  orm: MikroORM;
  now: () => number;
  inGym: InGym;
  mine: Mine;
  /** A revocation was committed: apply it on every node. */
  onRevoked: (r: Revocation) => Promise<void>;
  /** A membership changed: memberships kept in memory (on every node) are read again. */
  onUserChanged?: ((userId: string) => void) | undefined;
  /** Sign-in sessions: "sign out everywhere" also ends every one (no refresh cookie works again). */
  sessions?: Sessions | undefined;
}

export function revocationQueries(d: RevocationQueryDeps): QueryHandlers {
  return {
    "gym:setMembership": d.inGym<{ memberId: string; role?: Role; status?: MembershipStatus }>(
      "gym:setMembership",
      AdminRoles,
      async ({ userId, gymId, role, payload }) => {
        const { memberId, ...change } = payload;
        const outcome = await changeMembership(d.orm, gymId, memberId.toLowerCase(), change, { userId, role }, d.now());
        if (!outcome.ok) return new DomainError(outcome.code, outcome.message);
        // Answered once the rooms watched from this node took the note: what the caller does next is not shown to the member.
        if (outcome.result.changed) d.onUserChanged?.(outcome.result.memberId);
        if (outcome.result.changed) await d.onRevoked({ userId: outcome.result.memberId, gymId, validAfter: null, deleted: false });
        return outcome.result;
      },
    ),

    "user:signOutEverywhere": d.mine("user:signOutEverywhere", async ({ userId }) => {
      const at = d.now();
      await revokeTokens(d.orm.em.fork(), userId, at);
      await d.sessions?.endAll(userId, "signed_out_everywhere", userId, undefined);
      // After this answer is on its way: the asking socket is one of those signed out.
      setImmediate(() => void d.onRevoked({ userId, gymId: null, validAfter: at, deleted: false }));
      return { signedOutAt: at };
    }),
  };
}
