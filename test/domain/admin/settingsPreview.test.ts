/** The words and scopes of the settings preview (docs/domain.md "Settings and their defaults"), without a database. */
import { describe, expect, it } from "vitest";
import { previewPolicy, type ClassReach } from "../../../domain/admin/settingsPreview.js";
import { DomainError } from "../../../domain/errors.js";
import type { GymPolicy } from "../../../domain/model.js";
import { DefaultGymPolicy } from "../../../domain/policy.js";

const NOW = Date.UTC(2027, 0, 10, 12);
const reach: ClassReach = { open: { classes: 4, bookings: 30 }, upcoming: { classes: 3, bookings: 25 } };
const policy: GymPolicy = { ...DefaultGymPolicy };

describe("previewPolicy", () => {
  it("names each changed setting with its scope, in the order of the settings, leaving unchanged ones out", () => {
    const changes = previewPolicy(policy, { checkInClosesMinutes: 0, noShowFeeCents: 0, waitlistLimit: 20 }, reach, NOW);
    expect(changes).toEqual([
      {
        setting: "noShowFeeCents",
        scope: "open_classes",
        classes: 4,
        bookings: 30,
        kept: { classes: 0, bookings: 0 },
        text: "No-show fee: €10.00 → none. Applies at once to every class not yet closed — 4 classes, 30 bookings; fees already charged keep their amount.",
      },
      {
        setting: "checkInClosesMinutes",
        scope: "new_classes",
        classes: 0,
        bookings: 0,
        kept: { classes: 3, bookings: 25 },
        text:
          "Check-in closes: 15 minutes after start → at start. Applies to classes scheduled from now on. " +
          "The 3 upcoming classes already on the timetable (25 bookings) keep 15 minutes after start — edit a class to change it.",
      },
    ]);
  });

  it("says a new-class setting reaches no class on an empty timetable, in singular where one class is kept", () => {
    const empty = previewPolicy(
      policy,
      { lateCancelMinutes: 90 },
      { open: { classes: 0, bookings: 0 }, upcoming: { classes: 0, bookings: 0 } },
      NOW,
    );
    expect((empty as { text: string }[])[0]!.text).toBe(
      "Late-cancel cut-off: 12 hours before start → 90 minutes before start. Applies to classes scheduled from now on. No class is on the timetable yet.",
    );
    const one = previewPolicy(
      policy,
      { lateCancelMinutes: 90 },
      { open: { classes: 1, bookings: 1 }, upcoming: { classes: 1, bookings: 1 } },
      NOW,
    );
    expect((one as { text: string }[])[0]!.text).toContain(
      "The 1 upcoming class already on the timetable (1 booking) keeps 12 hours before start",
    );
  });

  it("says the waiver default changes nothing now when every version in force sets its own requirement", () => {
    const own: GymPolicy = { ...policy, waiverVersions: [{ version: "v1", effectiveAt: NOW - 1, required: "booking" }] };
    expect(previewPolicy(own, { waiverRequired: "check_in" }, reach, NOW)).toMatchObject([
      { setting: "waiverRequired", scope: "at_once", classes: 0, bookings: 0, text: expect.stringContaining("Changes nothing now") },
    ]);
    const inherits: GymPolicy = { ...policy, waiverRequired: "check_in", waiverVersions: [{ version: "v1", effectiveAt: NOW - 1 }] };
    expect(previewPolicy(inherits, { waiverRequired: "off" }, reach, NOW)).toMatchObject([
      {
        scope: "at_once",
        classes: 4,
        bookings: 30,
        text: "Waiver must be signed: to check in → not enforced. Applies at once, on every class and at the desk: 4 classes not yet closed, 30 bookings — a missing signature no longer refuses anyone (versions with their own requirement keep it).",
      },
    ]);
  });

  it("refuses a draft gym:setPolicy would refuse, naming the setting", () => {
    const refused = previewPolicy(policy, { bookingOpensMinutes: 0 }, reach, NOW);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe("VALIDATION_FAILED");
  });
});
