import { describe, expect, it } from "vitest";
import { bookingRefusal } from "../../../domain/admin/bookingRefusals.js";
import { ErrorCodes, type ErrorCode } from "../../../domain/errors.js";

const row = { member: "Ana Ruiz", classTypeName: "Strength", when: "2026-12-08 18:00" };

describe("a class room's refusal of an imported booking, for staff", () => {
  it("names the member and the class instead of the room's member wording (regression: 'You're already booked in this class.')", () => {
    expect(bookingRefusal("ALREADY_BOOKED", row)).toBe("Ana Ruiz is already booked in the Strength class on 2026-12-08 18:00.");
    expect(bookingRefusal("NO_CREDITS", row)).toMatch(/^Ana Ruiz has no class credits left for the Strength class on 2026-12-08 18:00 — /);
  });

  it("never speaks to the member ('you', 'your') for any error code", () => {
    for (const code of Object.values(ErrorCodes) as ErrorCode[]) {
      const text = bookingRefusal(code, row);
      expect(text, code).not.toMatch(/\byou('re|r)?\b/i);
      expect(text, code).toMatch(/the Strength class on 2026-12-08 18:00/i);
    }
  });
});
