/**
 * What a front desk keeps on the device to decide check-ins while offline (docs/domain.md "When the desk is
 * offline"): today's and tomorrow's sessions with their rosters, the gym's members (status, plan, display name —
 * no photo, no contact details), the desk rules and the public keys of member codes. The desk decides from it with
 * {@link decideDeskCheckIn}, the function the gym room uses.
 */
import type { Instant, MembershipStatus, SessionStatus, WaiverEnforcement, WaiverVersionRef } from "../model.js";
import { waiverStanding } from "../admin/waivers.js";
import { decideDeskCheckIn, type DeskBooking, type DeskRules, type DeskVerdict } from "./deskDecision.js";
import { deskRulesWithWaiver } from "./waiver.js";

/** A member as the desk keeps them. */
export interface SnapshotMember {
  memberId: string;
  name: string;
  status: MembershipStatus;
  planName: string | null;
  frozenUntil: string | null;
  lastOpenGymAt: Instant | null;
  /** Waiver versions the member signed, of those the snapshot's `waiver` lists. */
  signedWaivers?: string[];
}

/** A session today or tomorrow with who is booked or already checked in. */
export interface SnapshotSession {
  sessionId: string;
  className: string;
  status: SessionStatus;
  startsAt: Instant;
  checkInOpensAt: Instant;
  checkInClosesAt: Instant;
  roster: { memberId: string; status: "booked" | "checked_in" }[];
}

/** A public key that verifies member codes (Ed25519, as a JWK's `x`). */
export interface SnapshotKey {
  kid: string;
  x: string;
}

/** The desk's snapshot (the `gym:deskSnapshot` answer). */
export interface DeskSnapshot {
  gymId: string;
  /** When the server made it: the desk's "last sync". */
  takenAt: Instant;
  members: SnapshotMember[];
  sessions: SnapshotSession[];
  /** The sessions listed are those starting in [sessionsFrom, sessionsUntil) (today and tomorrow, gym time). */
  sessionsFrom?: Instant;
  sessionsUntil?: Instant;
  rules: DeskRules;
  /** Keys accepted now: the current one and, during a rotation, the previous ones. */
  keys: SnapshotKey[];
  /** The gym's waiver setting and published versions (absent: none), so the desk refuses an unsigned member offline too. */
  waiver?: { required: WaiverEnforcement; versions: WaiverVersionRef[] };
}

/** The member's live bookings in the snapshot, as the desk decision reads them. */
export function snapshotBookings(snapshot: Pick<DeskSnapshot, "sessions">, memberId: string): DeskBooking[] {
  return snapshot.sessions.flatMap((s) =>
    s.roster
      .filter((r) => r.memberId === memberId)
      .map((r) => ({
        sessionId: s.sessionId,
        className: s.className,
        sessionStatus: s.status,
        bookingStatus: r.status,
        startsAt: s.startsAt,
        checkInOpensAt: s.checkInOpensAt,
        checkInClosesAt: s.checkInClosesAt,
      })),
  );
}

/** Decides a check-in from the snapshot alone (offline): the same function the server uses. */
export function decideFromSnapshot(snapshot: DeskSnapshot, memberId: string | null, openGym: boolean, now: Instant): DeskVerdict {
  const m = memberId === null ? undefined : snapshot.members.find((x) => x.memberId === memberId);
  const member = m ? { ...m, gymId: snapshot.gymId } : null;
  const waiver =
    m && snapshot.waiver
      ? waiverStanding({ waiverRequired: snapshot.waiver.required, waiverVersions: snapshot.waiver.versions }, m.signedWaivers ?? [])
      : undefined;
  const input = {
    gymId: snapshot.gymId,
    member,
    bookings: m ? snapshotBookings(snapshot, m.memberId) : [],
    openGym,
    rules: snapshot.rules,
    now,
  };
  return decideDeskCheckIn(input, deskRulesWithWaiver(waiver));
}

/**
 * The snapshot after a provisional ✔, so a second scan offline is "already checked in", as it would be online.
 */
export function withProvisional(snapshot: DeskSnapshot, memberId: string, verdict: DeskVerdict, now: Instant): DeskSnapshot {
  if (verdict.verdict === "open_gym")
    return { ...snapshot, members: snapshot.members.map((m) => (m.memberId === memberId ? { ...m, lastOpenGymAt: now } : m)) };
  if (verdict.verdict !== "class") return snapshot;
  return {
    ...snapshot,
    sessions: snapshot.sessions.map((s) =>
      s.sessionId !== verdict.sessionId
        ? s
        : { ...s, roster: s.roster.map((r) => (r.memberId === memberId ? { ...r, status: "checked_in" as const } : r)) },
    ),
  };
}

/** Members whose name contains every word typed (case- and accent-insensitive), best first, at most `limit`. */
export function searchSnapshot(snapshot: Pick<DeskSnapshot, "members">, text: string, limit = 8): SnapshotMember[] {
  const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  const words = fold(text).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  return snapshot.members
    .filter((m) => words.every((w) => fold(m.name).includes(w)))
    .sort(
      (a, b) => Number(!fold(a.name).startsWith(words[0]!)) - Number(!fold(b.name).startsWith(words[0]!)) || a.name.localeCompare(b.name),
    )
    .slice(0, limit);
}
