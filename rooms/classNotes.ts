import type { ClassNotificationEvent, ClassStateEvent } from "../domain/class/index.js";
import { formatWhen } from "../domain/class/format.js";
import type { RoomId } from "../domain/protocol/envelope.js";
import { classCounts, type ClassRoomState } from "../domain/views/classView.js";
import type { CheckInStreamItem, ScheduleEntry } from "../domain/views/gymView.js";
import { myBookingOf, myPlaceOf, type MyBooking, type MyWaitlistPlace, type Notice } from "../domain/views/userView.js";
import type { RoomRuntime } from "./ports.js";

/** Sends a committed class change to the rooms that show it: the gym's schedule and KPIs, and each member's own room. */
export interface ClassNoteSink {
  /** The notices members wait for (promoted, offered, cancelled): sent first, right after the answers. */
  notices(state: ClassRoomState, notices: ClassNotificationEvent[]): void;
  /** Everything else (each changed booking and waitlist place, the gym's schedule line and KPIs): sent after the answers. */
  committed(state: ClassRoomState, changes: ClassStateEvent[]): void;
}

/** The schedule line a gym room shows for a session. */
export function scheduleEntry(state: ClassRoomState): ScheduleEntry {
  const s = state.cls.session;
  return {
    id: s.id, locationId: s.locationId, classTypeId: s.classTypeId, coachId: s.coachId, startsAt: s.startsAt, endsAt: s.endsAt,
    capacity: s.capacity, status: s.status, ...state.labels, ...classCounts(state.cls),
  };
}

function myBooking(state: ClassRoomState, b: ClassRoomState["cls"]["bookings"][number]): MyBooking {
  return myBookingOf(b, state.cls.session, state.labels, state.cls.feePolicy);
}

function myPlace(state: ClassRoomState, e: ClassRoomState["cls"]["waitlist"][number]): MyWaitlistPlace {
  return myPlaceOf(e, state.cls.session, state.labels.className);
}

function noticeText(state: ClassRoomState, n: ClassNotificationEvent): Pick<Notice, "kind" | "text"> | null {
  const when = `${formatWhen(state.cls.session.startsAt, state.cls.timeZone)} ${state.labels.className}`;
  switch (n.type) {
    case "member.promoted":
      return { kind: "promoted", text: `You're in: ${when}` };
    case "member.offered":
      return { kind: "offered", text: `A spot opened in ${when} — claim it by ${formatWhen(n.expiresAt, state.cls.timeZone)}` };
    case "offer.expired":
      return { kind: "offer_expired", text: `Your held spot in ${when} expired` };
    case "waitlist.skipped":
      return { kind: "skipped", text: `We couldn't give you the spot in ${when}: ${n.reason}` };
    case "waitlist.spotOpenNoPromotion":
      return { kind: "spot_open", text: `A spot is open in ${when} — book it now if you can make it` };
    case "class.cancelled":
      return { kind: "class_cancelled", text: `Cancelled: ${when} (${n.reason})` };
  }
}

function recipients(n: ClassNotificationEvent): string[] {
  return "memberIds" in n ? n.memberIds : [n.memberId];
}

export function classNotes(rt: RoomRuntime): ClassNoteSink {
  return {
    notices(state, notices) {
      for (const n of notices) {
        const text = noticeText(state, n);
        if (!text) continue;
        for (const memberId of recipients(n)) {
          const notice: Notice = { id: rt.newId(), at: rt.now(), sessionId: state.cls.session.id, ...text };
          rt.tell(`user:${memberId}` as RoomId, { kind: "note", note: { type: "notice", notice } });
        }
      }
    },
    committed(state, changes) {
      const s = state.cls.session;
      const gymRoom = `gym:${s.gymId}` as RoomId;
      let bookings = 0;
      let noShows = 0;
      let feesCents = 0;
      for (const c of changes) {
        if (c.type === "booking.created") bookings += 1;
        if (c.type === "booking.updated" && c.booking.status === "no_show") noShows += 1;
        if (c.type === "fee.charged") feesCents += c.fee.amountCents;
        if (c.type === "booking.created" || c.type === "booking.updated") {
          rt.tell(`user:${c.booking.memberId}` as RoomId, { kind: "note", note: { type: "booking", booking: myBooking(state, c.booking) } });
        }
        if (c.type === "waitlist.updated")
          for (const e of c.entries)
            rt.tell(`user:${e.memberId}` as RoomId, { kind: "note", note: { type: "waitlist", place: myPlace(state, e) } });
        if (c.type === "checkin.recorded") {
          const item: CheckInStreamItem = {
            id: c.checkIn.id, memberId: c.checkIn.memberId, at: c.checkIn.at, result: c.checkIn.result, reason: c.checkIn.reason,
            name: (c.checkIn.memberId && state.people[c.checkIn.memberId]?.name) || "Unknown member", className: state.labels.className,
          };
          rt.tell(gymRoom, { kind: "note", note: { type: "checkin", item } });
        }
      }
      rt.tell(gymRoom, { kind: "note", note: { type: "session", entry: scheduleEntry(state), kpis: { bookings, noShows, feesCents } } });
    },
  };
}
