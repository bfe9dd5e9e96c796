import { classWindows, isLive, isOpenEntry, type ClassState } from "../class/index.js";
import type { CheckInDenial, ClassSession, WaitlistStatus } from "../model.js";
import type { PublicLeaderboard, StaffLeaderboard } from "./leaderboardView.js";
import type { Person } from "./people.js";
import type { RosterLine } from "./rosterWire.js";

export type { RosterEntry } from "./rosterWire.js";

/** Labels of a session, resolved when the room loads. */
export interface SessionLabels {
  className: string;
  color: string;
  locationName: string;
  coachName: string | null;
  /** The room of its location it is in; null or absent when none is named. */
  roomName?: string | null;
}

/** The state a class room holds: the domain aggregate plus the names it shows. */
export interface ClassRoomState {
  cls: ClassState;
  labels: SessionLabels;
  people: Readonly<Record<string, Person>>;
}

/** Session facts every watcher may see. */
export interface SessionSummary extends SessionLabels {
  id: string;
  gymId: string;
  startsAt: number;
  endsAt: number;
  capacity: number;
  status: ClassSession["status"];
  cancelReason: string | null;
  bookingOpensAt: number;
  bookingClosesAt: number;
  lateCancelAt: number;
  checkInOpensAt: number;
  checkInClosesAt: number;
  lateCancelFeeCents: number;
  currency: string;
}

export interface ClassCounts {
  booked: number;
  checkedIn: number;
  waitlist: number;
  spotsLeft: number;
}

/**
 * A staff waitlist line. Defaults are left out on the wire (issue 15, ~40 bytes a line): `status` absent = "waiting",
 * `offerExpiresAt` absent = no offer; a field going back to its default arrives as a `del`. Every staff app reads
 * them so (web-admin's class-waitlist shows "Waiting" unless the status is "offered" and never read the expiry).
 */
export interface WaitlistLine {
  memberId: string;
  name: string;
  position: number;
  status?: WaitlistStatus;
  offerExpiresAt?: number;
}

export interface CheckInLine {
  memberId: string | null;
  name: string;
  at: number;
  result: "accepted" | "denied";
  reason: CheckInDenial | null;
  /** Staff checked them in despite `reason`: why. */
  override?: string;
}

/** What staff see of a class: everything, keyed by id so deltas touch one line at a time. */
export interface StaffClassView {
  session: SessionSummary;
  counts: ClassCounts;
  /** Keyed by booking id; lines without their default fields (see `rosterWire.ts`). */
  roster: Record<string, RosterLine>;
  waitlist: Record<string, WaitlistLine>;
  checkIns: CheckInLine[];
  leaderboard: StaffLeaderboard;
}

/** What members see of a class: counts and first names of visible attendees — no ids, contacts or states. */
export interface PublicClassView {
  session: SessionSummary;
  counts: ClassCounts;
  attendees: string[];
  othersCount: number;
  leaderboard: PublicLeaderboard;
}

export function sessionSummary(state: ClassRoomState): SessionSummary {
  const s = state.cls.session;
  const w = classWindows(s);
  return {
    id: s.id,
    gymId: s.gymId,
    ...state.labels,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    capacity: s.capacity,
    status: s.status,
    cancelReason: s.cancelReason,
    bookingOpensAt: w.bookingOpensAt,
    bookingClosesAt: w.bookingClosesAt,
    lateCancelAt: w.lateCancelAt,
    checkInOpensAt: w.checkInOpensAt,
    checkInClosesAt: w.checkInClosesAt,
    lateCancelFeeCents: state.cls.feePolicy.lateCancelFeeCents,
    currency: state.cls.feePolicy.currency,
  };
}

export function classCounts(cls: ClassState): ClassCounts {
  // Counted in one pass each, no arrays: every committed booking sends the gym its schedule line with these.
  let booked = 0;
  let checkedIn = 0;
  for (const b of cls.bookings) {
    if (!isLive(b)) continue;
    booked += 1;
    if (b.status === "checked_in") checkedIn += 1;
  }
  let waitlist = 0;
  let offered = 0;
  for (const e of cls.waitlist) {
    if (!isOpenEntry(e)) continue;
    waitlist += 1;
    if (e.status === "offered") offered += 1;
  }
  // Spots held (as `heldSpots` counts them): live bookings plus open offers.
  return { booked, checkedIn, waitlist, spotsLeft: Math.max(0, cls.session.capacity - (booked + offered)) };
}

// The projections themselves are built from sections: see `classSections.ts` (`staffClassView`, `publicClassView`).
