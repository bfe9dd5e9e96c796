/**
 * A person's inbox as their `user:` room holds it: the newest notices and the unread count (the badge). Pure; the
 * room applies these to its state and stores the same facts.
 */
import type { NoticeKind } from "./kinds.js";

/** Something to tell me ("You're in: Thu 07:00 Strength"): a stored inbox entry, written in the commit that caused it. */
export interface Notice {
  id: string;
  at: number;
  kind: NoticeKind;
  text: string;
  /** The class it is about (the app opens its card), if any. */
  sessionId: string | null;
  gymId: string | null;
  /** When I read it, on any device; null while unread. */
  readAt: number | null;
}

/** The inbox part of a person's view (`UserView`): the newest notices held, and how many of all are unread. */
export interface Inbox {
  notices: Record<string, Notice>;
  unread: number;
}

/** A notice with its addressee, as a commit stores it. */
export interface InboxNotice extends Notice {
  userId: string;
  /** When what it offers runs out (an offer's expiry): quiet hours never hold its push past it. Absent: never. */
  expiresAt?: number | null;
}

/** How many of the newest notices the room keeps in memory (and sends in its snapshot). */
export const INBOX_RESIDENT = 50;

/** Most notices one `inbox:page` answers. */
export const INBOX_PAGE_MAX = 50;

/** Strips the addressee (the room is theirs already). */
export const asNotice = ({ userId: _userId, expiresAt: _expiresAt, ...n }: InboxNotice): Notice => n;

/** Newest first: by time, then id (stable across devices and pages). */
export const newestFirst = (a: Notice, b: Notice): number => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/**
 * The view with a new notice: kept among the newest {@link INBOX_RESIDENT}, counted unread. A notice it already
 * holds (a note repeated, or read at load) changes nothing, so no delivery path can count one twice.
 */
export function withNotice<V extends Inbox>(view: V, n: Notice): V {
  if (view.notices[n.id]) return view;
  const kept = [...Object.values(view.notices), n].sort(newestFirst).slice(0, INBOX_RESIDENT);
  return { ...view, notices: Object.fromEntries(kept.map((x) => [x.id, x])), unread: view.unread + (n.readAt === null ? 1 : 0) };
}

/**
 * The view with `ids` read at `at`. `olderUnread` counts those among `ids` that the room does not hold and the
 * store found unread (read ahead of the mailbox).
 */
export function withRead<V extends Inbox>(view: V, ids: readonly string[], at: number, olderUnread = 0): V {
  let changed = 0;
  const notices = { ...view.notices };
  for (const id of new Set(ids)) {
    const n = notices[id];
    if (n && n.readAt === null) {
      notices[id] = { ...n, readAt: at };
      changed += 1;
    }
  }
  if (changed === 0 && olderUnread === 0) return view;
  return { ...view, notices, unread: Math.max(0, view.unread - changed - olderUnread) };
}

/** The view with every notice read. */
export function withAllRead<V extends Inbox>(view: V, at: number): V {
  if (view.unread === 0) return view;
  const notices = Object.fromEntries(Object.entries(view.notices).map(([id, n]) => [id, n.readAt === null ? { ...n, readAt: at } : n]));
  return { ...view, notices, unread: 0 };
}
