/**
 * A small accumulator for deciding commands: each emitted event is applied at once, so the
 * rest of the decision sees the new state and replaying the events gives the same result.
 */
import type { DomainError } from "../errors.js";
import { applyClassEvent } from "./applyClassEvent.js";
import type { ClassEvent } from "./events.js";
import type { ClassState, CommandContext } from "./state.js";

/** A successful decision: the events to apply/persist, the state after them, and an ack value. */
export interface Decision<R> {
  events: ClassEvent[];
  /** Equal to `applyClassEvents(stateBefore, events)`. */
  state: ClassState;
  result: R;
}

/** What every class command returns: a decision or a refusal (never thrown). */
export type Outcome<R> = Decision<R> | DomainError;

/** Working state of one decision. */
export interface Draft {
  readonly state: ClassState;
  readonly ctx: CommandContext;
  emit(event: ClassEvent): void;
  done<R>(result: R): Decision<R>;
}

/** Starts a decision on `state`. */
export function startDraft(initial: ClassState, ctx: CommandContext): Draft {
  let state = initial;
  const events: ClassEvent[] = [];
  return {
    get state() {
      return state;
    },
    ctx,
    emit(event) {
      events.push(event);
      state = applyClassEvent(state, event);
    },
    done(result) {
      return { events, state, result };
    },
  };
}
