import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bookSpot } from "../../domain/class/bookSpot.js";
import { missingConsents, RequiredConsentKinds } from "../../domain/privacy.js";
import { aClassState, aMember, ctxFor, ok, refused } from "../support/domainBuilders.js";

describe("missingConsents", () => {
  it("requires nothing when the gym configured no versions", () => {
    expect(missingConsents(undefined, [])).toEqual([]);
    expect(missingConsents({}, [])).toEqual([]);
  });

  it("names each required policy whose current version was not accepted, whatever older versions were", () => {
    expect(
      missingConsents({ terms: "2", privacy: "1" }, [
        { kind: "terms", version: "1" },
        { kind: "privacy", version: "1" },
      ]),
    ).toEqual(["terms"]);
    expect(missingConsents({ terms: "2" }, [{ kind: "marketing", version: "2" }])).toEqual(["terms"]);
    expect(
      missingConsents({ terms: "2" }, [
        { kind: "terms", version: "1" },
        { kind: "terms", version: "2" },
      ]),
    ).toEqual([]);
  });

  it("is empty exactly when every required version is among the accepted ones", () => {
    const kind = fc.constantFrom(...RequiredConsentKinds);
    const version = fc.constantFrom("1", "2", "3");
    fc.assert(
      fc.property(fc.dictionary(kind, version), fc.array(fc.record({ kind, version })), (required, accepted) => {
        const everyAccepted = Object.entries(required).every(([k, v]) => accepted.some((c) => c.kind === k && c.version === v));
        expect(missingConsents(required, accepted).length === 0).toBe(everyAccepted);
      }),
    );
  });
});

describe("booking and consents", () => {
  it("refuses with CONSENT_REQUIRED while the member has not accepted the gym's current terms", () => {
    const e = refused(bookSpot(aClassState({ members: [aMember({ missingConsents: ["terms"] })] }), {}, ctxFor("ann")));
    expect(e.code).toBe("CONSENT_REQUIRED");
    expect(e.message).toBe("Please accept the updated terms before booking.");
  });

  it("books a member with no missing consents", () => {
    ok(bookSpot(aClassState({ members: [aMember({ missingConsents: [] })] }), {}, ctxFor("ann")));
  });
});
