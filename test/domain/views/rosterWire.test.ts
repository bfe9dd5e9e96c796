/**
 * The staff roster travels without its default fields (issue 15): the lines a class room projects carry none, the
 * client restores every entry identically — from a snapshot and through any sequence of deltas between rosters.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { BookingStatus, CheckIn, MembershipStatus, WaitlistEntry } from "../../../domain/model.js";
import { MembershipStatuses } from "../../../domain/model.js";
import { applyPatch, diff } from "../../../domain/protocol/patch.js";
import { staffClassView } from "../../../domain/views/classSections.js";
import type { ClassRoomState, RosterEntry } from "../../../domain/views/classView.js";
import type { Person } from "../../../domain/views/people.js";
import { RosterDefaults, rosterEntries, rosterEntry, rosterLine, type RosterLine } from "../../../domain/views/rosterWire.js";
import { aClassState, withBooked } from "../../support/domainBuilders.js";

const LABELS = { className: "Strength", color: "#123456", locationName: "Main", coachName: null };
const statuses: BookingStatus[] = ["booked", "checked_in", "late_cancelled", "no_show"];
const text = fc.string({ maxLength: 12 });
const anEntry: fc.Arbitrary<RosterEntry> = fc
  .record({
    memberId: fc.uuid(),
    name: text,
    email: text,
    phone: fc.option(text, { nil: null }),
    membershipStatus: fc.constantFrom<MembershipStatus>(...MembershipStatuses),
    notes: fc.oneof(fc.constant(""), text),
    status: fc.constantFrom(...statuses),
    promotedFromWaitlist: fc.boolean(),
    trial: fc.boolean(),
    override: fc.option(text, { nil: undefined }),
  })
  // As the server builds entries: `trial` only when true, `override` only when there is one (key order as RosterEntry's).
  .map(({ trial, override, ...e }) => ({
    ...e,
    ...(trial ? { trial: true as const } : {}),
    ...(override === undefined ? {} : { override }),
  }));
const aRoster = fc.dictionary(fc.constantFrom("b1", "b2", "b3", "b4", "b5"), anEntry);
const compact = (r: Record<string, RosterEntry>) => Object.fromEntries(Object.entries(r).map(([k, e]) => [k, rosterLine(e)]));
const restore = (r: Record<string, RosterLine>) => Object.fromEntries(Object.entries(r).map(([k, l]) => [k, rosterEntry(l)]));
const defaultsIn = (line: RosterLine) =>
  Object.entries(RosterDefaults).filter(([k, v]) => Object.hasOwn(line, k) && (line as Record<string, unknown>)[k] === v);

describe("roster lines on the wire", () => {
  it("leave every default field out, and restore to the same entry (same keys, same order)", () => {
    fc.assert(
      fc.property(anEntry, (entry) => {
        const line = rosterLine(entry);
        expect(defaultsIn(line)).toEqual([]);
        expect(line.membershipStatus).toBe(entry.membershipStatus); // always sent: protocol 1 apps read it on every line
        expect(JSON.stringify(rosterEntry(line))).toBe(JSON.stringify(entry));
        expect(rosterEntry(JSON.parse(JSON.stringify(line)) as RosterLine)).toEqual(entry);
      }),
    );
  });

  it("restore the same roster after the deltas between any two rosters (a field back at its default arrives as a del)", () => {
    fc.assert(
      fc.property(fc.array(aRoster, { minLength: 2, maxLength: 5 }), (rosters) => {
        let held = compact(rosters[0]!);
        for (const next of rosters.slice(1)) {
          held = applyPatch(held, JSON.parse(JSON.stringify(diff(held, compact(next)))) as never);
          expect(restore(held)).toEqual(next);
        }
      }),
    );
  });

  it("are what a class room projects: no defaults sent, and restored they are the whole staff entries", () => {
    const members = ["m0", "m1", "m2", "m3", "m4", "m5"];
    const base = withBooked(aClassState({ members, session: { capacity: 10 } }), members);
    const aPerson = fc.record({
      name: text,
      email: text,
      phone: fc.option(text, { nil: null }),
      visible: fc.boolean(),
      membershipStatus: fc.constantFrom<MembershipStatus>(...MembershipStatuses),
      notes: fc.oneof(fc.constant(""), text),
      trial: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(fc.option(aPerson, { nil: undefined }), { minLength: 6, maxLength: 6 }),
        fc.array(fc.constantFrom<BookingStatus>("cancelled", ...statuses), { minLength: 6, maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        fc.array(fc.option(text, { nil: undefined }), { minLength: 6, maxLength: 6 }),
        (people, bs, promoted, overrides) => {
          const bookings = base.bookings.map((b, i) => ({ ...b, status: bs[i]!, promotedFromWaitlist: promoted[i]! }));
          const checkIns = bookings.map(
            (b, i) =>
              ({
                id: `c${i}`,
                gymId: b.gymId,
                memberId: b.memberId,
                sessionId: b.sessionId,
                source: "desk",
                result: "accepted",
                reason: null,
                at: i,
                byUserId: null,
                ...(overrides[i] ? { override: overrides[i] } : {}),
              }) as CheckIn,
          );
          const state: ClassRoomState = {
            cls: { ...base, bookings, checkIns },
            labels: { className: "Strength", color: "#123456", locationName: "Main", coachName: null },
            people: Object.fromEntries(members.flatMap((id, i) => (people[i] ? [[id, people[i] as Person]] : []))),
          };
          const roster = staffClassView(state).roster;
          for (const line of Object.values(roster)) {
            expect(defaultsIn(line)).toEqual([]);
            // Regression: a staff app of protocol 1 called membershipStatus.replace on a line without it (TypeError).
            expect(MembershipStatuses).toContain(line.membershipStatus);
          }
          // What the staff roster showed before its lines were compacted: every field of every live booking.
          const whole = Object.fromEntries(
            bookings.flatMap((b, i) => {
              if (b.status === "cancelled") return [];
              const p = people[i];
              const override = b.status === "checked_in" && overrides[i] ? { override: overrides[i] } : {};
              const entry: RosterEntry = {
                memberId: b.memberId,
                name: p?.name ?? "Unknown member",
                email: p?.email ?? "",
                phone: p?.phone ?? null,
                membershipStatus: p?.membershipStatus ?? "active",
                notes: p?.notes ?? "",
                status: b.status,
                promotedFromWaitlist: b.promotedFromWaitlist,
                ...(p?.trial ? { trial: true as const } : {}),
                ...override,
              };
              return [[b.id, entry]];
            }),
          );
          expect(restore(roster)).toEqual(whole);
          expect(rosterEntries(roster)).toEqual(Object.values(whole));
        },
      ),
    );
  });

  it("have no bookedAt (no staff app ever read it)", () => {
    const members = ["m0", "m1"];
    const state = withBooked(aClassState({ members, session: { capacity: 10 } }), members);
    const roster = staffClassView({ cls: state, labels: LABELS, people: {} }).roster;
    expect(Object.values(roster)).toHaveLength(2);
    for (const line of Object.values(roster)) expect(Object.hasOwn(line, "bookedAt")).toBe(false);
  });
});

describe("waitlist lines on the wire", () => {
  const members = ["m0", "m1", "m2"];
  const full = withBooked(aClassState({ members, session: { capacity: 1 } }), members);
  const view = (waitlist: readonly WaitlistEntry[]) => staffClassView({ cls: { ...full, waitlist }, labels: LABELS, people: {} }).waitlist;

  it("leave out status waiting and a null offer expiry; an offer carries both, and going back is a del of each", () => {
    const waiting = full.waitlist;
    expect(waiting).toHaveLength(2);
    const before = view(waiting);
    for (const line of Object.values(before)) {
      expect(Object.keys(line).sort()).toEqual(["memberId", "name", "position"]);
      expect(line.status ?? "waiting").toBe("waiting");
    }
    const offered = waiting.map((w, i) => (i === 0 ? { ...w, status: "offered" as const, offerExpiresAt: 1_000 } : w));
    const after = view(offered);
    expect(after[waiting[0]!.id]).toMatchObject({ status: "offered", offerExpiresAt: 1_000 });
    const there = applyPatch(before, JSON.parse(JSON.stringify(diff(before, after))) as never);
    expect(there).toEqual(after);
    const back = diff(after, before);
    expect(back.map((op) => [op.op, op.path.at(-1)]).sort()).toEqual([
      ["del", "offerExpiresAt"],
      ["del", "status"],
    ]);
    expect(applyPatch(there, JSON.parse(JSON.stringify(back)) as never)).toEqual(before);
  });
});
