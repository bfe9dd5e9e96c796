/**
 * The class views as sections (see `sections.ts`), and what a class change touched in them: a class room
 * names the roster lines and waitlist entries its events changed, and its deltas are built from those
 * alone instead of projecting and diffing the whole roster twice per commit.
 */
import { isLive, isOpenEntry } from "../class/index.js";
import type { ClassStateEvent } from "../class/events.js";
import type { Booking, WaitlistEntry } from "../model.js";
import { publicLeaderboard, staffLeaderboard } from "./leaderboardView.js";
import {
  classCounts,
  sessionSummary,
  type ClassRoomState,
  type PublicClassView,
  type StaffClassView,
  type WaitlistLine,
} from "./classView.js";
import { firstName } from "./people.js";
import { RosterDefaults, type RosterLine } from "./rosterWire.js";
import { projectSections, recordSection, touched, Untouched, valueSection, type ViewChange, type ViewSections } from "./sections.js";

const nameOf = (state: ClassRoomState, memberId: string | null) => (memberId && state.people[memberId]?.name) || "Unknown member";

/** A booking's roster line as it is sent: default-valued fields left out (see `rosterWire.ts`), no whole entry built first. */
function rosterLineOf(state: ClassRoomState, b: Booking): RosterLine | undefined {
  if (b.status === "cancelled") return undefined;
  const p = state.people[b.memberId];
  const line: RosterLine = {
    memberId: b.memberId,
    name: p?.name ?? "Unknown member",
    email: p?.email ?? "",
    // Always sent (see rosterWire.ts): an app of protocol version 1 reads it on every line.
    membershipStatus: p?.membershipStatus ?? "active",
    status: b.status,
  };
  if (p) {
    if (p.phone !== RosterDefaults.phone) line.phone = p.phone;
    if (p.notes !== RosterDefaults.notes) line.notes = p.notes;
  }
  if (b.promotedFromWaitlist !== RosterDefaults.promotedFromWaitlist) line.promotedFromWaitlist = b.promotedFromWaitlist;
  if (p?.trial === true) line.trial = true;
  const override = overrideOf(state, b);
  if (override !== undefined) line.override = override;
  return line;
}

/** A checked-in booking's override reason, from the member's latest accepted check-in here (staff see it on the roster). */
function overrideOf(state: ClassRoomState, b: Booking): string | undefined {
  if (b.status !== "checked_in") return undefined;
  const checkIns = state.cls.checkIns;
  for (let i = checkIns.length - 1; i >= 0; i--) {
    const c = checkIns[i]!;
    if (c.memberId === b.memberId && c.result === "accepted") return c.override || undefined;
  }
  return undefined;
}

function waitlistLine(state: ClassRoomState, e: WaitlistEntry): WaitlistLine | undefined {
  if (!isOpenEntry(e)) return undefined;
  const line: WaitlistLine = { memberId: e.memberId, name: nameOf(state, e.memberId), position: e.position };
  // Defaults left out (see WaitlistLine): most lines are waiting, with no offer.
  if (e.status !== "waiting") line.status = e.status;
  if (e.offerExpiresAt !== null) line.offerExpiresAt = e.offerExpiresAt;
  return line;
}

function keyed<T extends { id: string }, L>(items: readonly T[], line: (item: T) => L | undefined): Record<string, L> {
  const out: Record<string, L> = {};
  for (const item of items) {
    const l = line(item);
    if (l !== undefined) out[item.id] = l;
  }
  return out;
}

/** `localeCompare`'s order (the default locale), without its per-call lookup. */
const byName = new Intl.Collator().compare;
/** Attendance per (immutable) state: one pass serves both public sections, and a publish's "before" is its last "after". */
const attendanceOf = new WeakMap<ClassRoomState, Readonly<{ attendees: readonly string[]; othersCount: number }>>();

/** Visible attendees' first names (sorted) and how many others are booked. */
function attendance(state: ClassRoomState): Readonly<{ attendees: readonly string[]; othersCount: number }> {
  const known = attendanceOf.get(state);
  if (known) return known;
  const attendees: string[] = [];
  let othersCount = 0;
  for (const b of state.cls.bookings) {
    if (!isLive(b)) continue;
    const p = state.people[b.memberId];
    if (p?.visible) attendees.push(firstName(p.name));
    else othersCount += 1;
  }
  attendees.sort(byName);
  const out = { attendees, othersCount };
  attendanceOf.set(state, out);
  return out;
}

const session = valueSection<ClassRoomState>((s) => sessionSummary(s));
const counts = valueSection<ClassRoomState>((s) => classCounts(s.cls));

/**
 * The class views by audience. Staff see everything keyed by id (a booking changes one roster line);
 * members see counts and visible first names — never ids, contacts or states.
 */
export const ClassViewSections: Readonly<Record<"public" | "staff", ViewSections<ClassRoomState>>> = {
  staff: {
    session,
    counts,
    roster: recordSection(
      (s) => keyed(s.cls.bookings, (b) => rosterLineOf(s, b)),
      (s, id) => {
        const b = s.cls.bookings.find((x) => x.id === id);
        return b && rosterLineOf(s, b);
      },
    ),
    waitlist: recordSection(
      (s) => keyed(s.cls.waitlist, (e) => waitlistLine(s, e)),
      (s, id) => {
        const e = s.cls.waitlist.find((x) => x.id === id);
        return e && waitlistLine(s, e);
      },
    ),
    checkIns: valueSection((s) =>
      s.cls.checkIns
        .slice(-20)
        .reverse()
        .map((c) => ({
          memberId: c.memberId,
          name: nameOf(s, c.memberId),
          at: c.at,
          result: c.result,
          reason: c.reason,
          ...(c.override ? { override: c.override } : {}),
        })),
    ),
    leaderboard: valueSection((s) => staffLeaderboard(s.cls.board, s.people)),
  },
  public: {
    session,
    counts,
    attendees: valueSection((s) => attendance(s).attendees),
    othersCount: valueSection((s) => attendance(s).othersCount),
    leaderboard: valueSection((s) => publicLeaderboard(s.cls.board, s.people)),
  },
};

/** The staff projection. */
export function staffClassView(state: ClassRoomState): StaffClassView {
  return projectSections(ClassViewSections.staff, state, 0) as unknown as StaffClassView;
}

/** The member projection: never another member's id, contact, membership state, fees or notes. */
export function publicClassView(state: ClassRoomState): PublicClassView {
  return projectSections(ClassViewSections.public, state, 0) as unknown as PublicClassView;
}

/**
 * What `events` (applied to reach `after`) and new details of the people in `peopleChanged` touched in
 * the class views. Events no view shows (fees, credits, attendance records, standings) touch nothing.
 * @example classViewChange([{ type: "booking.created", booking }], after, []) // counts, attendees, roster[booking.id]
 */
export function classViewChange(events: readonly ClassStateEvent[], after: ClassRoomState, peopleChanged: readonly string[]): ViewChange {
  const parts = new Set<string>();
  const roster: string[] = [];
  const waitlist: string[] = [];
  for (const e of events) {
    switch (e.type) {
      case "booking.created":
      case "booking.updated":
        parts.add("counts").add("attendees").add("othersCount");
        roster.push(e.booking.id);
        break;
      case "waitlist.updated":
        parts.add("counts");
        for (const w of e.entries) waitlist.push(w.id);
        break;
      case "session.updated":
        parts.add("session").add("counts");
        break;
      case "checkin.recorded":
        parts.add("checkIns");
        break;
      case "workout.set":
      case "result.logged":
        parts.add("leaderboard");
        break;
      default:
        break;
    }
  }
  if (peopleChanged.length > 0) {
    // A name, contact or visibility shows on their lines, in the stream, the board and the public names.
    parts.add("checkIns").add("leaderboard").add("attendees").add("othersCount");
    const who = new Set(peopleChanged);
    for (const b of after.cls.bookings) if (who.has(b.memberId)) roster.push(b.id);
    for (const w of after.cls.waitlist) if (who.has(w.memberId)) waitlist.push(w.id);
  }
  if (parts.size === 0 && roster.length === 0 && waitlist.length === 0) return Untouched;
  return touched([...parts], { roster, waitlist });
}
