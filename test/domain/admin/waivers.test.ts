import { describe, expect, it } from "vitest";
import {
  checkPublish,
  checkTypedName,
  currentWaiver,
  currentWaivers,
  documentOf,
  signable,
  waiverMissing,
  waiverStanding,
  withVersion,
  WaiverVersionsKept,
} from "../../../domain/admin/waivers.js";
import type { WaiverVersionRef } from "../../../domain/model.js";
import { isOverridable, overrideRefusal } from "../../../domain/checkin/override.js";
import { waiverDenial } from "../../../domain/checkin/waiver.js";
import { DomainError } from "../../../domain/errors.js";
import { bookSpot } from "../../../domain/class/bookSpot.js";
import { checkInToClass } from "../../../domain/class/checkIn.js";
import { aClassState, aMember, ctxFor, MINUTE, ok, refused, STARTS_AT, statusOf, withBooked } from "../../support/domainBuilders.js";

const DAY = 86_400_000;
const v1 = { version: "1", effectiveAt: 0 };
const v2 = { version: "2", effectiveAt: 10 * DAY };

describe("waiver versions", () => {
  it("puts the latest version whose date has come in force; a later one waits for its day", () => {
    expect(currentWaiver([v1, v2], 5 * DAY)).toBe(v1);
    expect(currentWaiver([v2, v1], 10 * DAY)).toBe(v2);
    expect(currentWaiver([v2], 5 * DAY)).toBeNull();
  });

  it("refuses a version name already used and a date before today", () => {
    expect(checkPublish(["1"], { version: "1", effectiveOn: "2027-01-02" }, "2027-01-01")?.fields).toEqual({
      version: "Already published",
    });
    expect(checkPublish([], { version: "1", effectiveOn: "2026-12-31" }, "2027-01-01")?.fields).toEqual({
      effectiveOn: expect.any(String),
    });
    expect(checkPublish(["1"], { version: "2", effectiveOn: "2027-01-01" }, "2027-01-01")).toBeNull();
  });

  it("keeps the policy's list in date order and bounded", () => {
    let list = withVersion(undefined, v2);
    list = withVersion(list, v1);
    expect(list.map((v) => v.version)).toEqual(["1", "2"]);
    for (let i = 3; i < 12; i++) list = withVersion(list, { version: String(i), effectiveAt: i * DAY * 10 });
    expect(list).toHaveLength(WaiverVersionsKept);
    expect(list.at(-1)!.version).toBe("11");
  });

  it("lets members sign the version in force or an upcoming one, never a replaced one", () => {
    expect(signable([v1, v2], "2", 5 * DAY)).toBe(v2);
    expect(signable([v1, v2], "1", 11 * DAY)).toBeInstanceOf(DomainError);
    expect((signable([v1], "9", 0) as DomainError).code).toBe("NOT_FOUND");
  });

  it("takes a typed name with at least two letters, as typed", () => {
    expect(checkTypedName("Ana Silva")).toBeNull();
    expect(checkTypedName("Zoë")).toBeNull();
    expect(checkTypedName("x ")?.fields).toEqual({ typedName: "Type your full name" });
  });
});

describe("enforcement", () => {
  const policy = (waiverRequired: "off" | "check_in" | "booking") => ({ waiverRequired, waiverVersions: [v1, v2] });

  it("checks nothing when the gym enforces nothing or published nothing", () => {
    expect(waiverStanding(policy("off"), [])).toBeUndefined();
    expect(waiverStanding({ waiverRequired: "booking", waiverVersions: [] }, [])).toBeUndefined();
    expect(waiverDenial({}, 0)).toBeNull();
  });

  it("refuses at the desk until the version in force is signed; a new version in force needs signing again", () => {
    const signedOne = waiverStanding(policy("check_in"), ["1"]);
    expect(waiverDenial({ waiver: waiverStanding(policy("check_in"), []) }, 0)).toBe("WAIVER_NOT_SIGNED");
    expect(waiverDenial({ waiver: signedOne }, 5 * DAY)).toBeNull();
    expect(waiverDenial({ waiver: signedOne }, 10 * DAY)).toBe("WAIVER_NOT_SIGNED");
  });

  it("refuses booking only when the gym says so", () => {
    expect(waiverMissing(waiverStanding(policy("check_in"), []), 0, "booking")).toBe(false);
    expect(waiverMissing(waiverStanding(policy("booking"), []), 0, "booking")).toBe(true);
    expect(waiverMissing(waiverStanding(policy("booking"), ["1"]), 0, "booking")).toBe(false);
  });
});

describe("desk overrides", () => {
  it("overrides waiver, booking, window and overdue refusals, never a frozen, cancelled or unknown member", () => {
    expect(
      ["WAIVER_NOT_SIGNED", "NO_BOOKING", "OUTSIDE_CHECK_IN_WINDOW", "MEMBERSHIP_PAST_DUE"].every((d) => isOverridable(d as never)),
    ).toBe(true);
    expect(["MEMBERSHIP_FROZEN", "MEMBERSHIP_CANCELLED", "UNKNOWN_MEMBER", "CLASS_CANCELLED"].some((d) => isOverridable(d as never))).toBe(
      false,
    );
  });

  it("lets owners, admins and the front desk override, not coaches", () => {
    expect([overrideRefusal("owner"), overrideRefusal("admin"), overrideRefusal("front_desk")]).toEqual([null, null, null]);
    expect(overrideRefusal("coach")?.code).toBe("FORBIDDEN");
  });
});

describe("in the class room", () => {
  const waiver = (enforce: "check_in" | "booking", signed: string[]) => ({ enforce, versions: [{ version: "1", effectiveAt: 0 }], signed });

  it("records a roster or app check-in as refused until the waiver in force is signed", () => {
    const now = STARTS_AT - 10 * MINUTE;
    const unsigned = withBooked(aClassState({ members: [aMember({ memberId: "ann", waiver: waiver("check_in", []) })] }), ["ann"]);
    const refusedIn = ok(checkInToClass(unsigned, { source: "app" }, ctxFor("ann", now)));
    expect(refusedIn.result).toMatchObject({ status: "denied", reason: "WAIVER_NOT_SIGNED" });
    const signed = withBooked(aClassState({ members: [aMember({ memberId: "ann", waiver: waiver("check_in", ["1"]) })] }), ["ann"]);
    expect(ok(checkInToClass(signed, { source: "app" }, ctxFor("ann", now))).result).toMatchObject({ status: "checked_in" });
  });

  it("lets the desk check a booked member in despite an overridable refusal, keeping the refusal and the reason; coaches can't", () => {
    const early = STARTS_AT - 3 * 60 * MINUTE;
    const state = withBooked(aClassState({ members: [aMember({ memberId: "ann", waiver: waiver("check_in", []) })] }), ["ann"]);
    const override = { reason: "Paper form" };
    expect(refused(checkInToClass(state, { memberId: "ann", override }, ctxFor("coach-1", early, "coach"))).code).toBe("FORBIDDEN");
    const done = ok(checkInToClass(state, { memberId: "ann", source: "desk", override }, ctxFor("desk-1", early, "front_desk")));
    expect(done.result).toMatchObject({ status: "checked_in", overridden: "WAIVER_NOT_SIGNED", override: "Paper form" });
    expect(done.state.checkIns.at(-1)).toMatchObject({ result: "accepted", reason: "WAIVER_NOT_SIGNED", override: "Paper form" });
    expect(statusOf(done.state, "ann")).toBe("checked_in");
    // Without a booking there is nothing to check into: the refusal stands.
    const unbooked = aClassState({ members: ["bob"] });
    const stands = ok(checkInToClass(unbooked, { memberId: "bob", override }, ctxFor("desk-1", early, "front_desk")));
    expect(stands.result).toMatchObject({ status: "denied" });
    expect(statusOf(stands.state, "bob")).toBeUndefined();
  });

  it("refuses booking with WAIVER_REQUIRED only when the gym requires it for booking", () => {
    const forBooking = aClassState({ members: [aMember({ memberId: "ann", waiver: waiver("booking", []) })] });
    expect(refused(bookSpot(forBooking, {}, ctxFor("ann"))).code).toBe("WAIVER_REQUIRED");
    const atDesk = aClassState({ members: [aMember({ memberId: "ann", waiver: waiver("check_in", []) })] });
    expect(ok(bookSpot(atDesk, {}, ctxFor("ann"))).result).toMatchObject({ status: "booked" });
  });
});

describe("policy documents, each version saying what it requires", () => {
  const rules1 = { version: "rules-1", effectiveAt: 0, document: "house-rules", required: "booking" as const };
  const rules2 = { version: "rules-2", effectiveAt: 10 * DAY, document: "house-rules", required: "off" as const };
  const waiverOff = { version: "w-1", effectiveAt: 0, required: "off" as const };
  const standing = (signed: string[], versions: WaiverVersionRef[], gymDefault: "off" | "check_in" | "booking" = "off") =>
    waiverStanding({ waiverRequired: gymDefault, waiverVersions: versions }, signed);

  it("refuses booking while the version in force of any document that requires it to book is not accepted", () => {
    const versions = [waiverOff, rules1];
    expect(waiverMissing(standing([], versions), DAY, "booking")).toBe(true);
    expect(waiverMissing(standing([], versions), DAY, "check_in")).toBe(true);
    expect(waiverMissing(standing(["rules-1"], versions), DAY, "booking")).toBe(false);
  });

  it("stops requiring a document once its new version in force says it is not required", () => {
    expect(waiverMissing(standing([], [waiverOff, rules1, rules2]), 5 * DAY, "booking")).toBe(true);
    expect(waiverMissing(standing([], [waiverOff, rules1, rules2]), 11 * DAY, "booking")).toBe(false);
  });

  it("lets a version's own setting override the gym's default, and the default cover versions published without one", () => {
    expect(waiverMissing(standing([], [waiverOff], "booking"), DAY, "booking")).toBe(false);
    expect(waiverStanding({ waiverRequired: "booking", waiverVersions: [waiverOff] }, [])).toBeUndefined();
    expect(waiverMissing(standing([], [{ version: "old", effectiveAt: 0 }], "booking"), DAY, "booking")).toBe(true);
    expect(waiverMissing(standing([], [{ version: "old", effectiveAt: 0 }], "check_in"), DAY, "booking")).toBe(false);
  });

  it("keeps each document's current version: a newer house-rules version does not replace the waiver", () => {
    const w = { version: "w-1", effectiveAt: 0 };
    expect(currentWaivers([w, rules1, rules2], 11 * DAY)).toEqual([w, rules2]);
    expect(signable([w, rules1, rules2], "w-1", 11 * DAY)).toBe(w);
    expect(signable([w, rules1, rules2], "rules-1", 11 * DAY)).toMatchObject({ code: "VALIDATION_FAILED" });
  });

  it("keeps the newest versions per document, so many house-rules versions never push the waiver out", () => {
    let list: WaiverVersionRef[] = [{ version: "w-1", effectiveAt: 0 }];
    for (let i = 1; i <= WaiverVersionsKept + 3; i++)
      list = withVersion(list, { version: `r-${i}`, effectiveAt: i * DAY, document: "house-rules" });
    expect(list.filter((v) => documentOf(v) === "house-rules")).toHaveLength(WaiverVersionsKept);
    expect(list.map((v) => v.version)).toContain("w-1");
  });
});
