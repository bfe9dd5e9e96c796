import { describe, expect, it } from "vitest";
import { atRiskReason, rate, reportRow } from "../../../domain/reports/ownerReport.js";

const DAY = 86_400_000;
const now = Date.UTC(2026, 11, 6, 12);

describe("the owner's report rules", () => {
  it("says why a member is at risk: never came, quiet for 14 days, or visits halved", () => {
    const old = now - 100 * DAY;
    expect(atRiskReason({ lastVisitAt: null, joinedAt: old, recent: 0, before: 0 }, now)).toBe("Never visited");
    expect(atRiskReason({ lastVisitAt: now - 15 * DAY, joinedAt: old, recent: 0, before: 3 }, now)).toBe("No visit in 14 days");
    expect(atRiskReason({ lastVisitAt: now - DAY, joinedAt: old, recent: 2, before: 6 }, now)).toBe("Visits falling (6 → 2 in 14 days)");
    expect(atRiskReason({ lastVisitAt: now - DAY, joinedAt: old, recent: 3, before: 5 }, now)).toBeNull();
    expect(atRiskReason({ lastVisitAt: now - DAY, joinedAt: old, recent: 1, before: 3 }, now)).toBeNull();
  });

  it("does not call someone who joined less than 14 days ago at risk for not having come yet", () => {
    expect(atRiskReason({ lastVisitAt: null, joinedAt: now - 5 * DAY, recent: 0, before: 0 }, now)).toBeNull();
  });

  it("divides only by something: a rate of nothing is null, not 0", () => {
    expect(rate(1, 4)).toBe(0.25);
    expect(rate(0, 0)).toBeNull();
    expect(
      reportRow("Yoga", { sessions: 0, capacity: 0, taken: 0, checkedIn: 0, noShows: 0, lateCancels: 0, waitlisted: 0 }).fillRate,
    ).toBeNull();
  });
});
