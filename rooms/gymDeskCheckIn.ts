/**
 * The gym room's desk check-in: one scan decided with the domain's desk function (membership, waiver, booking,
 * double scans), staff overrides, and an offline desk's replayed scan judged against what it showed. A class
 * check-in goes on to its class room; open gym and denials are recorded here.
 */
import {
  decideDeskCheckIn,
  DefaultDeskRules,
  DeskMemberRules,
  type DeskMemberRule,
  type DeskVerdict,
} from "../domain/checkin/deskDecision.js";
import { frozenMessage } from "../domain/admin/members.js";
import { CheckInDenialMessages } from "../domain/checkin/denials.js";
import { decideCheckInSource } from "../domain/checkin/selfCheckIn.js";
import { isOverridable, overrideNoticeText, overrideRefusal } from "../domain/checkin/override.js";
import { deskRulesWithWaiver } from "../domain/checkin/waiver.js";
import { walkInOffer } from "../domain/checkin/walkInOffer.js";
import type { AttendanceEvent, CheckIn, CheckInDenial, CheckInSource } from "../domain/model.js";
import type { Ack, RoomId } from "../domain/protocol/envelope.js";
import type { GymRoomModel } from "../domain/views/gymView.js";
import { recorded } from "./gymCheckIns.js";
import { deskTime } from "./gymDeskLookup.js";
import { classCameFor, waiverAlerts } from "./gymWaiverAlert.js";
import type { AskRoom, GymChange } from "./gymPorts.js";
import type { DeskCheckIn, DeskLookup, DeskMember, ResidentDesk } from "./deskLookup.js";
import type { Caller, RoomRuntime } from "./ports.js";
import type { Outcome } from "./outcome.js";

/** The gym room a desk check-in is decided in: its gym, clock and ids, how it asks a class room, its resident members. */
export interface GymDeskContext {
  gymId: string;
  rt: Pick<RoomRuntime, "now" | "newId">;
  ask: AskRoom;
  desk?: ResidentDesk | undefined;
}

/** The desk decides with the domain's one desk function; a class check-in goes on to its class room, which records it. */
export function deskCheckIn(
  ctx: GymDeskContext,
  state: GymRoomModel,
  caller: Caller,
  commandId: string,
  cmd: DeskCheckIn,
  found: DeskLookup,
): Outcome<GymRoomModel, GymChange> {
  // A member of another gym is unknown here: recorded without their id (no existence leak).
  const member = found.member?.standing.gymId === ctx.gymId ? found.member : null;
  const bookings = member ? found.bookings : [];
  const receivedAt = ctx.rt.now();
  const now = deskTime(cmd, receivedAt);
  const offline = cmd.offline ? { deviceAt: cmd.offline.deviceAt, receivedAt } : null;
  const source: CheckInSource = offline ? "offline_desk" : decideCheckInSource({ staff: true }, cmd.source, "code" in cmd ? "qr" : "desk");
  if (cmd.override) {
    const refused = overrideRefusal(caller.membership?.role ?? "member");
    if (refused) return { state, changes: [], reply: { ok: false, error: refused.toAck() } };
  }
  const facts = member && {
    ...member.standing,
    name: member.person.name,
    frozenUntil: member.frozenUntil ?? null,
    lastOpenGymAt: member.lastOpenGymAt,
  };
  const decide = (rules: readonly DeskMemberRule[]) =>
    decideDeskCheckIn({ gymId: ctx.gymId, member: facts, bookings, openGym: cmd.openGym === true, rules: DefaultDeskRules, now }, rules);
  // The waiver joins the member rules after the membership (docs/domain.md "Policies and waivers"), as on an offline desk.
  const first = decide(deskRulesWithWaiver(member?.standing.waiver));
  const name = member?.person.name ?? "Unknown member";
  const memberId = member?.standing.memberId ?? null;
  // An override of a refusal about a booked class (its window, the waiver): the class room checks them into it.
  const without =
    cmd.override && first.verdict === "denied" && isOverridable(first.reason) && !cmd.openGym ? decide(DeskMemberRules) : null;
  const booked =
    without &&
    (without.verdict === "class" ||
      without.verdict === "already_in_class" ||
      (without.verdict === "denied" && without.reason === "OUTSIDE_CHECK_IN_WINDOW"))
      ? without
      : null;
  const intoClass = booked?.sessionId && booked.className !== null ? { sessionId: booked.sessionId, className: booked.className } : null;
  const verdict: DeskVerdict = intoClass ? { verdict: "class", ...intoClass } : first;
  const override = intoClass ? cmd.override : undefined;
  // An offline desk showed ✔ or ✘ already: where the server decides otherwise, staff must look (needs attention).
  const judged = (admitted: boolean) =>
    cmd.offline ? { provisional: cmd.offline.admitted, needsAttention: cmd.offline.admitted !== admitted } : {};
  if (verdict.verdict === "class" || verdict.verdict === "already_in_class") {
    const className = verdict.className;
    // The class room decides and stores it (as of the same instant); this mailbox does not wait for that commit.
    const replyLater = ctx
      .ask(`class:${verdict.sessionId}` as RoomId, {
        kind: "command",
        caller,
        commandId: `desk-${commandId}`,
        type: "class:checkIn",
        payload: { sessionId: verdict.sessionId, memberId, source, ...(override ? { override } : {}) },
        receivedAt,
        ...(offline ? { offline: { asOf: now, ...offline, ...(member ? { status: member.standing.status } : {}) } } : {}),
      })
      .then((answer): Ack<unknown> => {
        if (!answer.ok) return answer;
        const result = answer.result as { status: string; reason?: string; message?: string };
        return { ok: true, result: { ...result, memberName: name, memberId, className, ...judged(result.status !== "denied") } };
      });
    return { state, changes: [], reply: { ok: true, result: null }, replyLater };
  }
  if (verdict.verdict === "already_checked_in")
    return {
      state,
      changes: [],
      reply: {
        ok: true,
        result: { status: "already_checked_in", message: "Already checked in.", memberName: name, memberId, ...judged(true) },
      },
    };
  const base = { id: ctx.rt.newId(), gymId: ctx.gymId, memberId, source, at: now, byUserId: caller.userId, ...offline };
  if (verdict.verdict === "denied" && cmd.override && member && isOverridable(verdict.reason)) {
    // Staff gave a reason: an accepted open-gym check-in that carries it (an override on the stream, audited with the commit).
    const checkIn: CheckIn = { ...base, sessionId: null, result: "accepted", reason: verdict.reason, override: cmd.override.reason };
    const attendance: AttendanceEvent = {
      id: ctx.rt.newId(),
      gymId: ctx.gymId,
      memberId: member.standing.memberId,
      sessionId: null,
      at: now,
    };
    return recorded(
      state,
      [
        { type: "checkin", checkIn },
        { type: "attendance", attendance },
        ...waiverAlerts(state, checkIn, name, classCameFor(without)),
        { type: "notice", notice: overrideNotice(ctx, member.standing.memberId, now, verdict.reason, cmd.override.reason) },
      ],
      checkIn,
      name,
      null,
      {
        status: "checked_in",
        message: "Checked in (override).",
        memberName: name,
        memberId,
        className: null,
        override: cmd.override.reason,
        overridden: verdict.reason,
        ...judged(true),
      },
    );
  }
  const admitted = verdict.verdict === "open_gym";
  const checkIn: CheckIn = {
    ...base,
    sessionId: admitted ? null : verdict.sessionId,
    result: admitted ? "accepted" : "denied",
    reason: admitted ? null : verdict.reason,
  };
  const changes: GymChange[] = [{ type: "checkin", checkIn }];
  if (admitted) {
    changes.push({
      type: "attendance",
      attendance: { id: ctx.rt.newId(), gymId: ctx.gymId, memberId: memberId!, sessionId: null, at: now },
    });
    return recorded(state, changes, checkIn, name, null, {
      status: "checked_in",
      message: "Welcome in!",
      memberName: name,
      memberId,
      className: null,
      streak: streakOn(ctx, member, now),
      ...judged(true),
    });
  }
  const { reason, className } = verdict;
  // Staff hear of an unsigned waiver (once per member and day, the store decides): written with the refusal.
  const cameFor = reason === "WAIVER_NOT_SIGNED" && !cmd.openGym ? classCameFor(decide(DeskMemberRules)) : null;
  changes.push(...waiverAlerts(state, checkIn, name, cameFor));
  const frozen = reason === "MEMBERSHIP_FROZEN";
  const message = frozen ? frozenMessage(member?.frozenUntil) : CheckInDenialMessages[reason];
  // Not booked: the class the desk would check them into, to book (or waitlist) and check in in one step.
  const offer = reason === "NO_BOOKING" && member && !cmd.offline ? walkInOffer(scheduleLines(state), now) : null;
  return recorded(state, changes, checkIn, name, className, {
    status: "denied",
    reason,
    message,
    memberName: name,
    memberId,
    overridable: member !== null && isOverridable(reason),
    ...(frozen ? { frozenUntil: member?.frozenUntil ?? null } : {}),
    ...(offer ? { walkIn: offer } : {}),
    ...judged(false),
  });
}

function* scheduleLines(state: GymRoomModel) {
  for (const [, line] of state.schedule.entries()) yield line;
}

/** The member's streak with this visit, from the resident copy (no read); null without one. */
function streakOn(ctx: GymDeskContext, member: DeskMember | null, now: number): number | null {
  return member ? (ctx.desk?.resident.streakOn(ctx.gymId, member.standing.memberId, now) ?? null) : null;
}

/** The member's notice of an open-gym override: what rule was set aside and why. */
const overrideNotice = (ctx: GymDeskContext, memberId: string, at: number, denial: CheckInDenial, reason: string) => ({
  id: ctx.rt.newId(),
  userId: memberId,
  gymId: ctx.gymId,
  kind: "membership" as const,
  text: overrideNoticeText(null, denial, reason),
  sessionId: null,
  at,
  readAt: null,
});
