import { INBOX_PAGE_MAX, INBOX_RESIDENT, newestFirst, withAllRead, withNotice, withRead } from "../domain/notices/inbox.js";
import type { CommandPayload } from "../domain/protocol/commands.js";
import type { Audience, RoomId } from "../domain/protocol/envelope.js";
import type { Notice } from "../domain/notices/inbox.js";
import type { UserView } from "../domain/views/userView.js";
import type { Loaded, RoomMessage, RoomRuntime } from "./ports.js";
import { fail, RoomActor, type Outcome } from "./RoomActor.js";

/** What a user room stores: read marks (idempotent; the notices themselves are written by the commits that caused them). */
export type InboxChange = { type: "read"; ids: string[]; at: number } | { type: "readAll"; at: number };

/** Loads a member's bookings, waitlist places and inbox (all gyms); stores read marks and pages history. */
export interface UserStore {
  loadUser(room: RoomId, userId: string): Promise<Loaded<UserView> | null>;
  /** Stores read marks in one transaction. */
  markRead(userId: string, changes: readonly InboxChange[]): Promise<void>;
  /** Notices older than `before`, newest first. */
  pageInbox(userId: string, before: { at: number; id: string } | null, limit: number): Promise<Notice[]>;
  /** How many of `ids` are this user's unread notices. */
  unreadAmong(userId: string, ids: readonly string[]): Promise<number>;
}

/** A mark of notices older than the room holds: how many of them the store found unread, read ahead of the mailbox. */
interface OlderUnread {
  ids: string[];
  unread: number;
}

/** How far ahead, and how many of, a member's classes load with their room (see {@link classesToWarm}). */
const WARM_AHEAD_MS = 7 * 24 * 3_600_000;
const WARM_MAX = 4;

/**
 * The classes a member's room starts when it loads (the member opened the app): the soonest few they are booked
 * into or waiting for that have not started yet. Their first cancel, claim or check-in then finds the class room in
 * memory, instead of paying its load, the session's access reads and the room's lease claim before it is decided.
 */
export function classesToWarm(view: UserView, now: number): string[] {
  const soon = [
    ...Object.values(view.bookings).filter((b) => b.status === "booked"),
    ...Object.values(view.waitlist).filter((w) => w.status === "waiting" || w.status === "offered"),
  ].filter((c) => c.startsAt > now && c.startsAt - now <= WARM_AHEAD_MS);
  soon.sort((a, b) => a.startsAt - b.startsAt);
  return [...new Set(soon.map((c) => c.sessionId))].slice(0, WARM_MAX);
}

/** The gyms of those classes (see {@link classesToWarm}): their members load beside the class rooms, not after them. */
export function gymsToWarm(view: UserView, sessionIds: readonly string[]): string[] {
  const wanted = new Set(sessionIds);
  const places = [...Object.values(view.bookings), ...Object.values(view.waitlist)];
  return [...new Set(places.filter((c) => wanted.has(c.sessionId)).map((c) => c.gymId))];
}

/**
 * `user:<userId>`: a member's own bookings, live waitlist positions and inbox (newest notices, the unread badge).
 * Only that user watches it, on every device; read marks go through it so every device's badge moves together.
 * Bookings and notices are written by the rooms that decide them: class rooms send it what they committed.
 */
export class UserRoom extends RoomActor<UserView, InboxChange> {
  protected readonly audiences: readonly Audience[] = ["owner"];
  /** Older notices this incarnation already marked read (so a repeated mark does not lower the badge twice). */
  private readonly markedOlder = new Set<string>();

  constructor(
    id: RoomId,
    rt: RoomRuntime,
    private readonly store: UserStore,
    private readonly userId: string,
    /** Starts loading a gym's members into this node's resident standings (none: rooms read them from the stores). */
    private readonly warmGym?: (gymId: string) => void,
  ) {
    super(id, rt);
  }

  protected async load(): Promise<Loaded<UserView> | null> {
    const loaded = await this.store.loadUser(this.id, this.userId);
    if (!loaded) return loaded;
    const classes = classesToWarm(loaded.state, this.rt.now());
    // The gym's members first: a class room loaded before them answers joins but waits for them before its first
    // decision, and started only by the class room's load they were still loading at the member's first cancel.
    if (this.warmGym) for (const gymId of gymsToWarm(loaded.state, classes)) this.warmGym(gymId);
    for (const sessionId of classes) this.rt.warm?.(`class:${sessionId}` as RoomId);
    return loaded;
  }

  protected async commit(_base: UserView, changes: InboxChange[]): Promise<void> {
    if (changes.length > 0) await this.store.markRead(this.userId, changes);
  }

  protected project(state: UserView): unknown {
    return state;
  }

  protected override prepare(message: RoomMessage): Promise<OlderUnread> | undefined {
    if (message.kind !== "command" || message.type !== "inbox:markRead") return undefined;
    const { ids } = message.payload as CommandPayload<"inbox:markRead">;
    return this.start().then(async () => {
      const older = ids.filter((id) => !this.state.notices[id]);
      return { ids: older, unread: older.length > 0 ? await this.store.unreadAmong(this.userId, older) : 0 };
    });
  }

  protected handle(message: RoomMessage, state: UserView, prepared?: unknown): Outcome<UserView, InboxChange> {
    if (message.kind === "command") {
      if (message.caller.userId !== this.userId) return { state, changes: [], reply: fail("NOT_FOUND") };
      return this.command(message.type, message.payload, state, prepared as OlderUnread | undefined);
    }
    const note = message.note;
    const done = (next: UserView): Outcome<UserView, InboxChange> => ({ state: next, changes: [], reply: { ok: true, result: null } });
    switch (note.type) {
      case "booking": {
        const b = note.booking;
        return done({ ...state, bookings: { ...state.bookings, [b.bookingId]: b } });
      }
      case "waitlist": {
        const p = note.place;
        const waitlist = { ...state.waitlist };
        if (p.status === "waiting" || p.status === "offered") waitlist[p.entryId] = p;
        else delete waitlist[p.entryId];
        return done({ ...state, waitlist });
      }
      case "notice":
        return done(withNotice(state, note.notice));
      case "account":
        return done({ ...state, account: (state.account ?? 0) + 1 });
      default:
        return done(state);
    }
  }

  private command(type: string, payload: unknown, state: UserView, older: OlderUnread | undefined): Outcome<UserView, InboxChange> {
    const now = this.rt.now();
    switch (type) {
      case "inbox:markRead": {
        const { ids } = payload as CommandPayload<"inbox:markRead">;
        // Older notices counted once per incarnation: a repeated mark must not lower the badge again.
        const fresh = older ? older.ids.filter((id) => !this.markedOlder.has(id)) : [];
        const olderUnread = fresh.length === older?.ids.length ? (older?.unread ?? 0) : 0;
        for (const id of fresh) this.markedOlder.add(id);
        const next = withRead(state, ids, now, olderUnread);
        if (next === state) return { state, changes: [], reply: { ok: true, result: { unread: state.unread } } };
        return { state: next, changes: [{ type: "read", ids, at: now }], reply: { ok: true, result: { unread: next.unread } } };
      }
      case "inbox:markAllRead": {
        const next = withAllRead(state, now);
        if (next === state) return { state, changes: [], reply: { ok: true, result: { unread: 0 } } };
        return { state: next, changes: [{ type: "readAll", at: now }], reply: { ok: true, result: { unread: 0 } } };
      }
      case "inbox:page": {
        const { before, limit = 20 } = payload as CommandPayload<"inbox:page">;
        const n = Math.min(limit, INBOX_PAGE_MAX);
        const resident = Object.values(state.notices).sort(newestFirst);
        const from = before ? resident.filter((x) => newestFirst(x, { ...x, at: before.at, id: before.id }) > 0) : resident;
        // From memory while the room holds enough; older history from the store, without holding up the mailbox.
        const page = (notices: Notice[]) => ({
          ok: true as const,
          result: { notices, next: notices.length === n ? { at: notices[n - 1]!.at, id: notices[n - 1]!.id } : null },
        });
        if (from.length >= n || resident.length < INBOX_RESIDENT) return { state, changes: [], reply: page(from.slice(0, n)) };
        return { state, changes: [], reply: page([]), replyLater: this.store.pageInbox(this.userId, before ?? null, n).then(page) };
      }
      default:
        return { state, changes: [], reply: fail("VALIDATION_FAILED", `Unknown command ${type} for a member.`) };
    }
  }
}
