/** What a class room needs from persistence and from the node's resident members (ports; adapters in server/). */
import type { ClassState, MemberStanding } from "../domain/class/index.js";
import type { RoomId } from "../domain/protocol/envelope.js";
import type { ClassRoomState } from "../domain/views/classView.js";
import type { Person } from "../domain/views/people.js";
import type { ClassChange } from "./classChange.js";
import type { Loaded, ProcessedRecord, RoomMark } from "./ports.js";
import type { ResidentStandings } from "./residentStandings.js";

/** Persistence a class room needs (implemented over MikroORM in server/, in memory in tests). */
export interface ClassStore {
  /**
   * The room's state in one read; with `resident`, members' standings come from it instead of the database. While the
   * gym's members are still loading, only who they are is read: the state answers views and is loaded `incomplete`.
   */
  loadClass(room: RoomId, sessionId: string, resident?: ResidentLookup): Promise<Loaded<ClassRoomState> | null>;
  /** Members' current standings (membership, plan, credits, weekly count) for this session; members of other gyms are absent. */
  loadMembers(session: ClassState["session"], memberIds: string[]): Promise<Map<string, LoadedMember>>;
  /** One transaction: the events' records, the processed commands and the audit rows, compare-and-setting the room's version. */
  commitClass(
    room: RoomId,
    base: ClassRoomState,
    changes: ClassChange[],
    processed: ProcessedRecord[],
    mark: RoomMark,
  ): Promise<RoomMark | void>;
}

/** The node's resident copy of a gym's members, as a loading class room uses it. */
export interface ResidentLookup {
  /** Whether the session's gym is known to have its members in memory (false: maybe not — the room reads who its members are). */
  knows(sessionId: string): boolean;
  /** Whether the gym's members are in memory now (starts loading them when they are not). */
  ready(gymId: string): boolean;
  /** Members' standings for a session (memory once the gym is loaded); absent: not a member. */
  standings(session: ClassState["session"], memberIds: string[]): Promise<Map<string, LoadedMember>>;
  /** The same as records (a loading room's members and people), built directly: absent ids are not members. */
  roster(
    session: ClassState["session"],
    memberIds: string[],
  ): Promise<{ standings: Record<string, MemberStanding>; people: Record<string, Person> }>;
}

export interface LoadedMember {
  standing: MemberStanding;
  person: Person;
}

/** A loading class room's view of the node's resident members. */
export function residentLookup(resident: ResidentStandings): ResidentLookup {
  return {
    knows: (sessionId) => resident.gymOfSession(sessionId) !== undefined,
    ready: (gymId) => {
      resident.warm(gymId);
      return resident.isLoaded(gymId);
    },
    standings: async (session, ids) => {
      // From memory without a promise per member (a cold room of 250 awaited 250); only members memory lacks wait.
      const found = new Map<string, LoadedMember>();
      const later: string[] = [];
      for (const id of ids) {
        const now = resident.standingNow(session, id);
        if (now) found.set(id, now);
        else later.push(id);
      }
      const read = await Promise.all(later.map((id) => resident.standing(session, id)));
      read.forEach((m, i) => m && found.set(later[i]!, m));
      return found;
    },
    roster: async (session, ids) => {
      // 250 members of a cold room: one gym look-up and no Map between memory and the records.
      const { standings, people, later } = resident.standingsNow(session, ids);
      const read = later.length > 0 ? await Promise.all(later.map((id) => resident.standing(session, id))) : [];
      read.forEach((m, i) => {
        if (m) ({ standing: standings[later[i]!], person: people[later[i]!] } = m);
      });
      return { standings, people };
    },
  };
}

/** Everyone a class's state holds a standing for: booked, waitlisted (any status) and the coach. */
export function classMemberIds(cls: Pick<ClassState, "bookings" | "waitlist" | "session">): string[] {
  const coach = cls.session.coachId ? [cls.session.coachId] : [];
  return [...new Set([...cls.bookings.map((b) => b.memberId), ...cls.waitlist.map((w) => w.memberId), ...coach])];
}
