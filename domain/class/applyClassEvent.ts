/**
 * The only way class state changes: fold one event into a new state (structurally shared).
 */
import { objectList } from "../shapes.js";
import { applyBoardEvent } from "../workouts/classBoard.js";
import type { ClassEvent } from "./events.js";
import type { ClassState } from "./state.js";

/**
 * `items` with `changed` replacing the items of the same id, and the others appended. Built by pushing into an
 * object-elements list (domain/shapes.ts): `items.map` gave packed arrays from the builtin and holey ones once
 * optimised code inlined it, and every switch between the two threw away the hot functions reading the roster.
 */
function upsert<T extends { id: string }>(items: readonly T[], changed: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const c of changed) byId.set(c.id, c);
  const next = objectList<T>();
  const known = new Set<string>();
  for (const item of items) {
    next.push(byId.get(item.id) ?? item);
    known.add(item.id);
  }
  for (const c of changed) if (!known.has(c.id)) next.push(c);
  return next;
}

/**
 * Returns the state after `event`. Pure: replaying a command's events from the state it was
 * decided on gives exactly the state the command returned.
 */
export function applyClassEvent(state: ClassState, event: ClassEvent): ClassState {
  switch (event.type) {
    case "booking.created":
    case "booking.updated":
      return { ...state, bookings: upsert(state.bookings, [event.booking]) };
    case "waitlist.updated":
      return { ...state, waitlist: upsert(state.waitlist, event.entries) };
    case "fee.charged":
    case "fee.waived":
      return { ...state, fees: upsert(state.fees, [event.fee]) };
    case "credits.changed": {
      const member = state.members[event.memberId];
      if (member === undefined) return state;
      return { ...state, members: { ...state.members, [event.memberId]: { ...member, credits: event.credits } } };
    }
    case "session.updated":
      return { ...state, session: event.session };
    case "attendance.recorded":
      return { ...state, attendance: upsert(state.attendance, [event.attendance]) };
    case "attendance.removed":
      return { ...state, attendance: state.attendance.filter((a) => a.id !== event.attendanceId) };
    case "checkin.recorded":
      return { ...state, checkIns: upsert(state.checkIns, [event.checkIn]) };
    case "standing.updated":
      return { ...state, members: { ...state.members, [event.standing.memberId]: event.standing } };
    case "workout.set":
    case "result.logged":
      return { ...state, board: applyBoardEvent(state.board, event) };
    case "member.promoted":
    case "member.offered":
    case "offer.expired":
    case "waitlist.skipped":
    case "waitlist.spotOpenNoPromotion":
    case "class.cancelled":
    case "noShow.undone":
      return state;
  }
}

/** Folds many events, in order. */
export function applyClassEvents(state: ClassState, events: readonly ClassEvent[]): ClassState {
  return events.reduce(applyClassEvent, state);
}
