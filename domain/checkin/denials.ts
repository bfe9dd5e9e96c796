/**
 * Why a check-in is refused, in words for the front desk and the member.
 */
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
