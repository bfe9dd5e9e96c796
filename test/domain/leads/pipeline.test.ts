import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkMove,
  countByStage,
  followUpDue,
  isOpen,
  LeadStages,
  stageAfterTrialVisit,
  type LeadStage,
} from "../../../domain/leads/pipeline.js";

const stage = fc.constantFrom(...LeadStages);

describe("the sales pipeline's rules", () => {
  it("never moves a lead to member except by converting, and never moves a member", () => {
    fc.assert(
      fc.property(stage, stage, (from, to) => {
        const refused = checkMove({ stage: from }, to, "reason");
        if (from === "member" || to === "member" || from === to) expect(refused?.code).toBe("VALIDATION_FAILED");
        else expect(refused).toBeNull();
      }),
    );
  });

  it("asks why a lead was lost", () => {
    expect(checkMove({ stage: "contacted" }, "lost", "  ")?.fields).toEqual({ lostReason: "Say why the lead was lost" });
    expect(checkMove({ stage: "contacted" }, "lost", "Too far away")).toBeNull();
    expect(checkMove({ stage: "lost" }, "contacted", "")).toBeNull();
  });

  it("moves a lead to trial on their trial visit only while it is being worked before the trial", () => {
    const moved = LeadStages.filter((s) => stageAfterTrialVisit(s) !== null);
    expect(moved).toEqual(["new", "contacted", "tour_booked"]);
    expect(new Set(moved.map((s) => stageAfterTrialVisit(s)))).toEqual(new Set(["trial"]));
  });

  it("puts a lead on someone's follow-up list when it is open, theirs or nobody's, and due by today", () => {
    const lead = (o: Partial<{ stage: LeadStage; ownerId: string | null; followUpOn: string | null }>) => ({
      stage: "contacted" as LeadStage,
      ownerId: null,
      followUpOn: "2026-12-06",
      ...o,
    });
    expect(followUpDue(lead({}), "ana", "2026-12-06")).toBe(true);
    expect(followUpDue(lead({ followUpOn: "2026-12-01" }), "ana", "2026-12-06")).toBe(true);
    expect(followUpDue(lead({ followUpOn: "2026-12-07" }), "ana", "2026-12-06")).toBe(false);
    expect(followUpDue(lead({ ownerId: "ana" }), "ana", "2026-12-06")).toBe(true);
    expect(followUpDue(lead({ ownerId: "ben" }), "ana", "2026-12-06")).toBe(false);
    expect(followUpDue(lead({ followUpOn: null }), "ana", "2026-12-06")).toBe(false);
    for (const s of ["member", "lost"] as const) expect(followUpDue(lead({ stage: s }), "ana", "2026-12-06")).toBe(false);
  });

  it("counts every stage, the empty ones as 0, summing to the number of leads", () => {
    fc.assert(
      fc.property(fc.array(stage, { maxLength: 50 }), (stages) => {
        const counts = countByStage(stages.map((s) => ({ stage: s })));
        expect(Object.keys(counts)).toEqual([...LeadStages]);
        expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(stages.length);
        expect(LeadStages.filter(isOpen).length).toBe(4);
      }),
    );
  });
});
