import { describe, expect, it } from "vitest";
import { readBookingRows, suggestBookingMapping } from "../../../domain/admin/bookingImport.js";
import { readHoldingRows, suggestHoldingMapping } from "../../../domain/admin/holdingImport.js";
import { importTime } from "../../../domain/admin/importColumns.js";

describe("import columns shared by the plans and bookings imports", () => {
  it("reads times as exports write them, alone or after a date", () => {
    expect(importTime("18:00")).toBe("18:00");
    expect(importTime("6:30 PM")).toBe("18:30");
    expect(importTime("12:00 am")).toBe("00:00");
    expect(importTime("6pm")).toBe("18:00");
    expect(importTime("2026-12-08 07:05")).toBe("07:05");
    expect(importTime("2026-12-08T07:05:00Z")).toBe("07:05");
    expect(importTime("12/8/2026 6:00 PM")).toBe("18:00");
    expect(importTime("2026-12-08")).toBeNull();
    expect(importTime("25:00")).toBeNull();
    expect(importTime("13:00 PM")).toBeNull();
  });

  it("recognises Mindbody, Glofox and PushPress column names", () => {
    expect(suggestHoldingMapping(["Client Email", "Pricing Option", "Activation Date", "Expiration Date", "Remaining"])).toEqual({
      email: "Client Email",
      plan: "Pricing Option",
      startsOn: "Activation Date",
      endsOn: "Expiration Date",
      credits: "Remaining",
    });
    expect(suggestHoldingMapping(["email", "membership_name", "start_date", "end_date", "credits_remaining"])).toMatchObject({
      plan: "membership_name",
      credits: "credits_remaining",
    });
    expect(suggestBookingMapping(["Email", "Class Name", "Class Date", "Class Time"])).toEqual({
      email: "Email",
      classType: "Class Name",
      date: "Class Date",
      time: "Class Time",
    });
  });

  it("takes a booking's time from its date cell when there is no time column, and names a repeated row", () => {
    const types = [{ id: "t1", name: "CrossFit" }];
    const { rows, errors } = readBookingRows(
      [
        ["a@example.com", "crossfit", "2026-12-08 18:00"],
        ["a@example.com", "CrossFit", "12/8/2026 6:00 PM"],
        ["b@example.com", "CrossFit", "2026-12-08"],
      ],
      ["Email", "Class", "Start"],
      { email: "Email", classType: "Class", date: "Start" },
      types,
    );
    expect(rows).toMatchObject([{ line: 2, classTypeId: "t1", date: "2026-12-08", time: "18:00" }]);
    expect(errors).toEqual([
      { line: 3, field: "row", message: "The same booking as line 2." },
      { line: 4, field: "time", message: '"2026-12-08" is not a time of day — use 18:00 or 6:00 PM.' },
    ]);
  });

  it("asks for the credits left on a credit plan, and starts an undated plan today", () => {
    const plans = [{ id: "p1", name: "Pack", credits: true }];
    const { rows, errors } = readHoldingRows(
      [
        ["a@example.com", "pack", ""],
        ["b@example.com", "Pack", "3"],
      ],
      ["Email", "Plan", "Credits"],
      { email: "Email", plan: "Plan", credits: "Credits" },
      plans,
      "2026-12-06",
    );
    expect(errors).toEqual([{ line: 2, field: "credits", message: '"Pack" is a plan with credits — say how many are left.' }]);
    expect(rows).toEqual([{ line: 3, email: "b@example.com", planId: "p1", startsOn: "2026-12-06", endsOn: null, credits: 3 }]);
  });
});
