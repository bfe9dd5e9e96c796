/** The desk's one decision function (issue 21 item 1): the gym room and the offline desk both decide with it. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  admits,
  decideDeskCheckIn,
  DefaultDeskRules,
  offlineDecisionTime,
  type DeskBooking,
  type DeskDecisionInput,
  type DeskMemberFacts,
} from "../../../domain/checkin/deskDecision.js";
import { MembershipStatuses } from "../../../domain/model.js";
import { GYM, HOUR, MINUTE, OTHER_GYM, STARTS_AT } from "../../support/domainBuilders.js";

const ann: DeskMemberFacts = { memberId: "ann", gymId: GYM, status: "active", name: "Ann Lee", frozenUntil: null, lastOpenGymAt: null };
const booking = (o: Partial<DeskBooking> = {}): DeskBooking => ({
  sessionId: "s1",
  className: "WOD",
  sessionStatus: "scheduled",
  bookingStatus: "booked",
  startsAt: STARTS_AT,
  checkInOpensAt: STARTS_AT - 30 * MINUTE,
  checkInClosesAt: STARTS_AT + 15 * MINUTE,
  ...o,
});
const input = (o: Partial<DeskDecisionInput> = {}): DeskDecisionInput => ({
  gymId: GYM,
  member: ann,
  bookings: [booking()],
  openGym: false,
  rules: DefaultDeskRules,
  now: STARTS_AT - 5 * MINUTE,
  ...o,
});

describe("decideDeskCheckIn", () => {
  it("sends a booked member to their class while its check-in is open", () => {
    expect(decideDeskCheckIn(input())).toEqual({ verdict: "class", sessionId: "s1", className: "WOD" });
    expect(decideDeskCheckIn(input({ bookings: [booking({ bookingStatus: "checked_in" })] }))).toEqual({
      verdict: "already_in_class",
      sessionId: "s1",
      className: "WOD",
    });
  });

  it("refuses outside the window (naming the class), without a booking, and for an unknown or other gym's member", () => {
    expect(decideDeskCheckIn(input({ now: STARTS_AT - 2 * HOUR }))).toEqual({
      verdict: "denied",
      reason: "OUTSIDE_CHECK_IN_WINDOW",
      sessionId: "s1",
      className: "WOD",
    });
    expect(decideDeskCheckIn(input({ bookings: [] }))).toMatchObject({ verdict: "denied", reason: "NO_BOOKING", sessionId: null });
    expect(decideDeskCheckIn(input({ member: null }))).toMatchObject({ reason: "UNKNOWN_MEMBER" });
    expect(decideDeskCheckIn(input({ member: { ...ann, gymId: OTHER_GYM } }))).toMatchObject({ reason: "UNKNOWN_MEMBER" });
  });

  it("refuses a frozen membership before looking at bookings", () => {
    expect(decideDeskCheckIn(input({ member: { ...ann, status: "frozen" } }))).toMatchObject({
      verdict: "denied",
      reason: "MEMBERSHIP_FROZEN",
      sessionId: null,
    });
  });

  it("admits open gym and swallows a second scan within ten minutes", () => {
    const now = STARTS_AT;
    expect(decideDeskCheckIn(input({ openGym: true, now }))).toEqual({ verdict: "open_gym" });
    expect(decideDeskCheckIn(input({ openGym: true, now, member: { ...ann, lastOpenGymAt: now - 9 * MINUTE } }))).toEqual({
      verdict: "already_checked_in",
    });
    expect(decideDeskCheckIn(input({ openGym: true, now, member: { ...ann, lastOpenGymAt: now - 10 * MINUTE } }))).toEqual({
      verdict: "open_gym",
    });
  });

  it("takes extra member rules (a waiver check slots in), the first refusal winning", () => {
    const noWaiver = () => "UNKNOWN_MEMBER" as const;
    expect(decideDeskCheckIn(input(), [noWaiver])).toMatchObject({ verdict: "denied", reason: "UNKNOWN_MEMBER" });
  });

  it("clamps an offline desk's clock to [last sync, receipt]", () => {
    expect(offlineDecisionTime({ deviceAt: 50, lastSyncAt: 40 }, 100)).toBe(50);
    expect(offlineDecisionTime({ deviceAt: 10, lastSyncAt: 40 }, 100)).toBe(40);
    expect(offlineDecisionTime({ deviceAt: 500, lastSyncAt: 40 }, 100)).toBe(100);
    expect(offlineDecisionTime({ deviceAt: 10, lastSyncAt: 400 }, 100)).toBe(100);
  });

  const bookingArb = fc
    .record({
      sessionId: fc.constantFrom("s1", "s2", "s3", "s4", "s5"),
      className: fc.constantFrom("WOD", "Yoga"),
      sessionStatus: fc.constantFrom("scheduled", "cancelled", "completed" as const),
      bookingStatus: fc.constantFrom("booked", "checked_in" as const),
      startsAt: fc.integer({ min: STARTS_AT - 10 * HOUR, max: STARTS_AT + 10 * HOUR }),
      opens: fc.integer({ min: 0, max: 120 }),
      closes: fc.integer({ min: 0, max: 120 }),
    })
    .map(({ opens, closes, ...b }): DeskBooking => ({
      ...b,
      checkInOpensAt: b.startsAt - opens * MINUTE,
      checkInClosesAt: b.startsAt + closes * MINUTE,
    }));
  const inputArb = fc
    .record({
      member: fc.option(
        fc.record({
          status: fc.constantFrom(...MembershipStatuses),
          gymId: fc.constantFrom(GYM, GYM, OTHER_GYM),
          last: fc.option(fc.integer({ min: -30, max: 30 })),
        }),
      ),
      bookings: fc.uniqueArray(bookingArb, { selector: (b) => b.sessionId, maxLength: 5 }),
      openGym: fc.boolean(),
      now: fc.integer({ min: STARTS_AT - 8 * HOUR, max: STARTS_AT + 8 * HOUR }),
    })
    .map(({ member, bookings, openGym, now }): DeskDecisionInput => ({
      gymId: GYM,
      bookings,
      openGym,
      now,
      rules: DefaultDeskRules,
      member: member && {
        ...ann,
        status: member.status,
        gymId: member.gymId,
        lastOpenGymAt: member.last === null ? null : now - member.last * MINUTE,
      },
    }));

  it("property: only an active member of this gym is ever let in, and a class only while its check-in is open", () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const v = decideDeskCheckIn(i);
        if (admits(v)) expect(i.member).toMatchObject({ gymId: GYM, status: "active" });
        if (v.verdict === "class" || v.verdict === "already_in_class") {
          const b = i.bookings.find((x) => x.sessionId === v.sessionId)!;
          expect(b.sessionStatus).toBe("scheduled");
          expect(i.now).toBeGreaterThanOrEqual(b.checkInOpensAt);
          expect(i.now).toBeLessThanOrEqual(b.checkInClosesAt);
          expect(v.verdict === "already_in_class").toBe(b.bookingStatus === "checked_in");
        }
        if (v.verdict === "denied" && v.reason === "NO_BOOKING")
          expect(
            i.bookings.some(
              (b) => b.sessionStatus === "scheduled" && Math.abs(b.startsAt - i.now) <= DefaultDeskRules.nearMinutes * MINUTE,
            ),
          ).toBe(false);
        if (i.openGym) expect(["open_gym", "already_checked_in", "denied"]).toContain(v.verdict);
      }),
    );
  });

  it("property: the order the bookings come in never changes the verdict", () => {
    fc.assert(
      fc.property(inputArb, fc.nat(), (i, seed) => {
        const shuffled = [...i.bookings].sort(
          (a, b) => ((a.sessionId.charCodeAt(1) * 31 + seed) % 7) - ((b.sessionId.charCodeAt(1) * 31 + seed) % 7),
        );
        expect(decideDeskCheckIn({ ...i, bookings: shuffled })).toEqual(decideDeskCheckIn(i));
      }),
    );
  });

  it("property: a refusing member rule always refuses, with its reason", () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const v = decideDeskCheckIn(i, [() => "MEMBERSHIP_PENDING"]);
        expect(v.verdict).toBe("denied");
      }),
    );
  });
});
