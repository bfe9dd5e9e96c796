/** {@link RevocationReads} over PostgreSQL (token revocations, approved deletions, ended sign-in sessions). */
import type { MikroORM } from "@mikro-orm/core";
import type { RevocationReads } from "../../app/access/revocationReads.js";
import { revokedSince, tokenStates } from "./revocationStore.js";
import { endedSessions, sessionsEndedSince } from "./sessionStore.js";

export function revocationReads(orm: MikroORM): RevocationReads {
  return {
    tokenStates: (ids) => tokenStates(orm, ids),
    revokedSince: (since) => revokedSince(orm, since),
    endedSessions: (ids) => endedSessions(orm, ids),
    sessionsEndedSince: (since) => sessionsEndedSince(orm, since),
  };
}
