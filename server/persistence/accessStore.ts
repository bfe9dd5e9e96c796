/** The {@link AccessStore} port over PostgreSQL. */
import type { MikroORM } from "@mikro-orm/core";
import type { AccessStore } from "../../app/access/ports.js";
import { DomainError } from "../../domain/errors.js";
import { changeMembership, revokeTokens } from "./revocationStore.js";

export function accessStore(orm: MikroORM): AccessStore {
  return {
    async changeMembership(gymId, memberId, change, by, now) {
      const outcome = await changeMembership(orm, gymId, memberId, change, by, now);
      return outcome.ok ? outcome.result : new DomainError(outcome.code, outcome.message);
    },
    revokeTokens: (userId, at) => revokeTokens(orm.em.fork(), userId, at),
  };
}
