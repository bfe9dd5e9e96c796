/**
 * A staff roster line as it travels: the fields most lines hold at their default (no phone, an active membership,
 * no notes, not promoted from the waitlist) are left out, and the client puts them back. A 200-booking roster was
 * ~16 kB of `"phone":null,"membershipStatus":"active","notes":"","promotedFromWaitlist":false` in every join answer.
 * Deltas are diffs of these compact lines: a field going back to its default arrives as a `del`, and
 * {@link rosterEntry} reads the absent field as the default again.
 *
 * `membershipStatus` is always sent: a staff app built before this format (protocol version 1, see
 * domain/protocol/version.ts) reads the other absent fields as "none" but called `membershipStatus.replace` on every
 * line not "active" — undefined included — so leaving it out broke every open pre-upgrade roster. Sending it (~27 bytes a
 * line) keeps those apps reading rosters correctly until they reload.
 *
 * No `bookedAt`: no staff app of any version read it (~25 bytes a line). Left out without a version bump — an app
 * that never read the field cannot misread its absence (docs/protocol.md, "Protocol version").
 */
import type { BookingStatus, MembershipStatus } from "../model.js";

/** Staff roster line, whole (on the wire a {@link RosterLine}: default fields left out; {@link rosterEntry} restores them). */
export interface RosterEntry {
  memberId: string;
  name: string;
  email: string;
  phone: string | null;
  membershipStatus: MembershipStatus;
  notes: string;
  status: BookingStatus;
  promotedFromWaitlist: boolean;
  /** A trial visit (the person is on the gym's trial plan): the coach sees "Trial". Absent otherwise. */
  trial?: true;
  /** Checked in by staff despite a refusal: the reason they gave. */
  override?: string;
}

/** The roster fields left out of a line when they hold these values. */
export const RosterDefaults = {
  phone: null,
  notes: "",
  promotedFromWaitlist: false,
} as const satisfies Partial<RosterEntry>;

type Defaulted = keyof typeof RosterDefaults;

/** A roster line on the wire (`StaffClassView.roster`): a {@link RosterEntry} without its default fields. */
export type RosterLine = Omit<RosterEntry, Defaulted> & Partial<Pick<RosterEntry, Defaulted>>;

/** The line to send for `entry`: its default-valued fields left out. */
export function rosterLine(entry: RosterEntry): RosterLine {
  const line: RosterLine = {
    memberId: entry.memberId,
    name: entry.name,
    email: entry.email,
    membershipStatus: entry.membershipStatus,
    status: entry.status,
  };
  if (entry.phone !== RosterDefaults.phone) line.phone = entry.phone;
  if (entry.notes !== RosterDefaults.notes) line.notes = entry.notes;
  if (entry.promotedFromWaitlist !== RosterDefaults.promotedFromWaitlist) line.promotedFromWaitlist = entry.promotedFromWaitlist;
  if (entry.trial === true) line.trial = true;
  if (entry.override !== undefined) line.override = entry.override;
  return line;
}

/** The whole entry of a line as received: absent fields read as their defaults (keys in {@link RosterEntry}'s order). */
export function rosterEntry(line: RosterLine): RosterEntry {
  const { memberId, name, email, membershipStatus, status, trial, override } = line;
  return {
    memberId,
    name,
    email,
    phone: line.phone ?? RosterDefaults.phone,
    membershipStatus,
    notes: line.notes ?? RosterDefaults.notes,
    status,
    promotedFromWaitlist: line.promotedFromWaitlist ?? RosterDefaults.promotedFromWaitlist,
    ...(trial === true ? { trial } : {}),
    ...(override === undefined ? {} : { override }),
  };
}

/** Every line of a received roster, whole. */
export function rosterEntries(roster: Readonly<Record<string, RosterLine>>): RosterEntry[] {
  return Object.values(roster).map(rosterEntry);
}
