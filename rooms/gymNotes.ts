/**
 * How the gym room's state follows what other rooms and staff committed: a class room's session counts, rosters
 * and check-ins, new schedule entries, policy and catalog changes, and a member's change the desks are told about.
 */
import type { GymRoomModel } from "../domain/views/gymView.js";
import { mergeChanges, touched } from "../domain/views/sections.js";
import { CheckInsTouched, withCheckIn } from "./gymCheckIns.js";
import { memberChange, withDeskChanges } from "./gymDeskFeed.js";
import type { GymChange } from "./gymPorts.js";
import { withCatalog } from "./gymSchedule.js";
import type { DeskMember } from "./deskLookup.js";
import type { RoomNote } from "./ports.js";
import type { Outcome } from "./outcome.js";

/** A committed change from elsewhere: the new state and what of the views it touched (`found`: the member read fresh). */
export function applyGymNote(
  state: GymRoomModel,
  note: RoomNote,
  found?: DeskMember | null,
): Pick<Outcome<GymRoomModel, GymChange>, "state" | "touched"> {
  if (note.type === "member") return withDeskChanges(state, found === undefined ? [] : [memberChange(note.memberId, found)]);
  // A policy change: classes scheduled from now on copy it (docs/domain.md "Settings and their defaults").
  // Its documents' newest versions are in the public view: open member apps read their policies again.
  if (note.type === "policy") return { state: { ...state, policy: note.policy }, touched: touched(["policies"]) };
  if (note.type === "catalog") return withCatalog(state, note.change);
  if (note.type === "checkin") return { state: withCheckIn(state, note.item), touched: CheckInsTouched };
  if (note.type === "session") {
    const entry = note.entry;
    const k = note.kpis;
    const shown = state.schedule.has(entry.id);
    const schedule = shown ? state.schedule.set(entry.id, entry) : state.schedule;
    const kpis = {
      ...state.kpis,
      bookings: state.kpis.bookings + k.bookings,
      noShows: state.kpis.noShows + k.noShows,
      feesCents: state.kpis.feesCents + k.feesCents,
    };
    // Desks patch their saved rosters with the bookings that changed.
    const desk = withDeskChanges(
      { ...state, schedule, kpis },
      (note.roster ?? []).map((r) => ({ kind: "roster" as const, sessionId: entry.id, startsAt: entry.startsAt, ...r })),
    );
    return { state: desk.state, touched: mergeChanges(touched(["kpis"], { schedule: shown ? [entry.id] : [] }), desk.touched) };
  }
  if (note.type === "schedule") {
    const entry = note.entry;
    return { state: { ...state, schedule: state.schedule.set(entry.id, entry) }, touched: touched([], { schedule: [entry.id] }) };
  }
  return { state };
}
