/**
 * `sameStanding` decides whether a class room may keep the standing it holds instead of copying its roster to put
 * in a fresh read: it must say "same" only when nothing differs, nested plan terms and waivers included.
 */
import { describe, expect, it } from "vitest";
import { sameStanding } from "../../../domain/class/state.js";
import { aMember, aPackMember } from "../../support/domainBuilders.js";

describe("sameStanding", () => {
  it("is true for an equal standing built anew (another object, nested objects copied)", () => {
    const a = aMember({ plan: { startsOn: "2026-12-01", endsOn: null, classTypeIds: ["t1"] }, missingConsents: ["terms"] });
    expect(sameStanding(a, structuredClone(a))).toBe(true);
    expect(sameStanding(aPackMember("ann", 3), aPackMember("ann", 3))).toBe(true);
  });

  it("is false when anything a decision reads differs, however deep", () => {
    const a = aPackMember("ann", 3);
    expect(sameStanding(undefined, a)).toBe(false);
    expect(sameStanding(a, aPackMember("ann", 2))).toBe(false);
    expect(sameStanding(a, { ...a, status: "frozen" })).toBe(false);
    expect(sameStanding(a, { ...a, bookingsThisWeek: 1 })).toBe(false);
    expect(sameStanding(a, { ...a, entitlement: { kind: "pack", credits: 10, validDays: 30 } })).toBe(false);
    expect(sameStanding(a, { ...a, missingConsents: ["privacy"] })).toBe(false);
    const planned = { ...a, plan: { startsOn: "2026-12-01", endsOn: null, classTypeIds: ["t1"] } };
    expect(sameStanding(planned, { ...planned, plan: { ...planned.plan, classTypeIds: ["t1", "t2"] } })).toBe(false);
    expect(sameStanding({ ...a, missingConsents: ["terms"] }, { ...a, missingConsents: [] })).toBe(false);
    // An absent key and one set (even to undefined) are not the same standing.
    expect(sameStanding(a, { ...a, plan: undefined })).toBe(false);
    expect(sameStanding({ ...a, missingConsents: [] }, { ...a, missingConsents: {} as never })).toBe(false);
  });
});
