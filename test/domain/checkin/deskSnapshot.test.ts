/**
 * The desk's snapshot decides waivers offline the way the gym room does online (issue 21): the same member rules
 * (membership, then the waiver) over the same waiver standing, built from the gym's setting and the member's signatures.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { waiverStanding } from "../../../domain/admin/waivers.js";
import { decideDeskCheckIn, DefaultDeskRules } from "../../../domain/checkin/deskDecision.js";
import { decideFromSnapshot, type DeskSnapshot } from "../../../domain/checkin/deskSnapshot.js";
import { deskRulesWithWaiver } from "../../../domain/checkin/waiver.js";
import { MembershipStatuses, WaiverEnforcements } from "../../../domain/model.js";
import { GYM, HOUR, STARTS_AT } from "../../support/domainBuilders.js";

const VERSIONS = ["v1", "v2", "v3"];

describe("waivers in the desk's snapshot", () => {
  it("refuses an unsigned member offline when the gym enforces its waiver, and lets a signed one in", () => {
    const snapshot: DeskSnapshot = {
      gymId: GYM,
      takenAt: STARTS_AT,
      rules: DefaultDeskRules,
      keys: [],
      sessions: [],
      waiver: { required: "check_in", versions: [{ version: "v1", effectiveAt: STARTS_AT - HOUR }] },
      members: [
        { memberId: "ann", name: "Ann", status: "active", planName: null, frozenUntil: null, lastOpenGymAt: null, signedWaivers: [] },
        { memberId: "bob", name: "Bob", status: "active", planName: null, frozenUntil: null, lastOpenGymAt: null, signedWaivers: ["v1"] },
      ],
    };
    expect(decideFromSnapshot(snapshot, "ann", true, STARTS_AT)).toMatchObject({ verdict: "denied", reason: "WAIVER_NOT_SIGNED" });
    expect(decideFromSnapshot(snapshot, "bob", true, STARTS_AT)).toEqual({ verdict: "open_gym" });
    // Before the version takes effect nothing is in force yet.
    expect(decideFromSnapshot(snapshot, "ann", true, STARTS_AT - 2 * HOUR)).toEqual({ verdict: "open_gym" });
  });

  it("property: the snapshot's verdict equals the gym room's for every setting, version list, signature set and status", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...WaiverEnforcements),
        fc.subarray(VERSIONS),
        fc.subarray(VERSIONS),
        fc.constantFrom(...MembershipStatuses),
        fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 3, maxLength: 3 }),
        fc.boolean(),
        (required, published, signed, status, offsets, openGym) => {
          const versions = published.map((version, i) => ({ version, effectiveAt: STARTS_AT + offsets[i]! * HOUR }));
          const member = {
            memberId: "ann",
            name: "Ann",
            status,
            planName: null,
            frozenUntil: null,
            lastOpenGymAt: null,
            signedWaivers: signed,
          };
          const snapshot: DeskSnapshot = {
            gymId: GYM,
            takenAt: STARTS_AT,
            rules: DefaultDeskRules,
            keys: [],
            sessions: [],
            members: [member],
            waiver: { required, versions },
          };
          // The gym room: the resident standing's waiver is waiverStanding(policy, signatures), its rules deskRulesWithWaiver.
          const standing = waiverStanding({ waiverRequired: required, waiverVersions: versions }, signed);
          const online = decideDeskCheckIn(
            { gymId: GYM, member: { ...member, gymId: GYM }, bookings: [], openGym, rules: DefaultDeskRules, now: STARTS_AT },
            deskRulesWithWaiver(standing),
          );
          expect(decideFromSnapshot(snapshot, "ann", openGym, STARTS_AT)).toEqual(online);
        },
      ),
    );
  });
});
