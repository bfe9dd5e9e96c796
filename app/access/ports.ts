/**
 * What requests that take access away need (a role or status change, sign out everywhere, an approved deletion):
 * a committed revocation is announced to every node through {@link RevocationAnnouncer}.
 */
import type { DomainError } from "../../domain/errors.js";
import type { MembershipStatus, Role } from "../../domain/model.js";
import type { Clock } from "../requestContext.js";

/** Access or tokens taken away (committed first). */
export interface Revocation {
  userId: string;
  gymId: string | null;
  /** Tokens issued before this instant stop working (null: only access changed). */
  validAfter: number | null;
  /** The account was erased: no token of it works again. */
  deleted: boolean;
}

/** Applies a committed revocation on every node (sockets of the user leave, tokens are refused). */
export type RevocationAnnouncer = (r: Revocation) => Promise<void>;

export interface MembershipChange {
  memberId: string;
  role: Role;
  status: MembershipStatus;
  changed: boolean;
}

export interface AccessStore {
  /** Role or status of a membership, audited in the same transaction; only an owner touches an owner, nobody themselves. */
  changeMembership(
    gymId: string,
    memberId: string,
    change: { role?: Role | undefined; status?: MembershipStatus | undefined },
    by: { userId: string; role: string },
    now: number,
  ): Promise<MembershipChange | DomainError>;
  /** Every token of the user issued until `at` stops working. */
  revokeTokens(userId: string, at: number): Promise<void>;
}

/** Sign-in sessions: "sign out everywhere" ends every one (no refresh cookie works again). */
export interface SessionEnder {
  endAll(userId: string, reason: "signed_out_everywhere", actorId: string, request: undefined): Promise<unknown>;
}

export interface AccessPorts {
  store: AccessStore;
  announce: RevocationAnnouncer;
  /** A membership changed: memberships kept in memory (on every node) are read again. */
  userChanged: (userId: string) => void;
  /** A member's role or status changed in one gym: the gym's desks hear it (their saved member list). */
  deskHears?: ((gymId: string, memberId: string) => void) | undefined;
  sessions: SessionEnder | undefined;
  now: Clock;
  /** Runs after the answer is on its way (the asking socket is one of those signed out). */
  afterAnswer: (run: () => void) => void;
}
