/**
 * Staff overrides at the desk (docs/domain.md "Walk-ins and overrides"): which refusals staff may check someone in
 * despite, and who may. Pure.
 */
import type { CheckInDenial, Role } from "../model.js";
import { DomainError } from "../errors.js";

/**
 * Refusals staff may override with a reason. A frozen, cancelled or pending membership is changed on the member's
 * profile instead (so the record says what really holds), and an unknown person is added as a walk-in.
 */
export const OverridableDenials = [
  "WAIVER_NOT_SIGNED",
  "NO_BOOKING",
  "OUTSIDE_CHECK_IN_WINDOW",
  "MEMBERSHIP_PAST_DUE",
] as const satisfies readonly CheckInDenial[];

/** Who may override: the people who run the desk, not coaches. */
export const OverrideRoles = ["owner", "admin", "front_desk"] as const satisfies readonly Role[];

/** Whether a refusal can be overridden at all. */
export const isOverridable = (denial: CheckInDenial): boolean => (OverridableDenials as readonly string[]).includes(denial);

/** FORBIDDEN when the caller's role may not override refusals; null when they may. */
export function overrideRefusal(role: string): DomainError | null {
  return (OverrideRoles as readonly string[]).includes(role)
    ? null
    : new DomainError("FORBIDDEN", "Only owners, admins and the front desk can check someone in despite a refusal.");
}
