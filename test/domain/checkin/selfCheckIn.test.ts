import { describe, expect, it } from "vitest";
import { decideCheckInSource, selfCheckInRefusal } from "../../../domain/checkin/selfCheckIn.js";

describe("decideCheckInSource", () => {
  it("records a member's own check-in as app, whatever the app claims", () => {
    for (const claimed of ["door", "desk", "kiosk", "qr", "app", undefined] as const)
      expect(decideCheckInSource({ staff: false }, claimed, "desk")).toBe("app");
  });

  it("lets staff name the gym device, but never app", () => {
    expect(decideCheckInSource({ staff: true }, "door", "desk")).toBe("door");
    expect(decideCheckInSource({ staff: true }, "app", "desk")).toBe("desk");
    expect(decideCheckInSource({ staff: true }, undefined, "qr")).toBe("qr");
  });
});

describe("selfCheckInRefusal", () => {
  it("refuses a member's own check-in while the gym's setting is off, then without a valid presence code", () => {
    expect(selfCheckInRefusal({ staff: false, self: true, enabled: false, presence: "valid" })?.code).toBe("SELF_CHECK_IN_DISABLED");
    expect(selfCheckInRefusal({ staff: false, self: true, enabled: true, presence: "missing" })?.code).toBe("PRESENCE_REQUIRED");
    expect(selfCheckInRefusal({ staff: false, self: true, enabled: true, presence: "invalid" })?.code).toBe("PRESENCE_REQUIRED");
    expect(selfCheckInRefusal({ staff: false, self: true, enabled: true, presence: "valid" })).toBeNull();
  });

  it("does not ask staff, nor anyone checking in someone else (the room refuses members doing that)", () => {
    expect(selfCheckInRefusal({ staff: true, self: true, enabled: false, presence: "missing" })).toBeNull();
    expect(selfCheckInRefusal({ staff: false, self: false, enabled: false, presence: "missing" })).toBeNull();
  });
});
