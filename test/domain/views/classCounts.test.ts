/** The counts on a class's schedule line, counted in one pass, agree with the roster's definitions. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { heldSpots, isLive, isOpenEntry } from "../../../domain/class/index.js";
import type { BookingStatus, WaitlistStatus } from "../../../domain/model.js";
import { classCounts } from "../../../domain/views/classView.js";
import { aClassState, withBooked } from "../../support/domainBuilders.js";

const bookingStatuses: BookingStatus[] = ["booked", "checked_in", "cancelled", "late_cancelled", "no_show"];
const entryStatuses: WaitlistStatus[] = ["waiting", "offered", "promoted", "left", "expired", "skipped"];

describe("classCounts", () => {
  it("counts live bookings, check-ins, open entries and the spots not held, whatever the statuses and capacity", () => {
    const members = Array.from({ length: 8 }, (_, i) => `m${i}`);
    const full = withBooked(aClassState({ members, session: { capacity: 5, waitlistLimit: 10 } }), members);
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...bookingStatuses), { minLength: 5, maxLength: 5 }),
        fc.array(fc.constantFrom(...entryStatuses), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 0, max: 12 }),
        (bs, es, capacity) => {
          const cls = {
            ...full,
            session: { ...full.session, capacity },
            bookings: full.bookings.map((b, i) => ({ ...b, status: bs[i]! })),
            waitlist: full.waitlist.map((e, i) => ({ ...e, status: es[i]! })),
          };
          const live = cls.bookings.filter(isLive);
          expect(classCounts(cls)).toEqual({
            booked: live.length,
            checkedIn: live.filter((b) => b.status === "checked_in").length,
            waitlist: cls.waitlist.filter(isOpenEntry).length,
            spotsLeft: Math.max(0, capacity - heldSpots(cls)),
          });
        },
      ),
    );
  });
});
