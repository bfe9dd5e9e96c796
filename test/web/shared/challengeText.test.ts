import { describe, expect, it } from "vitest";
import { challengeAmount, challengeProgress, challengeTarget } from "../../../web/shared/challengeText.js";

describe("challenge amounts", () => {
  it("shows amounts in the unit members think in", () => {
    expect(challengeAmount("attendance", 12)).toBe("12 classes");
    expect(challengeAmount("attendance", 1)).toBe("1 class");
    expect(challengeAmount("distance", 100_000)).toBe("100 km");
    expect(challengeAmount("volume", 50_000)).toBe("50,000 kg");
    expect(challengeProgress("distance", 42_195, 100_000)).toBe("42.2 / 100 km");
    expect(challengeProgress("attendance", 0, 12)).toBe("0 / 12 classes");
  });

  it("stores a typed target in the protocol's unit", () => {
    expect(challengeTarget("distance", 42.195)).toBe(42_195);
    expect(challengeTarget("attendance", 12)).toBe(12);
  });
});
