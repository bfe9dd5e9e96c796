/**
 * What the gym room records and needs from outside: the changes it stores itself, the store port it commits them
 * through and reads desk lookups from, and how it asks another room (class check-ins go on to their class room).
 */
import type { DeskBooking } from "../domain/checkin/deskDecision.js";
import type { StatusChange } from "../domain/checkin/statusAsOf.js";
import type { AttendanceEvent, CheckIn, ClassSession, ClassType, RecurringSchedule } from "../domain/model.js";
import type { Ack, RoomId } from "../domain/protocol/envelope.js";
import type { GymRoomState } from "../domain/views/gymView.js";
import type { InboxNotice } from "../domain/notices/inbox.js";
import type { DeskMember } from "./deskLookup.js";
import type { Loaded, ProcessedRecord, RoomMark, RoomMessage } from "./ports.js";

/** Records a gym room stores itself: open-gym and denied desk check-ins, and the schedule it creates. */
export type GymChange =
  | { type: "checkin"; checkIn: CheckIn }
  | { type: "attendance"; attendance: AttendanceEvent }
  | { type: "classType"; classType: ClassType }
  | { type: "session"; session: ClassSession }
  | { type: "schedule"; schedule: RecurringSchedule }
  | { type: "waiverAlert"; alert: WaiverAlert }
  /** A notice to a member, stored in the commit (an override told to the member checked in). */
  | { type: "notice"; notice: InboxNotice };

/**
 * Staff are to hear that a member came to the desk without the signed waiver in force (refused, or let in on an
 * override): the store tells the gym's owners and admins (and the class's coach), once per member and gym-local day.
 */
export interface WaiverAlert {
  memberId: string;
  /** The gym-local day of the scan (`YYYY-MM-DD`): one alert per member and day. */
  day: string;
  at: number;
  /** The class they came for, if any (its coach hears it too). */
  sessionId: string | null;
  /** Who scanned them: they saw it already. */
  byUserId: string | null;
  text: string;
}

/** A gym commit's mark and the notices it stored (their recipients' `user:` rooms are told after it). */
export type GymCommitted = RoomMark & { notices?: readonly InboxNotice[] };

/** Persistence and lookups a gym room needs. */
export interface GymStore {
  loadGym(room: RoomId, gymId: string): Promise<Loaded<GymRoomState> | null>;
  findMember(gymId: string, who: { memberId: string } | { code: string }): Promise<DeskMember | null>;
  /** The member's live bookings of scheduled sessions within six hours of `now`, nearest first (at most three). */
  findBookings(gymId: string, memberId: string, now: number): Promise<DeskBooking[]>;
  /** The member's status changes after `at` (what it was before each, and when): an offline desk's check-in is decided with the status then. */
  statusChangesAfter(gymId: string, memberId: string, at: number): Promise<StatusChange[]>;
  commitGym(room: RoomId, changes: GymChange[], processed: ProcessedRecord[], mark: RoomMark): Promise<GymCommitted | void>;
}

/** Ask another room and wait for its answer (the desk forwards class check-ins to the class room). */
export type AskRoom = (room: RoomId, message: RoomMessage) => Promise<Ack<unknown>>;
