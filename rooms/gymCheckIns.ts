/**
 * The gym room's check-in stream: adding a recorded check-in (from its own desk or a class room's note) to the
 * state's last hundred, counting accepted ones in today's KPIs, and the outcome a recorded desk check-in answers with.
 */
import type { CheckIn } from "../domain/model.js";
import type { CheckInStreamItem, GymRoomModel } from "../domain/views/gymView.js";
import { mergeChanges, touched } from "../domain/views/sections.js";
import { withDeskChanges } from "./gymDeskFeed.js";
import type { GymChange } from "./gymPorts.js";
import type { Outcome } from "./outcome.js";

const STREAM_MAX = 100;

/** A check-in changes the stream and the KPIs (occupancy is compared on every publish). */
export const CheckInsTouched = touched(["checkIns", "kpis"]);

/** The state with `item` on the stream (once: a repeated item is ignored). */
export function withCheckIn(state: GymRoomModel, item: CheckInStreamItem): GymRoomModel {
  if (state.checkIns.some((c) => c.id === item.id)) return state;
  const checkIns = [...state.checkIns, item].slice(-STREAM_MAX);
  const accepted = item.result === "accepted" ? 1 : 0;
  return { ...state, checkIns, kpis: { ...state.kpis, checkIns: state.kpis.checkIns + accepted } };
}

/** The outcome of a check-in the gym room records itself: on the stream, and for an open-gym visit on the desks' list. */
export function recorded(
  state: GymRoomModel,
  changes: GymChange[],
  checkIn: CheckIn,
  name: string,
  className: string | null,
  result: object,
): Outcome<GymRoomModel, GymChange> {
  const item: CheckInStreamItem = {
    id: checkIn.id,
    memberId: checkIn.memberId,
    name,
    at: checkIn.at,
    result: checkIn.result,
    reason: checkIn.reason,
    className,
    ...(checkIn.override ? { override: checkIn.override } : {}),
  };
  // An accepted open-gym visit: desks swallow a second scan offline too.
  const open =
    checkIn.result === "accepted" && checkIn.sessionId === null && checkIn.memberId
      ? withDeskChanges(state, [{ kind: "openGym", memberId: checkIn.memberId, at: checkIn.at }])
      : null;
  return {
    state: withCheckIn(open?.state ?? state, item),
    touched: open ? mergeChanges(CheckInsTouched, open.touched) : CheckInsTouched,
    changes,
    reply: { ok: true, result },
  };
}
