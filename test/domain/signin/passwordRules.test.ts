import { describe, expect, it } from "vitest";
import { PASSWORD_MAX_LENGTH, passwordProblem } from "../../../domain/signin/passwordRules.js";

describe("password rules", () => {
  it("accepts a long pass phrase", () => {
    expect(passwordProblem("correct horse battery staple")).toBeNull();
    expect(passwordProblem("Kettlebell-Sunrise-42")).toBeNull();
  });

  it("refuses anything shorter than 12 characters, counting characters, not bytes", () => {
    expect(passwordProblem("Tr0ub4dor&3")).toMatch(/at least 12/);
    expect(passwordProblem("ééééééééééé")).toMatch(/at least 12/); // 11 characters, 22 bytes
  });

  it("refuses more than the maximum", () => {
    expect(passwordProblem("a b c d e f ".repeat(20).slice(0, PASSWORD_MAX_LENGTH + 1))).toMatch(/at most/);
  });

  it.each([
    "password1234",
    "Password!2024",
    "qwertyuiop12",
    "1q2w3e4r5t6y",
    "123456789012",
    "passwordpassword",
    "aaaaaaaaaaaaaa",
    "abcdefghijklm",
    "ILoveYou12345",
    "crossfit2026!",
  ])("refuses the breached or predictable %s", (pw) => {
    expect(passwordProblem(pw)).not.toBeNull();
  });

  it("refuses a password built on the email or name", () => {
    expect(passwordProblem("annika.berg-rocks!", ["annika.berg@example.com"])).toMatch(/email, name or gym/);
    expect(passwordProblem("annika.berg-rocks!", ["someone@example.com"])).toBeNull();
  });
});
