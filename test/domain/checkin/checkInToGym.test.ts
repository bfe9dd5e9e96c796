import { describe, expect, it } from "vitest";
import { checkInToGym } from "../../../domain/checkin/checkInToGym.js";
import type { GymCheckIn } from "../../../domain/checkin/checkInToGym.js";
import { GYM, MINUTE, OTHER_GYM, STARTS_AT, aMember, sequentialIds } from "../../support/domainBuilders.js";

const input = (overrides: Partial<GymCheckIn> = {}): GymCheckIn => ({
  gymId: GYM, standing: aMember(), source: "door", byUserId: null, lastAcceptedAt: null, now: STARTS_AT, newId: sequentialIds("c"), ...overrides,
});

describe("checkInToGym (open gym)", () => {
  it("accepts an active member and records attendance without a session", () => {
    const r = checkInToGym(input());
    expect(r.status).toBe("checked_in");
    expect(r.checkIn).toMatchObject({ result: "accepted", sessionId: null, memberId: "ann", source: "door" });
    expect(r.attendance).toMatchObject({ memberId: "ann", sessionId: null, at: STARTS_AT });
  });

  it("records a denial with the reason for a frozen member", () => {
    const r = checkInToGym(input({ standing: aMember({ status: "frozen" }), byUserId: "desk-1" }));
    expect(r).toMatchObject({ status: "denied", reason: "MEMBERSHIP_FROZEN", message: "Membership frozen — ask the front desk." });
    expect(r.checkIn).toMatchObject({ result: "denied", byUserId: "desk-1" });
  });

  it("records UNKNOWN_MEMBER without a member id for an unknown code or another gym's member", () => {
    expect(checkInToGym(input({ standing: null }))).toMatchObject({ reason: "UNKNOWN_MEMBER", checkIn: { memberId: null } });
    expect(checkInToGym(input({ standing: aMember({ gymId: OTHER_GYM }) }))).toMatchObject({ reason: "UNKNOWN_MEMBER", checkIn: { memberId: null } });
  });

  it("swallows a double scan within ten minutes", () => {
    expect(checkInToGym(input({ lastAcceptedAt: STARTS_AT - 9 * MINUTE })).status).toBe("already_checked_in");
    expect(checkInToGym(input({ lastAcceptedAt: STARTS_AT - 10 * MINUTE })).status).toBe("checked_in");
  });
});
