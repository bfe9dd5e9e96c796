import { describe, expect, it } from "vitest";
import { DefaultMessages, DomainError, ErrorCodes, isDomainError, isRetryable } from "../../domain/errors.js";

describe("DomainError", () => {
  it("has a human default message for every code", () => {
    for (const code of Object.values(ErrorCodes)) expect(DefaultMessages[code].length).toBeGreaterThan(10);
  });

  it("carries code, message and fields to the ack", () => {
    const e = new DomainError("VALIDATION_FAILED", undefined, { fields: { capacity: "Too big" } });
    expect(e).toBeInstanceOf(Error);
    expect(isDomainError(e)).toBe(true);
    expect(e.toAck()).toEqual({ code: "VALIDATION_FAILED", message: DefaultMessages.VALIDATION_FAILED, fields: { capacity: "Too big" } });
    expect(new DomainError("CLASS_FULL").toAck()).toEqual({ code: "CLASS_FULL", message: DefaultMessages.CLASS_FULL });
  });

  it("captures no stack frames for a refusal (a storm refused thousands; capturing them cost 2–4 % of its CPU)", () => {
    const e = new DomainError("CLASS_FULL");
    expect(e.stack ?? "").not.toContain("\n    at ");
    expect(new Error("a fault").stack).toContain("\n    at ");
  });

  it("marks only transient failures as retryable", () => {
    expect(isRetryable("UNAVAILABLE")).toBe(true);
    expect(new DomainError("RATE_LIMITED").retryable).toBe(true);
    expect(isRetryable("CLASS_FULL")).toBe(false);
    expect(isRetryable("INTERNAL")).toBe(false);
  });
});
