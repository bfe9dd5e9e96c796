/** The desk reads what to do, not the member's "ask the front desk" (issue 19 item 8). */
import { describe, expect, it } from "vitest";
import { CheckInDenialMessages, StaffCheckInDenialMessages, staffDenialMessage } from "../../../domain/checkin/denials.js";
import { CheckInDenials } from "../../../domain/model.js";

describe("StaffCheckInDenialMessages", () => {
  it("has staff words for every denial, none telling staff to ask the front desk, each saying what to do", () => {
    for (const reason of CheckInDenials) {
      const staff = StaffCheckInDenialMessages[reason];
      expect(staff, reason).toBeTruthy();
      expect(staff).not.toMatch(/front desk/i);
      expect(staff).toMatch(/ — /);
    }
    expect(StaffCheckInDenialMessages.MEMBERSHIP_FROZEN).toBe("Membership frozen — offer to unfreeze it on their profile.");
    expect(CheckInDenialMessages.MEMBERSHIP_FROZEN).toBe("Membership frozen — ask the front desk.");
  });

  it("tells the desk until when a membership is frozen, and what to do", () => {
    expect(staffDenialMessage("MEMBERSHIP_FROZEN", "2027-01-12")).toBe(
      "Membership frozen until 12 Jan — offer to unfreeze it on their profile.",
    );
    expect(staffDenialMessage("MEMBERSHIP_FROZEN", null)).toBe("Membership frozen — offer to unfreeze it on their profile.");
    expect(staffDenialMessage("MEMBERSHIP_PAST_DUE", "2027-01-12")).toBe(StaffCheckInDenialMessages.MEMBERSHIP_PAST_DUE);
    expect(staffDenialMessage("SOMETHING_NEW", null)).toBeNull();
    expect(staffDenialMessage(undefined)).toBeNull();
  });
});
