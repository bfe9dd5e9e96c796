import type { Audience, RoomId } from "../domain/protocol/envelope.js";
import type { UserView } from "../domain/views/userView.js";
import type { Loaded, RoomMessage, RoomRuntime } from "./ports.js";
import { fail, RoomActor, type Outcome } from "./RoomActor.js";

/** Loads a member's bookings and waitlist places (all gyms). */
export interface UserStore {
  loadUser(room: RoomId, userId: string): Promise<Loaded<UserView> | null>;
}

const NOTICES_MAX = 20;

/**
 * `user:<userId>`: a member's own bookings, live waitlist positions and notices. Only that user watches it.
 * It stores nothing itself: class rooms send it what they committed.
 */
export class UserRoom extends RoomActor<UserView, never> {
  protected readonly audiences: readonly Audience[] = ["owner"];

  constructor(
    id: RoomId,
    rt: RoomRuntime,
    private readonly store: UserStore,
    private readonly userId: string,
  ) {
    super(id, rt);
  }

  protected load(): Promise<Loaded<UserView> | null> {
    return this.store.loadUser(this.id, this.userId);
  }

  protected async commit(): Promise<void> {}

  protected project(state: UserView): unknown {
    return state;
  }

  protected handle(message: RoomMessage, state: UserView): Outcome<UserView, never> {
    if (message.kind === "command") return { state, changes: [], reply: fail("VALIDATION_FAILED", `Unknown command ${message.type} for a member.`) };
    const note = message.note;
    switch (note.type) {
      case "booking": {
        const b = note.booking;
        return { state: { ...state, bookings: { ...state.bookings, [b.bookingId]: b } }, changes: [], reply: { ok: true, result: null } };
      }
      case "waitlist": {
        const p = note.place;
        const waitlist = { ...state.waitlist };
        if (p.status === "waiting" || p.status === "offered") waitlist[p.entryId] = p;
        else delete waitlist[p.entryId];
        return { state: { ...state, waitlist }, changes: [], reply: { ok: true, result: null } };
      }
      case "notice": {
        const n = note.notice;
        const kept = Object.values(state.notices)
          .sort((a, b) => a.at - b.at)
          .slice(-(NOTICES_MAX - 1));
        const notices = Object.fromEntries([...kept, n].map((x) => [x.id, x]));
        return { state: { ...state, notices }, changes: [], reply: { ok: true, result: null } };
      }
      default:
        return { state, changes: [], reply: { ok: true, result: null } };
    }
  }
}
