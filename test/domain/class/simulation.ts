/**
 * Random command sequences against the class aggregate, for the property tests.
 */
import fc from "fast-check";
import { applyClassEvents } from "../../../domain/class/applyClassEvent.js";
import { bookSpot } from "../../../domain/class/bookSpot.js";
import { cancelBooking } from "../../../domain/class/cancelBooking.js";
import { checkInToClass, undoCheckIn } from "../../../domain/class/checkIn.js";
import type { Decision, Outcome } from "../../../domain/class/draft.js";
import type { ClassEvent } from "../../../domain/class/events.js";
import { closeClass, markNoShow } from "../../../domain/class/noShow.js";
import { cancelClass, changeCapacity, promoteFromWaitlist } from "../../../domain/class/staff.js";
import { liveBookingOf, openEntryOf } from "../../../domain/class/state.js";
import type { ClassState, CommandContext, MemberStanding } from "../../../domain/class/state.js";
import { claimOffer, expireOffers, leaveWaitlist } from "../../../domain/class/waitlist.js";
import { DomainError } from "../../../domain/errors.js";
import { MembershipStatuses } from "../../../domain/model.js";
import type { MembershipStatus } from "../../../domain/model.js";
import { GYM, HOUR, MINUTE, STARTS_AT, aClassState, aMember, aPackMember, sequentialIds } from "../../support/domainBuilders.js";

export const MemberIds = ["m1", "m2", "m3", "m4", "m5", "m6"] as const;

/** Initial standings: unlimited, packs (one expiring), weekly, frozen. */
export function initialMembers(): MemberStanding[] {
  return [
    aMember({ memberId: "m1" }),
    aPackMember("m2", 2),
    aPackMember("m3", 1, { creditsExpireAt: STARTS_AT - 6 * HOUR }),
    aMember({ memberId: "m4", entitlement: { kind: "weekly", classesPerWeek: 1 }, bookingsThisWeek: 0 }),
    aMember({ memberId: "m5", status: "frozen" }),
    aPackMember("m6", 3),
  ];
}

const member = fc.constantFrom(...MemberIds);
/** A member index; commands on bookings/offers mostly target members who have one, to reach deep states. */
const who = fc.nat(11);

/** One random command (or outside event) and how far the clock moves before it. */
export const commandArb = fc.record({
  advanceMinutes: fc.oneof(
    { weight: 12, arbitrary: fc.integer({ min: 0, max: 5 }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 240 }) },
  ),
  op: fc.oneof(
    { weight: 12, arbitrary: fc.record({ kind: fc.constant("book" as const), member, waitlist: fc.nat(3).map((n) => n > 0) }) },
    { weight: 6, arbitrary: fc.record({ kind: fc.constant("cancel" as const), who }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("staffCancel" as const), member, withFee: fc.boolean() }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("leave" as const), who }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant("claim" as const), who }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("expire" as const) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("promote" as const), member: fc.option(member, { nil: undefined }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("capacity" as const), capacity: fc.integer({ min: 0, max: 5 }) }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("standing" as const),
        member,
        status: fc.oneof({ weight: 3, arbitrary: fc.constant("active" as const) }, fc.constantFrom(...MembershipStatuses)),
      }),
    },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant("checkIn" as const), who, byStaff: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("undo" as const), member }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("noShow" as const), who }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("close" as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("cancelClass" as const), asMember: fc.nat(7).map((n) => n > 0) }) },
  ),
});
export type SimCommand = typeof commandArb extends fc.Arbitrary<infer T> ? T : never;

/** Session settings that vary per run. */
export const setupArb = fc.record({
  capacity: fc.integer({ min: 0, max: 3 }),
  waitlistLimit: fc.integer({ min: 0, max: 4 }),
  promotionMode: fc.constantFrom("automatic" as const, "offer" as const),
  lateCancelMinutes: fc.constantFrom(0, 120, 720),
  autoPromoteCutoffMinutes: fc.constantFrom(0, 60, 240),
  offerClaimMinutes: fc.constantFrom(0, 15, 15, 90),
  startOffsetMinutes: fc.oneof(fc.integer({ min: 20, max: 240 }), fc.integer({ min: 60, max: 30 * 60 })),
});
export type Setup = typeof setupArb extends fc.Arbitrary<infer T> ? T : never;

/** One step of a run. */
export interface Step {
  command: SimCommand;
  before: ClassState;
  /** JSON of `before`, taken before deciding (only with `snapshots`). */
  snapshot: string | null;
  outcome: Outcome<unknown> | { events: ClassEvent[]; state: ClassState; result: null };
  after: ClassState;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Indexes 0..5 address any member; higher ones the members matching `relevant` (when any). */
function pick(state: ClassState, index: number, relevant: (s: ClassState, id: string) => boolean): string {
  const candidates = MemberIds.filter((id) => relevant(state, id));
  if (index < MemberIds.length || candidates.length === 0) return MemberIds[index % MemberIds.length] ?? "m1";
  return candidates[index % candidates.length] ?? "m1";
}

function decide(state: ClassState, op: SimCommand["op"], now: number, newId: () => string): Outcome<unknown> | Decision<null> {
  const as = (userId: string, staff = false): CommandContext => ({
    now,
    newId,
    actor: { userId, role: staff ? "coach" : "member", gymId: GYM },
  });
  const staff = as("coach-1", true);
  switch (op.kind) {
    case "book":
      return bookSpot(state, { waitlist: op.waitlist }, as(op.member));
    case "cancel":
      return cancelBooking(state, { acceptFee: true }, as(pick(state, op.who, (s, id) => liveBookingOf(s, id) !== undefined)));
    case "staffCancel":
      return cancelBooking(state, { memberId: op.member, withFee: op.withFee }, staff);
    case "leave":
      return leaveWaitlist(state, {}, as(pick(state, op.who, (s, id) => openEntryOf(s, id) !== undefined)));
    case "claim":
      return claimOffer(state, {}, as(pick(state, op.who, (s, id) => openEntryOf(s, id)?.status === "offered")));
    case "expire":
      return expireOffers(state, { ...staff, actor: { ...staff.actor, role: "system" } });
    case "promote":
      return promoteFromWaitlist(state, op.member === undefined ? {} : { memberId: op.member }, staff);
    case "capacity":
      return changeCapacity(state, { capacity: op.capacity }, staff);
    case "checkIn": {
      const id = pick(state, op.who, (s, m) => liveBookingOf(s, m) !== undefined);
      return checkInToClass(state, op.byStaff ? { source: "desk", memberId: id } : { source: "app" }, op.byStaff ? staff : as(id));
    }
    case "undo":
      return undoCheckIn(state, { memberId: op.member }, staff);
    case "noShow":
      return markNoShow(state, { memberId: pick(state, op.who, (s, id) => liveBookingOf(s, id) !== undefined) }, staff);
    case "close":
      return closeClass(state, {}, staff);
    case "cancelClass":
      return cancelClass(state, { reason: "Coach ill" }, op.asMember ? as("m1") : staff);
    case "standing": {
      const current = state.members[op.member];
      if (current === undefined) return new DomainError("NOT_FOUND");
      const status: MembershipStatus = op.status;
      const events: ClassEvent[] = [{ type: "standing.updated", standing: { ...current, status } }];
      return { events, state: applyClassEvents(state, events), result: null };
    }
  }
}

/** Runs the commands from a fresh state; every state is deep-frozen so any mutation throws. */
export function simulate(
  setup: Setup,
  commands: SimCommand[],
  snapshots = false,
): { initial: ClassState; steps: Step[]; events: ClassEvent[] } {
  const { startOffsetMinutes, ...session } = setup;
  const initial = deepFreeze(aClassState({ session, members: initialMembers() }));
  const newId = sequentialIds("sim");
  let now = STARTS_AT - startOffsetMinutes * MINUTE;
  let state = initial;
  const steps: Step[] = [];
  const events: ClassEvent[] = [];
  for (const command of commands) {
    now += command.advanceMinutes * MINUTE;
    const before = state;
    const snapshot = snapshots ? JSON.stringify(state) : null;
    const outcome = decide(state, command.op, now, newId);
    if (!(outcome instanceof DomainError)) {
      state = deepFreeze(outcome.state);
      events.push(...outcome.events);
    }
    steps.push({ command, before, snapshot, outcome, after: state });
  }
  return { initial, steps, events };
}

/** Arbitrary whole runs. */
export const runArb = fc.tuple(setupArb, fc.array(commandArb, { minLength: 10, maxLength: 60, size: "max" }));
