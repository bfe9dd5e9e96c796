/**
 * The class room's commands: which domain use case decides each (checked against its payload type), which only
 * managers may send, and which reload the member's standing first. `ClassRoom.handle` runs them.
 */
import {
  bookSpot,
  cancelBooking,
  cancelClass,
  changeCapacity,
  checkInToClass,
  claimOffer,
  closeClass,
  leaveWaitlist,
  markNoShow,
  promoteFromWaitlist,
  undoCheckIn,
  undoNoShow,
  updateSession,
  type ClassState,
  type CommandContext,
  type Outcome as Decided,
} from "../domain/class/index.js";
import type { CommandPayload, CommandType } from "../domain/protocol/commands.js";
import { logResult, setWorkout } from "../domain/class/workout.js";

/** Each class command's payload is its protocol schema's type (`class:updateSession` is the gym room forwarding `schedule:updateSession`). */
type ClassPayloads = { [K in Extract<CommandType, `class:${string}`>]: CommandPayload<K> } & {
  "class:updateSession": CommandPayload<"schedule:updateSession">;
};
type ClassCommand = keyof ClassPayloads;

/** Class commands and the domain use case each runs, each checked against its payload type. Payloads arrive validated by the transport. */
const Handlers: { readonly [K in ClassCommand]: (state: ClassState, payload: ClassPayloads[K], ctx: CommandContext) => Decided<unknown> } =
  {
    "class:book": bookSpot,
    "class:cancelBooking": cancelBooking,
    "class:leaveWaitlist": leaveWaitlist,
    "class:claimOffer": claimOffer,
    "class:promote": promoteFromWaitlist,
    "class:setCapacity": changeCapacity,
    "class:cancel": cancelClass,
    "class:checkIn": checkInToClass,
    "class:undoCheckIn": undoCheckIn,
    "class:markNoShow": markNoShow,
    "class:undoNoShow": undoNoShow,
    "class:close": closeClass,
    // Forwarded by the gym room from `schedule:updateSession`.
    "class:updateSession": updateSession,
    "class:setWorkout": setWorkout,
    "class:logResult": logResult,
  };

/** The handler of a command type, if it is a class command. */
export const handlerOf = (type: string): ((state: ClassState, payload: never, ctx: CommandContext) => Decided<unknown>) | undefined =>
  Object.hasOwn(Handlers, type) ? Handlers[type as ClassCommand] : undefined;

/** Changing the class itself or charging a fee: owners, admins and coaches — not the front desk. */
export const ManagerOnly = new Set(["class:setCapacity", "class:cancel", "class:updateSession", "class:setWorkout"]);

/** Commands that act on a member's eligibility: their standing is reloaded first so it is current. */
export const FreshStanding = new Set(["class:book", "class:claimOffer", "class:checkIn", "class:promote"]);
