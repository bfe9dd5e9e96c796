import { entitlementError, isLive, isOpenEntry, type ClassNotificationEvent, type ClassStateEvent } from "../domain/class/index.js";
import { DefaultMessages, type ErrorCode } from "../domain/errors.js";
import { formatMoney, formatWhen } from "../domain/format.js";
import type { Fee } from "../domain/model.js";
import type { RoomId } from "../domain/protocol/envelope.js";
import { classCounts, type ClassRoomState } from "../domain/views/classView.js";
import { sessionFacts, type CheckInStreamItem, type ScheduleEntry } from "../domain/views/gymView.js";
import { asNotice, type InboxNotice } from "../domain/notices/inbox.js";
import { packLowText, packRunsLow } from "../domain/notices/kinds.js";
import { overrideNoticeText } from "../domain/checkin/override.js";
import type { Notice } from "../domain/notices/inbox.js";
import { myBookingOf, myPlaceOf, type MyBooking, type MyWaitlistPlace } from "../domain/views/userView.js";
import type { RoomRuntime } from "./ports.js";

/** Sends a committed class change to the rooms that show it: the gym's schedule and KPIs, and each member's own room. */
export interface ClassNoteSink {
  /**
   * The inbox entries of a decision: its notifications and the fees it charged (ids and time fixed here, so the
   * commit stores what the rooms show).
   */
  inbox(
    before: ClassRoomState,
    state: ClassRoomState,
    notices: ClassNotificationEvent[],
    changes: readonly ClassStateEvent[],
  ): InboxNotice[];
  /** The committed notices members wait for (promoted, offered, cancelled): sent first, right after the answers. */
  notices(stored: readonly InboxNotice[]): void;
  /**
   * Everything else, sent after the answers: each changed booking and waitlist place, and the gym's schedule line and
   * KPIs — one note for all the decisions committed together (their `later`s run in one turn), not one per decision.
   */
  committed(state: ClassRoomState, changes: ClassStateEvent[]): void;
}

/** The schedule line a gym room shows for a session. */
export function scheduleEntry(state: ClassRoomState): ScheduleEntry {
  return {
    ...sessionFacts(state.cls.session),
    ...state.labels,
    ...classCounts(state.cls),
  };
}

function myBooking(state: ClassRoomState, b: ClassRoomState["cls"]["bookings"][number]): MyBooking {
  return myBookingOf(b, state.cls.session, state.labels, state.cls.feePolicy);
}

function myPlace(state: ClassRoomState, e: ClassRoomState["cls"]["waitlist"][number]): MyWaitlistPlace {
  return myPlaceOf(e, state.cls.session, state.labels.className);
}

type NoticeText = Pick<InboxNotice, "kind" | "text" | "expiresAt">;

/** Why a waiting member was skipped, in the words they would see booking (the event carries only the code). */
function skipReason(state: ClassRoomState, memberId: string, code: string, now: number): string {
  const standing = state.cls.members[memberId];
  const known = standing ? entitlementError(standing, now, state.cls)?.message : undefined;
  if (known) return known;
  return Object.hasOwn(DefaultMessages, code) ? DefaultMessages[code as ErrorCode] : "you're not a member of this gym any more";
}

function noticeText(state: ClassRoomState, n: ClassNotificationEvent, now: number): NoticeText | null {
  const when = `${formatWhen(state.cls.session.startsAt, state.cls.timeZone)} ${state.labels.className}`;
  switch (n.type) {
    case "member.promoted":
      return { kind: "promoted", text: `You're in: ${when}` };
    case "member.offered":
      return {
        kind: "offered",
        text: `A spot opened in ${when} — claim it by ${formatWhen(n.expiresAt, state.cls.timeZone)}`,
        expiresAt: n.expiresAt,
      };
    case "offer.expired":
      return { kind: "offer_expired", text: `Your held spot in ${when} expired` };
    case "waitlist.skipped":
      return { kind: "skipped", text: `We couldn't give you the spot in ${when}: ${skipReason(state, n.memberId, n.reason, now)}` };
    case "waitlist.spotOpenNoPromotion":
      return { kind: "spot_open", text: `A spot is open in ${when} — book it now if you can make it` };
    case "class.cancelled":
      return { kind: "class_cancelled", text: `Cancelled: ${when} (${n.reason})` };
    case "noShow.undone": {
      const back = [
        n.feeCents > 0 ? `the ${formatMoney(n.feeCents, n.currency)} no-show fee is waived` : "",
        n.creditReturned ? "your credit is back" : "",
      ]
        .filter(Boolean)
        .join(" and ");
      return {
        kind: "membership",
        text: `Your no-show for ${when} was excused by the gym${back ? ` — ${back}` : ""}. Reason: ${n.reason}`,
      };
    }
  }
}

function feeText(state: ClassRoomState, fee: Fee): Pick<Notice, "kind" | "text"> {
  const when = `${formatWhen(state.cls.session.startsAt, state.cls.timeZone)} ${state.labels.className}`;
  const what = fee.kind === "no_show" ? "no-show" : "late-cancel";
  return { kind: "fee_charged", text: `A ${what} fee of ${formatMoney(fee.amountCents, fee.currency)} was charged for ${when}` };
}

/** A scheduled class moved or got another coach: everyone booked or waiting is told (not for capacity or status changes). */
function changed(
  before: ClassRoomState,
  after: ClassRoomState,
  changes: readonly ClassStateEvent[],
): [string, Pick<Notice, "kind" | "text">][] {
  const was = before.cls.session;
  const now = after.cls.session;
  if (!changes.some((c) => c.type === "session.updated") || now.status !== "scheduled") return [];
  const moved = was.startsAt !== now.startsAt || was.endsAt !== now.endsAt;
  if (!moved && was.coachId === now.coachId) return [];
  const tz = after.cls.timeZone;
  const text = moved
    ? `Moved: ${formatWhen(was.startsAt, tz)} ${after.labels.className} is now ${formatWhen(now.startsAt, tz)}`
    : `New coach for ${formatWhen(now.startsAt, tz)} ${after.labels.className}`;
  const who = new Set([
    ...after.cls.bookings.filter(isLive).map((b) => b.memberId),
    ...after.cls.waitlist.filter(isOpenEntry).map((e) => e.memberId),
  ]);
  return [...who].map((id) => [id, { kind: "class_changed", text }]);
}

/** A member turned away (or let in on an override) for an unsigned waiver: the class's coach hears it, once per member and class. */
function unsignedWaivers(before: ClassRoomState, after: ClassRoomState, changes: readonly ClassStateEvent[]): [string, NoticeText][] {
  const s = after.cls.session;
  const coach = s.coachId;
  if (!coach || !changes.some((c) => c.type === "checkin.recorded")) return [];
  const told = new Set(before.cls.checkIns.filter((x) => x.reason === "WAIVER_NOT_SIGNED").map((x) => x.memberId));
  return changes.flatMap((c): [string, NoticeText][] => {
    const m = c.type === "checkin.recorded" && c.checkIn.reason === "WAIVER_NOT_SIGNED" ? c.checkIn.memberId : null;
    if (!m || m === coach || told.has(m)) return [];
    told.add(m);
    const name = after.people[m]?.name || "A member";
    const when = `${formatWhen(s.startsAt, after.cls.timeZone)} ${after.labels.className}`;
    return [[coach, { kind: "waiver_unsigned", text: `${name} came to ${when} without a signed waiver — ask them to sign it.` }]];
  });
}

/** What the gym room is told of a class's committed decisions: its latest schedule line, their KPIs summed, the roster lines they changed. */
interface GymNote {
  state: ClassRoomState;
  gymRoom: RoomId;
  bookings: number;
  noShows: number;
  feesCents: number;
  /** Per member, the status after the last decision that changed their booking. */
  roster: Map<string, "booked" | "checked_in" | null>;
}

function recipients(n: ClassNotificationEvent): string[] {
  return "memberIds" in n ? n.memberIds : [n.memberId];
}

/** A member checked in despite a refusal (a staff override with a reason): they are told what was overridden and why. */
function tellOverrides(rt: RoomRuntime, state: ClassRoomState, changes: readonly ClassStateEvent[], made: InboxNotice[]): void {
  for (const c of changes) {
    if (c.type !== "checkin.recorded") continue;
    const x = c.checkIn;
    if (!x.override || !x.memberId || x.result !== "accepted" || !x.reason) continue;
    const when = `${formatWhen(state.cls.session.startsAt, state.cls.timeZone)} ${state.labels.className}`;
    made.push(inboxEntry(rt, state, x.memberId, { kind: "membership", text: overrideNoticeText(when, x.reason, x.override) }));
  }
}

/** One inbox entry of a decision (id and time fixed here, so the commit stores what the rooms show). */
function inboxEntry(rt: RoomRuntime, state: ClassRoomState, userId: string, text: NoticeText): InboxNotice {
  const s = state.cls.session;
  return { id: rt.newId(), userId, at: rt.now(), sessionId: s.id, gymId: s.gymId, readAt: null, ...text };
}

export function classNotes(rt: RoomRuntime): ClassNoteSink {
  /** The gym's note of this turn's decisions, not sent yet. */
  let pending: GymNote | null = null;
  const sendGymNote = () => {
    const gym = pending;
    pending = null;
    if (!gym) return;
    try {
      const roster = [...gym.roster].map(([memberId, status]) => ({ memberId, status }));
      rt.tell(gym.gymRoom, {
        kind: "note",
        note: {
          type: "session",
          entry: scheduleEntry(gym.state),
          kpis: { bookings: gym.bookings, noShows: gym.noShows, feesCents: gym.feesCents },
          ...(roster.length > 0 ? { roster } : {}),
        },
      });
    } catch (err) {
      // Like any effect after a commit: a lost note leaves the gym's view stale, it must not end the process.
      rt.log.error({ room: gym.gymRoom, err }, "gym note failed");
    }
  };
  return {
    inbox(before, state, notices, changes) {
      // Most decisions (a booking) tell nobody: nothing is built for them (no closure either: the server runs through
      // tsx, whose kept names cost every named closure a defineProperty each time it is made).
      const made: InboxNotice[] = [];
      for (const n of notices) {
        const text = noticeText(state, n, rt.now());
        if (text) for (const userId of recipients(n)) made.push(inboxEntry(rt, state, userId, text));
      }
      for (const c of changes)
        if (c.type === "fee.charged" && !c.fee.waived && c.fee.amountCents > 0)
          made.push(inboxEntry(rt, state, c.fee.memberId, feeText(state, c.fee)));
      for (const c of changes)
        if (c.type === "credits.changed" && packRunsLow(before.cls.members[c.memberId]?.credits, c.credits))
          made.push(inboxEntry(rt, state, c.memberId, { kind: "pack_low", text: packLowText(c.credits) }));
      for (const [userId, text] of unsignedWaivers(before, state, changes)) made.push(inboxEntry(rt, state, userId, text));
      for (const [userId, text] of changed(before, state, changes)) made.push(inboxEntry(rt, state, userId, text));
      tellOverrides(rt, state, changes, made);
      return made;
    },
    notices(stored) {
      for (const n of stored) rt.tell(`user:${n.userId}` as RoomId, { kind: "note", note: { type: "notice", notice: asNotice(n) } });
    },
    committed(state, changes) {
      const s = state.cls.session;
      const gymRoom = `gym:${s.gymId}` as RoomId;
      // The gym's note sums every decision of this turn (a commit batch's `later`s run together): sent once, after the last.
      const first = pending === null;
      const gym = (pending ??= { state, gymRoom, bookings: 0, noShows: 0, feesCents: 0, roster: new Map() });
      gym.state = state;
      for (const c of changes) {
        if (c.type === "booking.created") gym.bookings += 1;
        if (c.type === "booking.updated" && c.booking.status === "no_show") gym.noShows += 1;
        if (c.type === "fee.charged") gym.feesCents += c.fee.amountCents;
        if (c.type === "booking.created" || c.type === "booking.updated") {
          const st = c.booking.status;
          gym.roster.set(c.booking.memberId, st === "booked" || st === "checked_in" ? st : null);
          rt.tell(`user:${c.booking.memberId}` as RoomId, {
            kind: "note",
            note: { type: "booking", booking: myBooking(state, c.booking) },
          });
        }
        if (c.type === "waitlist.updated")
          for (const e of c.entries)
            rt.tell(`user:${e.memberId}` as RoomId, { kind: "note", note: { type: "waitlist", place: myPlace(state, e) } });
        if (c.type === "checkin.recorded") {
          const item: CheckInStreamItem = {
            id: c.checkIn.id,
            memberId: c.checkIn.memberId,
            at: c.checkIn.at,
            result: c.checkIn.result,
            reason: c.checkIn.reason,
            name: (c.checkIn.memberId && state.people[c.checkIn.memberId]?.name) || "Unknown member",
            className: state.labels.className,
            ...(c.checkIn.override ? { override: c.checkIn.override } : {}),
          };
          rt.tell(gymRoom, { kind: "note", note: { type: "checkin", item } });
        }
      }
      if (first) queueMicrotask(sendGymNote);
    },
  };
}
