/** CSV exports (issue 19 item 13): phone numbers stay as typed; anything else starting like a formula is still defused. */
import { describe, expect, it } from "vitest";
import { csvField } from "../../../server/http/exports.js";

describe("csvField", () => {
  it("leaves a whole international phone number without the apostrophe (was `'+49 …`)", () => {
    expect(csvField("+49 30 1234567")).toBe("+49 30 1234567");
    expect(csvField("+1 (555) 010-9999")).toBe("+1 (555) 010-9999");
  });

  it("still defuses formulas that start with + or contain more than a phone number", () => {
    expect(csvField("+1+cmd|' /C calc'!A0")).toBe("'+1+cmd|' /C calc'!A0");
    expect(csvField("+49 30 1234567; =1+1")).toBe("'+49 30 1234567; =1+1");
    expect(csvField("+12345")).toBe("'+12345");
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField("-49 30 1234567")).toBe("'-49 30 1234567");
  });
});
