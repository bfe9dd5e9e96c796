/**
 * Checking in to a class, and undoing it. Denials are recorded, not refused.
 */
import { CheckInDenialMessages, membershipDenial } from "../checkin/denials.js";
import { decideCheckInSource } from "../checkin/selfCheckIn.js";
import { waiverDenial } from "../checkin/waiver.js";
import { isOverridable, overrideRefusal } from "../checkin/override.js";
import { DomainError } from "../errors.js";
import type { AttendanceEvent, CheckIn, CheckInDenial, MembershipStatus } from "../model.js";
import { startDraft } from "./draft.js";
import { formatWhen } from "../format.js";
import type { Outcome } from "./draft.js";
import { checkScope, checkStaff, isStaff, planCovers } from "./guards.js";
import { liveBookingOf } from "./state.js";
import type { ClassState, CommandContext } from "./state.js";
import { checkInWindowState } from "../checkin/checkInWindow.js";
import { classWindows } from "./windows.js";
import type { ClassCommandPayload } from "../protocol/commands.js";

/** `class:checkIn`. Staff pass `memberId` to check someone in. */
export type CheckInToClass = ClassCommandPayload<"class:checkIn">;

/** Ack value of {@link checkInToClass}. */
export type CheckInResult =
  | { status: "checked_in"; bookingId: string; checkInId: string; attendanceId: string; override?: string; overridden?: CheckInDenial }
  | { status: "already_checked_in"; bookingId: string }
  | { status: "denied"; reason: CheckInDenial; message: string; checkInId: string };

function denialFor(state: ClassState, memberId: string, now: number, statusThen?: MembershipStatus): CheckInDenial | null {
  const standing = state.members[memberId];
  if (standing === undefined || standing.gymId !== state.session.gymId) return "UNKNOWN_MEMBER";
  // A check-in an offline desk sent late is decided with the status the membership had at the desk's time.
  const membership = membershipDenial(statusThen ?? standing.status);
  if (membership) return membership;
  // The same waiver predicate as the desk: a roster or app check-in is refused until the version in force is signed.
  const waiver = waiverDenial(standing, now);
  if (waiver) return waiver;
  // The same coverage rule as booking: a booking made before the plan changed is not checked in to an uncovered type.
  if (!planCovers(standing, state.session.classTypeId)) return "CLASS_NOT_COVERED";
  if (state.session.status === "cancelled") return "CLASS_CANCELLED";
  if (checkInWindowState({ status: state.session.status, ...classWindows(state.session) }, now) !== "open")
    return "OUTSIDE_CHECK_IN_WINDOW";
  return liveBookingOf(state, memberId) ? null : "NO_BOOKING";
}

/** The refusal in words; outside the window it says when check-in opens (or closed), never just "not now". */
function denialText(state: ClassState, reason: CheckInDenial, now: number): string {
  if (reason === "CLASS_NOT_COVERED") return `Your plan doesn't cover ${state.classTypeName ?? "this class"} — ask the front desk.`;
  if (reason !== "OUTSIDE_CHECK_IN_WINDOW") return CheckInDenialMessages[reason];
  const w = classWindows(state.session);
  return checkInWindowState({ status: state.session.status, ...w }, now) === "not_yet"
    ? `Check-in opens ${formatWhen(w.checkInOpensAt, state.timeZone)}.`
    : `Check-in for this class closed ${formatWhen(w.checkInClosesAt, state.timeZone)}.`;
}

/**
 * Checks a member in. Accepted: booking → `checked_in`, attendance and check-in recorded.
 * Denied (membership, cancelled class, outside window, no booking, unknown member): a denied
 * check-in is recorded and returned as a result, not an error. Checking in twice is a no-op.
 * Only scoping (NOT_FOUND) and a member checking in someone else (FORBIDDEN) are errors.
 */
export function checkInToClass(state: ClassState, command: CheckInToClass, ctx: CommandContext): Outcome<CheckInResult> {
  const scope = checkScope(state, ctx, command.sessionId);
  if (scope) return scope;
  const memberId = command.memberId ?? ctx.actor.userId;
  const self = memberId === ctx.actor.userId;
  if (!self && !isStaff(ctx.actor)) return new DomainError("FORBIDDEN");
  const { now, newId } = ctx;
  const booking = liveBookingOf(state, memberId);
  if (booking?.status === "checked_in" && state.members[memberId]?.gymId === state.session.gymId) {
    return startDraft(state, ctx).done({ status: "already_checked_in", bookingId: booking.id });
  }
  if (command.override) {
    const refusedOverride = overrideRefusal(ctx.actor.role);
    if (refusedOverride) return refusedOverride;
  }
  const refusal = denialFor(state, memberId, now, ctx.offline?.status);
  // A staff override (docs/domain.md "Walk-ins and overrides") checks a booked member in despite a refusal it may
  // override; the check-in keeps the refusal and the reason.
  const overridden = command.override && refusal && isOverridable(refusal) && booking?.status === "booked" ? refusal : null;
  const denial = overridden ? null : refusal;
  const checkIn: CheckIn = {
    id: newId(),
    gymId: state.session.gymId,
    memberId: denial === "UNKNOWN_MEMBER" ? null : memberId,
    sessionId: state.session.id,
    source: decideCheckInSource({ staff: isStaff(ctx.actor) }, command.source, "desk"),
    result: denial ? "denied" : "accepted",
    reason: overridden ?? denial,
    at: now,
    byUserId: self ? null : ctx.actor.userId,
    ...(ctx.offline ? { deviceAt: ctx.offline.deviceAt, receivedAt: ctx.offline.receivedAt } : {}),
    ...(overridden && command.override ? { override: command.override.reason } : {}),
  };
  const draft = startDraft(state, ctx);
  draft.emit({ type: "checkin.recorded", checkIn });
  if (denial || booking === undefined) {
    const reason = denial ?? "NO_BOOKING";
    return draft.done({ status: "denied", reason, message: denialText(state, reason, now), checkInId: checkIn.id });
  }
  draft.emit({ type: "booking.updated", booking: { ...booking, status: "checked_in", updatedAt: now } });
  const attendance: AttendanceEvent = { id: newId(), gymId: checkIn.gymId, memberId, sessionId: state.session.id, at: now };
  draft.emit({ type: "attendance.recorded", attendance });
  const extra = overridden && command.override ? { override: command.override.reason, overridden } : {};
  return draft.done({ status: "checked_in", bookingId: booking.id, checkInId: checkIn.id, attendanceId: attendance.id, ...extra });
}

/** `class:undoCheckIn` (staff). */
export type UndoCheckIn = ClassCommandPayload<"class:undoCheckIn">;

/** Staff reverts a check-in made by mistake: booking back to `booked`, attendance removed. */
export function undoCheckIn(
  state: ClassState,
  command: UndoCheckIn,
  ctx: CommandContext,
): Outcome<{ status: "booked"; bookingId: string }> {
  const refused = checkStaff(state, ctx, command.sessionId);
  if (refused) return refused;
  const standing = state.members[command.memberId];
  if (standing === undefined || standing.gymId !== state.session.gymId) return new DomainError("NOT_FOUND");
  const booking = liveBookingOf(state, command.memberId);
  if (booking?.status !== "checked_in") return new DomainError("NOT_CHECKED_IN");
  const draft = startDraft(state, ctx);
  draft.emit({ type: "booking.updated", booking: { ...booking, status: "booked", updatedAt: ctx.now } });
  for (const a of state.attendance) {
    if (a.memberId === command.memberId && a.sessionId === state.session.id) {
      draft.emit({ type: "attendance.removed", attendanceId: a.id });
    }
  }
  return draft.done({ status: "booked", bookingId: booking.id });
}
