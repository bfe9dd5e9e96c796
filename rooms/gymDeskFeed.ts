/**
 * The gym room's list of desk changes (domain/checkin/deskChanges.ts): what offline-capable desks patch their saved
 * snapshot with, published in the staff view's `desk` section — only the numbers added and dropped are sent.
 */
import { appendDeskChanges, type DeskChangeBody } from "../domain/checkin/deskChanges.js";
import type { GymRoomModel } from "../domain/views/gymView.js";
import { touched, type ViewChange } from "../domain/views/sections.js";
import type { DeskMember } from "./deskLookup.js";

/** The state with `added` listed, and the `desk` entries that changed (new numbers, and those that fell off). */
export function withDeskChanges(state: GymRoomModel, added: readonly DeskChangeBody[]): { state: GymRoomModel; touched: ViewChange } {
  if (added.length === 0) return { state, touched: touched([]) };
  const desk = appendDeskChanges(state.desk, added, state.deskEpoch);
  const kept = new Set(desk.map((c) => c.seq));
  const keys = [...state.desk.filter((c) => !kept.has(c.seq)), ...desk.filter((c) => !state.desk.includes(c))].map((c) => String(c.seq));
  return { state: { ...state, desk }, touched: touched([], { desk: keys }) };
}

/** A member's change as a desk hears it (`member` null: no longer a member of this gym). */
export function memberChange(memberId: string, member: DeskMember | null): DeskChangeBody {
  return member
    ? {
        kind: "member",
        memberId,
        name: member.person.name,
        status: member.standing.status,
        frozenUntil: member.frozenUntil ?? null,
        ...(member.signedWaivers ? { signedWaivers: member.signedWaivers } : {}),
      }
    : { kind: "member", memberId, name: "", status: null, frozenUntil: null };
}
