/**
 * Builders ("mothers") for the pure domain: valid aggregates in one line.
 */
import { bookSpot } from "../../domain/class/bookSpot.js";
import type { Decision, Outcome } from "../../domain/class/draft.js";
import type { Actor, ClassState, CommandContext, FeePolicy, MemberStanding } from "../../domain/class/state.js";
import { withMember } from "../../domain/class/state.js";
import { DomainError } from "../../domain/errors.js";
import { DefaultGymPolicy } from "../../domain/policy.js";
import { policyFields } from "../../domain/schedule/generateSessions.js";
import { emptyBoard } from "../../domain/workouts/classBoard.js";
import type { ClassSession, GymPolicy, Instant, Role } from "../../domain/model.js";

export const GYM = "gym-1";
export const OTHER_GYM = "gym-2";
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
/** Default class start: Monday 2025-03-10 07:00 UTC. */
export const STARTS_AT: Instant = Date.UTC(2025, 2, 10, 7, 0);
/** A time when booking is open and cancelling is free (two days before). */
export const EARLY: Instant = STARTS_AT - 48 * HOUR;

/** A gym policy with the documented defaults. */
export function aPolicy(overrides: Partial<GymPolicy> = {}): GymPolicy {
  return {
    ...DefaultGymPolicy,
    ...overrides,
  };
}

/** A scheduled 60-minute session at {@link STARTS_AT} with capacity 10. */
export function aSession(overrides: Partial<ClassSession> = {}): ClassSession {
  const p = aPolicy();
  return {
    id: "session-1",
    gymId: GYM,
    locationId: "loc-1",
    classTypeId: "type-1",
    coachId: "coach-1",
    scheduleId: null,
    roomId: null,
    startsAt: STARTS_AT,
    endsAt: STARTS_AT + HOUR,
    capacity: 10,
    status: "scheduled",
    cancelReason: null,
    ...policyFields(p),
    ...overrides,
  };
}

/** An active member on an unlimited plan. */
export function aMember(overrides: Partial<MemberStanding> = {}): MemberStanding {
  return {
    memberId: "ann",
    gymId: GYM,
    role: "member",
    status: "active",
    entitlement: { kind: "unlimited" },
    credits: null,
    creditsExpireAt: null,
    bookingsThisWeek: 0,
    ...overrides,
  };
}

/** An active member on a class pack with `credits` credits left. */
export function aPackMember(memberId: string, credits: number, overrides: Partial<MemberStanding> = {}): MemberStanding {
  return aMember({ memberId, entitlement: { kind: "pack", credits: 10, validDays: 90 }, credits, ...overrides });
}

/** A class state with no bookings; members are given by id or as standings. */
export function aClassState(
  options: { session?: Partial<ClassSession>; members?: (string | MemberStanding)[]; fees?: Partial<FeePolicy> } = {},
): ClassState {
  const p = aPolicy();
  let state: ClassState = {
    session: aSession(options.session),
    timeZone: "Europe/Berlin",
    feePolicy: { currency: p.currency, lateCancelFeeCents: p.lateCancelFeeCents, noShowFeeCents: p.noShowFeeCents, ...options.fees },
    bookings: [],
    waitlist: [],
    members: {},
    fees: [],
    checkIns: [],
    attendance: [],
    board: emptyBoard,
  };
  for (const m of options.members ?? []) state = withMember(state, typeof m === "string" ? aMember({ memberId: m }) : m);
  return state;
}

/** A deterministic id source: "id-1", "id-2", ... */
export function sequentialIds(prefix = "id"): () => string {
  let n = 0;
  return () => `${prefix}-${++n}`;
}

const ids = sequentialIds("gen");

/** A command context for `userId` acting with `role` at `now`. */
export function ctxFor(userId: string, now: Instant = EARLY, role: Role | Actor["role"] = "member", gymId = GYM): CommandContext {
  return { now, newId: ids, actor: { userId, role, gymId } };
}

/** A staff (coach) context. */
export function staffCtx(now: Instant = EARLY, role: Actor["role"] = "coach"): CommandContext {
  return ctxFor("coach-1", now, role);
}

/** Unwraps a successful outcome; fails the test with the error otherwise. */
export function ok<R>(outcome: Outcome<R>): Decision<R> {
  if (outcome instanceof DomainError) throw new Error(`expected success, got ${outcome.code}: ${outcome.message}`);
  return outcome;
}

/** Unwraps a refusal; fails the test on success. */
export function refused<R>(outcome: Outcome<R>): DomainError {
  if (!(outcome instanceof DomainError)) throw new Error(`expected a refusal, got ${JSON.stringify(outcome.result)}`);
  return outcome;
}

/** Books each member in turn (joining the waitlist when full) at `now`. */
export function withBooked(state: ClassState, memberIds: string[], now: Instant = EARLY): ClassState {
  return memberIds.reduce((s, id) => ok(bookSpot(s, { waitlist: true }, ctxFor(id, now))).state, state);
}

/** The booking status of a member's latest booking, or undefined. */
export function statusOf(state: ClassState, memberId: string): string | undefined {
  return state.bookings.filter((b) => b.memberId === memberId).at(-1)?.status;
}
