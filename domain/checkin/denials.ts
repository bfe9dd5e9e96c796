/**
 * Why a check-in is refused, in words for the front desk and the member.
 */
import { shortDate } from "../admin/members.js";
import type { CheckInDenial, MembershipStatus } from "../model.js";

/** Big-type message per denial reason. */
export const CheckInDenialMessages: Readonly<Record<CheckInDenial, string>> = {
  MEMBERSHIP_FROZEN: "Membership frozen — ask the front desk.",
  MEMBERSHIP_PAST_DUE: "Payment overdue — please see the front desk.",
  MEMBERSHIP_CANCELLED: "Membership cancelled — ask the front desk to rejoin.",
  MEMBERSHIP_PENDING: "Membership not active yet — ask the front desk.",
  UNKNOWN_MEMBER: "Member not found — check the name or code.",
  NO_BOOKING: "Not booked in this class — book first or ask the coach.",
  OUTSIDE_CHECK_IN_WINDOW: "Check-in isn't open for this class right now.",
  CLASS_CANCELLED: "This class has been cancelled.",
  WAIVER_NOT_SIGNED: "Waiver not signed — sign it in the app, then check in again.",
  CLASS_NOT_COVERED: "Your plan doesn't cover this class — ask the front desk.",
};

/**
 * The same refusals as the front desk and coaches must read them: not "ask the front desk" (they are the
 * desk) but what to do now.
 */
export const StaffCheckInDenialMessages: Readonly<Record<CheckInDenial, string>> = {
  MEMBERSHIP_FROZEN: "Membership frozen — offer to unfreeze it on their profile.",
  MEMBERSHIP_PAST_DUE: "Payment overdue — take the payment, then check in again.",
  MEMBERSHIP_CANCELLED: "Membership cancelled — offer to rejoin.",
  MEMBERSHIP_PENDING: "Membership not active yet — finish their sign-up, then check in.",
  UNKNOWN_MEMBER: "No member with this name or code — check it, or add them as a member.",
  NO_BOOKING: "Not booked in a class now — book them in, or check them in to open gym.",
  OUTSIDE_CHECK_IN_WINDOW: "Their class isn't open for check-in now — it opens shortly before the start.",
  CLASS_CANCELLED: "Their class was cancelled — offer another class.",
  WAIVER_NOT_SIGNED: "Waiver not signed — ask them to sign it in the app, or check them in with a reason.",
  CLASS_NOT_COVERED: "Their plan doesn't cover this class — sell them a drop-in or change their plan.",
};

/** The denial for a membership status, or null when it may check in (active). */
export function membershipDenial(status: MembershipStatus): CheckInDenial | null {
  switch (status) {
    case "active":
      return null;
    case "frozen":
      return "MEMBERSHIP_FROZEN";
    case "past_due":
      return "MEMBERSHIP_PAST_DUE";
    case "cancelled":
      return "MEMBERSHIP_CANCELLED";
    case "pending":
      return "MEMBERSHIP_PENDING";
  }
}

/**
 * What the desk reads for a refusal: the staff wording, with the freeze's last day when there is one
 * ("Membership frozen until 12 Jan — offer to unfreeze it on their profile.") and the class a plan doesn't cover
 * ("Their plan doesn't cover Open Gym — …"). Null for a reason it doesn't know.
 */
export function staffDenialMessage(reason: string | undefined, frozenUntil?: string | null, className?: string | null): string | null {
  if (!reason || !Object.hasOwn(StaffCheckInDenialMessages, reason)) return null;
  if (reason === "MEMBERSHIP_FROZEN" && frozenUntil)
    return `Membership frozen until ${shortDate(frozenUntil)} — offer to unfreeze it on their profile.`;
  if (reason === "CLASS_NOT_COVERED" && className)
    return `Their plan doesn't cover ${className} — sell them a drop-in or change their plan.`;
  return StaffCheckInDenialMessages[reason as CheckInDenial];
}
