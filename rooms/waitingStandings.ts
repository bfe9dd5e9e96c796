/**
 * The standings of the members waiting in a class, kept current for a decision that may hand one of them a freed
 * spot: the room's copy of a waiting member is from when they joined, and a freeze, a plan change or credits spent
 * elsewhere since must stop the promotion (they are skipped, and told why). Regression: a member frozen while
 * waiting was promoted on the room's stale copy. With resident standings the room is told when a waiting member
 * changes and refreshes them then (off the cancel's path); without them it reads them before each such decision.
 */
import {
  isOpenEntry,
  sameStanding,
  withMember,
  type ClassState,
  type ClassStateEvent,
  type MemberStanding,
} from "../domain/class/index.js";
import type { ClassRoomState } from "../domain/views/classView.js";
import type { Person } from "../domain/views/people.js";
import type { ResidentStandings } from "./residentStandings.js";

/**
 * Commands that can free a spot (or offer one on): without resident standings the waiting members' standings are read
 * first (the timer's tick too); with them, the room is told of changes instead ({@link WaitingWatch}).
 */
export const MayPromote = new Set(["class:cancelBooking", "class:leaveWaitlist", "class:setCapacity", "class:updateSession"]);

/** True when the two are the same person as the views show them. */
export function samePerson(a: Person | undefined, b: Person): boolean {
  return (
    a !== undefined &&
    a.name === b.name &&
    a.email === b.email &&
    a.phone === b.phone &&
    a.visible === b.visible &&
    a.membershipStatus === b.membershipStatus &&
    a.notes === b.notes &&
    a.trial === b.trial
  );
}

/**
 * `state` with the current standings of its waiting members (not offered ones: their spot is held), except those
 * `skip` names (this room changed them and has not committed yet: its copy is the newer). Each standing that changed
 * is added to `refreshed` (the commit's credits guard reads it) and each person who changed to `peopleChanged`.
 */
export async function withFreshWaiting(
  state: ClassRoomState,
  read: (ids: string[]) => Promise<Map<string, { standing: MemberStanding; person: Person }>>,
  skip: (memberId: string) => boolean,
  refreshed: ClassStateEvent[],
  peopleChanged: string[],
): Promise<ClassRoomState> {
  const ids = [...new Set(state.cls.waitlist.filter((e) => isOpenEntry(e) && e.status === "waiting").map((e) => e.memberId))].filter(
    (id) => !skip(id),
  );
  if (ids.length === 0) return state;
  const found = await read(ids);
  let out = state;
  for (const m of found.values()) out = withReload(out, m, refreshed, peopleChanged, false);
  return out;
}

/**
 * `state` with a member's reloaded standing and person, copying the room's members or people only where they differ
 * (O(roster) each: a check-in's equal reload copied both, ~265 kB that outlived the young generation at 500 check-ins).
 * The reload goes to `refreshed` when anything differed, or `always` (an eligibility command: the commit's guards
 * replay the batch on the last committed state, which may not hold this room's copy yet); a new person to `peopleChanged`.
 */
export function withReload(
  state: ClassRoomState,
  member: { standing: MemberStanding; person: Person },
  refreshed: ClassStateEvent[],
  peopleChanged: string[],
  always: boolean,
): ClassRoomState {
  const id = member.standing.memberId;
  const samePlace = sameStanding(state.cls.members[id], member.standing);
  const sameOne = samePerson(state.people[id], member.person);
  if (!samePlace || !sameOne || always) refreshed.push({ type: "standing.updated", standing: member.standing });
  if (samePlace && sameOne) return state;
  if (!sameOne) peopleChanged.push(id);
  return {
    ...state,
    cls: samePlace ? state.cls : withMember(state.cls, member.standing),
    people: sameOne ? state.people : { ...state.people, [id]: member.person },
  };
}

/**
 * A class room's copies of its waiting members, kept current by being told: the node's resident standings call it
 * when a member of the gym may have changed (a commit here, an invalidation from any node, a reconciliation), and it
 * sends the room a `standings` note naming those who wait there. So a cancel decides from memory, with no reads; a
 * copy that missed a change anyway is still refused by the commit's credits and weekly guards.
 */
export class WaitingWatch {
  private stopWatching: (() => void) | null = null;
  /** Members told changed while the room held a newer, uncommitted copy of them: refreshed after its next commit. */
  private readonly owed = new Set<string>();
  private waiting: { list: ClassRoomState["cls"]["waitlist"]; ids: Set<string> } | null = null;

  constructor(
    private readonly resident: ResidentStandings,
    /** Sends the room a `standings` note. */
    private readonly tell: (memberIds: readonly string[] | null) => void,
    /** The room's current state, once loaded. */
    private readonly current: () => ClassRoomState | undefined,
  ) {}

  /** Taken before the room reads its copies, and given to {@link follow} after. */
  get seen(): number {
    return this.resident.changes;
  }

  /** Follows the gym's changes from now on; a change since `seen` (between reading copies and now) refreshes them all. */
  follow(gymId: string, seen: number): void {
    this.stopWatching?.();
    this.stopWatching = this.resident.watch(gymId, (ids) => this.changed(ids));
    if (this.resident.changes !== seen) this.tell(null);
  }

  /** The room skipped refreshing this member (its own copy is newer until it commits); answers true (skipped). */
  owe(memberId: string): true {
    this.owed.add(memberId);
    return true;
  }

  /** After a commit of the room: refresh the members it owes. */
  committed(): void {
    if (this.owed.size === 0) return;
    const ids = [...this.owed];
    this.owed.clear();
    this.tell(ids);
  }

  stop(): void {
    this.stopWatching?.();
    this.stopWatching = null;
  }

  /** Who waits, kept per waitlist (states are immutable): every commit of the gym asks every room of it. */
  private waitingIn(list: ClassRoomState["cls"]["waitlist"]): Set<string> {
    if (this.waiting?.list !== list)
      this.waiting = { list, ids: new Set(list.filter((e) => isOpenEntry(e) && e.status === "waiting").map((e) => e.memberId)) };
    return this.waiting.ids;
  }

  private changed(ids: readonly string[] | null): void {
    const state = this.current();
    if (!state) return this.tell(ids);
    const waiting = this.waitingIn(state.cls.waitlist);
    if (waiting.size === 0) return;
    const told = ids === null ? null : ids.filter((id) => waiting.has(id));
    if (told === null || told.length > 0) this.tell(told);
  }
}

/**
 * Standings a class room's state took in outcomes that stored nothing (a tick or a `standings` note reloading waiting
 * members): no commit said them, and a batch's guards replay its events on the last committed state, so behind an
 * in-flight commit they would not know them. Regression (`test/rooms/untoldReload.test.ts`): a waiting member reloaded
 * with 5 credits (4 bought elsewhere) and promoted in the same batch was charged against the committed 1: 5 → 8.
 * Each is told, first, by the next outcome that stores something, as the room then holds it.
 */
export class UntoldReloads {
  private readonly kept = new Set<string>();

  /** An outcome that stores nothing took these reloads. */
  keep(reloads: readonly ClassStateEvent[]): void {
    for (const e of reloads) if (e.type === "standing.updated") this.kept.add(e.standing.memberId);
  }

  /**
   * What an outcome that stores something says first: for each member reloaded untold, the standing `cls` (the room's
   * state it decided on) holds now — whatever replaced or equalled the reload since, it is what the room believes.
   */
  tell(cls: ClassState, own: readonly ClassStateEvent[]): readonly ClassStateEvent[] {
    if (this.kept.size === 0) return own;
    const told: ClassStateEvent[] = [];
    for (const id of this.kept) {
      const standing = cls.members[id];
      if (standing) told.push({ type: "standing.updated", standing });
    }
    this.kept.clear();
    return [...told, ...own];
  }
}
