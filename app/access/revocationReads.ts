/**
 * What the token check and the revocation sweep read (`server/realtime/revocation.ts`); `server/persistence/revocationReads.ts`
 * implements it over PostgreSQL.
 */

/** What the token check needs to know about a user: tokens issued at or before `validAfter` are refused; a deleted account never signs in again. */
export interface TokenState {
  validAfter: number;
  deleted: boolean;
}

export interface RevocationReads {
  /** The token state of several users in one round trip (users never revoked and not deleted are absent). */
  tokenStates(userIds: readonly string[]): Promise<Map<string, TokenState>>;
  /** Revocations recorded at or after `since` (what another node may have missed on the bus). */
  revokedSince(since: number): Promise<{ userId: string; validAfter: number }[]>;
  /** Ended sign-in sessions among `ids`. */
  endedSessions(ids: readonly string[]): Promise<Map<string, boolean>>;
  /** Sessions ended at or after `since`. */
  sessionsEndedSince(since: number): Promise<{ userId: string; sessionId: string }[]>;
}
