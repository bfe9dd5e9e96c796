/**
 * The gym desk's lookup before a check-in takes its turn: the member (resident copy first, else the store) and their
 * bookings near the decision time; for an offline desk, the membership's status as of the desk's clamped clock.
 */
import { offlineDecisionTime } from "../domain/checkin/deskDecision.js";
import { statusAsOf } from "../domain/checkin/statusAsOf.js";
import type { ScheduleEntry } from "../domain/views/gymView.js";
import { residentDeskLookup, type DeskCheckIn, type DeskLookup, type ResidentDesk } from "./deskLookup.js";
import type { GymStore } from "./gymPorts.js";

/** What a desk lookup reads from: the store, the resident members if any, and the room's schedule once started. */
export interface DeskLookupSource {
  store: GymStore;
  gymId: string;
  desk?: ResidentDesk | undefined;
  now(): number;
  /** The room's schedule after its start (resident lookups match bookings against it). */
  schedule(): Promise<{ get(id: string): ScheduleEntry | undefined }>;
}

/** The instant a desk check-in is decided at: now, or for one an offline desk sends late, its clock clamped (domain `offlineDecisionTime`). */
export function deskTime(cmd: DeskCheckIn, receivedAt: number): number {
  return cmd.offline ? offlineDecisionTime(cmd.offline, receivedAt) : receivedAt;
}

/** The member and bookings a desk check-in is decided with. */
export async function lookUpDesk(src: DeskLookupSource, cmd: DeskCheckIn): Promise<DeskLookup> {
  const now = deskTime(cmd, src.now());
  const found = await lookUpNow(src, cmd, now);
  return cmd.offline ? asOfDeskTime(src, found, cmd, now) : found;
}

/** An offline desk's check-in is decided with the membership's status at the desk's (clamped) time, not today's. */
async function asOfDeskTime(src: DeskLookupSource, found: DeskLookup, cmd: DeskCheckIn, at: number): Promise<DeskLookup> {
  const m = found.member;
  if (!m) return found;
  const status = statusAsOf(m.standing.status, await src.store.statusChangesAfter(src.gymId, m.standing.memberId, at), at);
  if (status === m.standing.status) return found;
  // Today's lookup skipped the bookings of a membership that is not active now.
  const bookings = status === "active" && !cmd.openGym ? await src.store.findBookings(src.gymId, m.standing.memberId, at) : [];
  return { member: { ...m, standing: { ...m.standing, status } }, bookings };
}

async function lookUpNow(src: DeskLookupSource, cmd: DeskCheckIn, now: number): Promise<DeskLookup> {
  if (src.desk) {
    const found = await residentDeskLookup(src.desk, src.gymId, await src.schedule(), cmd, now);
    if (found) return found;
  }
  const member = await src.store.findMember(src.gymId, "code" in cmd ? { code: cmd.code } : { memberId: cmd.memberId });
  const bookings =
    member && member.standing.status === "active" && !cmd.openGym
      ? await src.store.findBookings(src.gymId, member.standing.memberId, now)
      : [];
  return { member, bookings };
}
