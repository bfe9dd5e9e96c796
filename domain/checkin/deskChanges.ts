/**
 * The live changes an offline-capable desk patches its saved snapshot with (issue 21): the gym room lists the last
 * few in the staff view (section `desk`), so a desk is never more than one delta stale when the line drops. Each is
 * an absolute statement ("this member is now frozen", "this booking is now checked in"): applying one twice, or an
 * older one before a newer, ends in the same state. A desk that sees a gap (a change it missed, a restarted room)
 * fetches the whole snapshot again.
 */
import type { Instant, MembershipStatus } from "../model.js";
import type { DeskSnapshot, SnapshotMember } from "./deskSnapshot.js";

/** One change, numbered in its room's run (`epoch`: the run). */
export type DeskChange = { epoch: string; seq: number } &
  /** A member's status (or name) changed; `status: null` when they are no longer a member here. */
  (
    | {
        kind: "member";
        memberId: string;
        name: string;
        status: MembershipStatus | null;
        frozenUntil: string | null;
        signedWaivers?: string[];
      }
    /** A booking's state in a session: booked, checked in, or gone (`null`: cancelled, no-show, moved). */
    | { kind: "roster"; sessionId: string; startsAt: Instant; memberId: string; status: "booked" | "checked_in" | null }
    /** An accepted open-gym check-in. */
    | { kind: "openGym"; memberId: string; at: Instant }
  );

/** What a desk change says, before the gym room numbers it. */
export type DeskChangeBody = DeskChange extends infer C ? (C extends DeskChange ? Omit<C, "epoch" | "seq"> : never) : never;

/** How many changes the staff view keeps: a connected desk hears each as it comes; after a gap it fetches the whole snapshot. */
export const DeskChangesKept = 20;

/** The changes kept after `added`, numbered on from `last` (the newest {@link DeskChangesKept}). */
export function appendDeskChanges(kept: readonly DeskChange[], added: readonly DeskChangeBody[], epoch: string): DeskChange[] {
  let seq = kept.at(-1)?.seq ?? 0;
  const numbered = added.map((c) => ({ ...c, epoch, seq: ++seq }) as DeskChange);
  return [...kept, ...numbered].slice(-DeskChangesKept);
}

/** Where a desk is in the room's changes: the run and the last change its snapshot has. */
export interface DeskCursor {
  epoch: string;
  seq: number;
}

/** The cursor of a snapshot taken while the room had listed no change yet: its first change, of any run, follows on. */
export const DeskCursorAtStart: DeskCursor = { epoch: "", seq: 0 };

/** The newest change in a view's list as a cursor (null: the room has listed none yet). */
export function cursorOf(changes: readonly DeskChange[]): DeskCursor | null {
  const last = changes.at(-1);
  return last ? { epoch: last.epoch, seq: last.seq } : null;
}

/**
 * The snapshot with the changes after `cursor` applied, the new cursor, and whether the desk must fetch the whole
 * snapshot (`refetch`): the room restarted, changes were missed, or a change names a member or session the
 * snapshot does not have (a new member, a new class).
 */
export function applyDeskChanges(
  snapshot: DeskSnapshot,
  cursor: DeskCursor | null,
  changes: readonly DeskChange[],
): { snapshot: DeskSnapshot; cursor: DeskCursor | null; refetch: boolean } {
  const sorted = [...changes].sort((a, b) => a.seq - b.seq);
  const newest = cursorOf(sorted);
  if (!newest) return { snapshot, cursor, refetch: false };
  const sameRun = cursor !== null && (cursor.epoch === newest.epoch || (cursor.epoch === "" && cursor.seq === 0));
  if (!sameRun || sorted[0]!.seq > cursor.seq + 1) return { snapshot, cursor: newest, refetch: true };
  let s = snapshot;
  let refetch = false;
  for (const c of sorted) {
    if (c.seq <= cursor.seq) continue;
    const next = applyOne(s, c);
    if (next === null) refetch = true;
    else s = next;
  }
  return { snapshot: s, cursor: newest, refetch };
}

/** One change applied, or null when the snapshot lacks what it names. */
function applyOne(s: DeskSnapshot, c: DeskChange): DeskSnapshot | null {
  if (c.kind === "member") {
    const known = s.members.some((m) => m.memberId === c.memberId);
    if (c.status === null) return known ? { ...s, members: s.members.filter((m) => m.memberId !== c.memberId) } : s;
    if (!known) return null;
    const patch = (m: SnapshotMember): SnapshotMember => ({
      ...m,
      name: c.name,
      status: c.status!,
      frozenUntil: c.frozenUntil,
      ...(c.signedWaivers ? { signedWaivers: c.signedWaivers } : {}),
    });
    return { ...s, members: s.members.map((m) => (m.memberId === c.memberId ? patch(m) : m)) };
  }
  if (c.kind === "openGym") {
    if (!s.members.some((m) => m.memberId === c.memberId)) return null;
    return {
      ...s,
      members: s.members.map((m) => (m.memberId === c.memberId && (m.lastOpenGymAt ?? 0) < c.at ? { ...m, lastOpenGymAt: c.at } : m)),
    };
  }
  const session = s.sessions.find((x) => x.sessionId === c.sessionId);
  // A session outside the snapshot's days is no desk's business; one inside them that the desk lacks is new.
  const within =
    s.sessionsFrom !== undefined && s.sessionsUntil !== undefined && c.startsAt >= s.sessionsFrom && c.startsAt < s.sessionsUntil;
  if (!session) return c.status === null || !within ? s : null;
  const roster = session.roster.filter((r) => r.memberId !== c.memberId);
  if (c.status !== null) roster.push({ memberId: c.memberId, status: c.status });
  return { ...s, sessions: s.sessions.map((x) => (x === session ? { ...x, roster } : x)) };
}
