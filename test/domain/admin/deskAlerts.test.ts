import { describe, expect, it } from "vitest";
import { deskAlerts, type DeskAlertInput } from "../../../domain/admin/deskAlerts.js";

const NOW = Date.UTC(2027, 2, 4, 9);
const base: DeskAlertInput = {
  today: "2027-03-04",
  now: NOW,
  birthday: null,
  notes: "",
  tags: [],
  credits: null,
  creditsExpireAt: null,
  creditPlan: false,
  waiverMissing: false,
  owedCents: 0,
  currency: "EUR",
  status: "active",
  frozenUntil: null,
};

describe("deskAlerts", () => {
  it("is empty for a member with nothing to act on", () => {
    expect(deskAlerts(base)).toEqual([]);
  });

  it("names the waiver, the money owed, an injury note, a low pack and a birthday, most urgent first", () => {
    const alerts = deskAlerts({
      ...base,
      waiverMissing: true,
      owedCents: 1250,
      notes: "Left knee injury — no jumping",
      credits: 1,
      creditPlan: true,
      birthday: "1990-03-04",
    });
    expect(alerts.map((a) => a.kind)).toEqual(["waiver_missing", "owes", "injury", "pack_low", "birthday"]);
    expect(alerts.map((a) => a.text)).toEqual([
      "Waiver not signed — ask them to sign it in the app",
      "Owes €12.50",
      "Injury note: Left knee injury — no jumping",
      "Pack running low: 1 credit left",
      "Birthday today 🎂",
    ]);
  });

  it("says when credits run out or expire soon, and nothing for a plan without credits", () => {
    expect(deskAlerts({ ...base, creditPlan: true, credits: 0 })[0]!.text).toContain("No credits left");
    expect(deskAlerts({ ...base, creditPlan: true, credits: 6, creditsExpireAt: NOW + 3 * 86_400_000 })[0]!.text).toBe(
      "6 credits expire in 3 days",
    );
    expect(deskAlerts({ ...base, creditPlan: true, credits: 6, creditsExpireAt: NOW + 30 * 86_400_000 })).toEqual([]);
    expect(deskAlerts({ ...base, creditPlan: false, credits: null })).toEqual([]);
  });

  it("finds an injury by tag, and cuts a long note", () => {
    expect(deskAlerts({ ...base, tags: ["injury"] })[0]).toEqual({ kind: "injury", text: "Injury note: see the profile" });
    const long = deskAlerts({ ...base, notes: `Shoulder surgery ${"x".repeat(300)}` })[0]!.text;
    expect(long.length).toBeLessThanOrEqual(175);
    expect(long.endsWith("…")).toBe(true);
  });

  it("a birthday on another day is no alert; a freeze says until when", () => {
    expect(deskAlerts({ ...base, birthday: "1990-03-05" })).toEqual([]);
    expect(deskAlerts({ ...base, status: "frozen", frozenUntil: "2027-04-01" })).toEqual([
      { kind: "frozen", text: "Membership frozen until 2027-04-01" },
    ]);
  });
});
