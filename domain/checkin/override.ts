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

/** Why the member would have been refused, as the member reads it in the override's notice. */
const OverriddenWords: Record<(typeof OverridableDenials)[number], string> = {
  WAIVER_NOT_SIGNED: "your waiver wasn't signed",
  NO_BOOKING: "you weren't booked",
  OUTSIDE_CHECK_IN_WINDOW: "it was outside the check-in window",
  MEMBERSHIP_PAST_DUE: "your payment is overdue",
};

/**
 * What the member is told when staff check them in despite a refusal: where, what rule, and the reason in staff's
 * words (at most 300 characters: the notice stays within its 500). `where` is a class ("Tue 18:00 Yoga") or null for open gym.
 */
export function overrideNoticeText(where: string | null, denial: CheckInDenial, reason: string): string {
  const words = Object.hasOwn(OverriddenWords, denial) ? OverriddenWords[denial as keyof typeof OverriddenWords] : "a rule refused it";
  return `The front desk checked you in ${where ? `to ${where}` : "for open gym"} although ${words} — reason: ${reason.slice(0, 300)}`;
}
