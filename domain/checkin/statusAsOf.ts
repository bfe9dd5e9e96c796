/**
 * A membership's status at an earlier instant, for check-ins an offline desk sends late: the server decides each
 * as of the desk's time (clamped to [last sync, receipt]), so a member frozen after the desk let them in was
 * rightly let in, and one frozen before it was not (docs/domain.md "When the desk is offline").
 */
import type { Instant, MembershipStatus } from "../model.js";

/** One change of a membership's status: when, and what it was before. */
export interface StatusChange {
  at: Instant;
  from: MembershipStatus;
}

/**
 * The status at `at`, from the current one and the changes after `at` (any order): the status before the first
 * change after `at`, or the current status when nothing changed since.
 *
 * @example statusAsOf("frozen", [{ at: 100, from: "active" }], 50) // "active"
 */
export function statusAsOf(current: MembershipStatus, changesAfter: readonly StatusChange[], at: Instant): MembershipStatus {
  let first: StatusChange | null = null;
  for (const c of changesAfter) if (c.at > at && (first === null || c.at < first.at)) first = c;
  return first ? first.from : current;
}

/** How long status changes are kept: longer than any offline desk's grace (a day past the 12 hours codes stay good). */
export const StatusChangeRetentionMs = 36 * 3_600_000;
