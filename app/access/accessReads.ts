/**
 * What the access check (`server/realtime/access.ts`) reads when a gym's members are not resident: which gym a class
 * session belongs to, and memberships. Both are asked in batches. `server/persistence/accessReads.ts` implements it.
 */
import type { MembershipStatus, Role } from "../../domain/model.js";

export interface AccessReads {
  /** The gym of each session among `ids` that exists (ids as PostgreSQL answers them: lowercase). */
  sessionGyms(ids: readonly string[]): Promise<{ id: string; gymId: string }[]>;
  /**
   * For each asked session that exists: its gym, and the asked user's membership there (null: none). A first join of
   * a class of a gym not in memory asks both in one round trip instead of the gym first, then the membership.
   */
  sessionMemberships(
    asked: readonly { sessionId: string; userId: string }[],
  ): Promise<{ sessionId: string; userId: string; gymId: string; membership: { role: Role; status: MembershipStatus } | null }[]>;
  /** The memberships of `userIds` in one gym (absent: none). */
  memberships(gymId: string, userIds: readonly string[]): Promise<{ userId: string; role: Role; status: MembershipStatus }[]>;
}
