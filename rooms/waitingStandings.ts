/**
 * The standings of the members waiting in a class, read fresh before a decision that may hand one of them a freed
 * spot: the room's copy of a waiting member is from when they joined, and a freeze, a plan change or credits spent
 * elsewhere since must stop the promotion (they are skipped, and told why). Regression: a member frozen while
 * waiting was promoted on the room's stale copy.
 */
import { isOpenEntry, withMember, type ClassStateEvent, type MemberStanding } from "../domain/class/index.js";
import type { ClassRoomState } from "../domain/views/classView.js";
import type { Person } from "../domain/views/people.js";

/** Commands that can free a spot (or offer one on): the waiting members' standings are read first. The timer's tick too. */
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
  let cls = state.cls;
  let people = state.people;
  for (const [id, m] of found) {
    if (JSON.stringify(cls.members[id]) === JSON.stringify(m.standing) && samePerson(people[id], m.person)) continue;
    if (!samePerson(people[id], m.person)) peopleChanged.push(id);
    cls = withMember(cls, m.standing);
    people = { ...people, [id]: m.person };
    refreshed.push({ type: "standing.updated", standing: m.standing });
  }
  return cls === state.cls ? state : { ...state, cls, people };
}
