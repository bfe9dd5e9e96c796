/**
 * Open-gym (no class) check-in at the desk, door, kiosk or by QR code.
 */
import type { AttendanceEvent, CheckIn, CheckInDenial, CheckInSource, Instant } from "../model.js";
import type { MemberStanding } from "../class/state.js";
import { CheckInDenialMessages } from "./denials.js";
import { decideDeskCheckIn, DefaultDeskRules } from "./deskDecision.js";

/** Input of {@link checkInToGym}. */
export interface GymCheckIn {
  gymId: string;
  /** The member resolved from `{ memberId }` or `{ code }`; null when nobody matched. */
  standing: MemberStanding | null;
  source: CheckInSource;
  /** Staff user performing it, or null for the member themself (door, app). */
  byUserId: string | null;
  /** The member's last accepted open-gym check-in, to swallow double scans. */
  lastAcceptedAt: Instant | null;
  now: Instant;
  newId: () => string;
}

export { OpenGymDedupeMinutes } from "./deskDecision.js";

/** Outcome of an open-gym check-in: what to record and what to show. */
export type GymCheckInOutcome =
  | { status: "checked_in"; checkIn: CheckIn; attendance: AttendanceEvent }
  | { status: "already_checked_in"; checkIn: null; attendance: null }
  | { status: "denied"; reason: CheckInDenial; message: string; checkIn: CheckIn; attendance: null };

/**
 * Decides an open-gym check-in. Denied attempts are returned with a `CheckIn` to record
 * (staff see attempts). A member of another gym is treated as unknown (no existence leak).
 */
export function checkInToGym(input: GymCheckIn): GymCheckInOutcome {
  const { standing, now, gymId } = input;
  const known = standing !== null && standing.gymId === gymId;
  // The desk's one decision (open gym: no bookings looked at).
  const member = known ? { ...standing, name: "", lastOpenGymAt: input.lastAcceptedAt } : null;
  const verdict = decideDeskCheckIn({ gymId, member, bookings: [], openGym: true, rules: DefaultDeskRules, now });
  if (verdict.verdict === "already_checked_in") return { status: "already_checked_in", checkIn: null, attendance: null };
  const denial = verdict.verdict === "denied" ? verdict.reason : null;
  const checkIn: CheckIn = {
    id: input.newId(),
    gymId,
    memberId: known ? standing.memberId : null,
    sessionId: null,
    source: input.source,
    result: denial === null ? "accepted" : "denied",
    reason: denial,
    at: now,
    byUserId: input.byUserId,
  };
  if (denial !== null || !known) {
    const reason = denial ?? "UNKNOWN_MEMBER";
    return { status: "denied", reason, message: CheckInDenialMessages[reason], checkIn, attendance: null };
  }
  const attendance: AttendanceEvent = { id: input.newId(), gymId, memberId: standing.memberId, sessionId: null, at: now };
  return { status: "checked_in", checkIn, attendance };
}
