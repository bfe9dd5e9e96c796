/**
 * Keeps resident copies current with the commits of this node's rooms: a class commit's credit deltas, bookings,
 * attendance (streaks) and rescheduled sessions, and the desk's open-gym visits. Copies not current are marked stale.
 */
import type { ClassSession } from "../domain/model.js";
import type { ClassStateEvent, MemberStanding } from "../domain/class/index.js";
import { creditDeltas } from "../domain/class/standingChanges.js";
import { activeOn } from "../domain/attendance/streak.js";
import { localDate } from "../domain/schedule/timeZone.js";
import { rescheduled, withBooking } from "./residentMember.js";
import { freshMember, type GymEntry } from "./residentGym.js";

/** Applies a class room's committed events to the gym's copies; answers the members it changed. */
export function applyClassCommit(
  g: GymEntry | undefined,
  base: { session: ClassSession; members: Readonly<Record<string, MemberStanding>> },
  events: readonly ClassStateEvent[],
): Set<string> {
  const { session } = base;
  const changed = new Set<string>();
  for (const [memberId, delta] of creditDeltas(base.members, events)) {
    if (delta === 0) continue;
    changed.add(memberId);
    const m = freshMember(g, memberId);
    if (m && m.credits !== null) m.credits += delta;
  }
  for (const e of events) {
    if (e.type === "attendance.recorded") {
      changed.add(e.attendance.memberId);
      const m = freshMember(g, e.attendance.memberId);
      if (m && g) m.streak = activeOn(m.streak, localDate(e.attendance.at, g.timeZone));
    } else if (e.type === "booking.created" || e.type === "booking.updated") {
      changed.add(e.booking.memberId);
      const m = freshMember(g, e.booking.memberId);
      if (m) m.bookings = withBooking(m.bookings, session, e.booking.status);
    } else if (e.type === "session.updated" && g) {
      for (const m of g.members.values())
        if (m.bookings.some((b) => b.sessionId === e.session.id)) m.bookings = rescheduled(m.bookings, e.session);
    }
  }
  return changed;
}

/** Applies an open-gym visit the desk recorded: the member's last visit and streak. */
export function applyOpenGym(g: GymEntry | undefined, memberId: string, at: number): void {
  const m = freshMember(g, memberId);
  if (m) m.lastOpenGymAt = Math.max(m.lastOpenGymAt ?? 0, at);
  if (m && g) m.streak = activeOn(m.streak, localDate(at, g.timeZone));
}

/** Members booked in a session a commit rescheduled: their weekly counts may have moved. */
export function rescheduledMembers(sessionId: string, events: readonly ClassStateEvent[], g: GymEntry | undefined): string[] {
  if (!g || !events.some((e) => e.type === "session.updated")) return [];
  return [...g.members.values()].filter((m) => m.bookings.some((b) => b.sessionId === sessionId)).map((m) => m.memberId);
}
