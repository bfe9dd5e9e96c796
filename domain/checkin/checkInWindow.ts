/**
 * Where a moment stands against a class's check-in window: the one rule the class room, the desk's walk-in offer and the
 * staff roster use.
 */
import type { ClassSession, Instant } from "../model.js";

/** Where `now` stands against a session's check-in window: the one rule the server and the staff roster use. */
export type CheckInWindowState = "not_yet" | "open" | "closed";

/** The check-in window of a session (`classWindows` or a view's session summary) at `now`; completed classes are closed. */
export function checkInWindowState(
  s: { status: ClassSession["status"]; checkInOpensAt: Instant; checkInClosesAt: Instant },
  now: Instant,
): CheckInWindowState {
  if (s.status === "completed" || now > s.checkInClosesAt) return "closed";
  return now < s.checkInOpensAt ? "not_yet" : "open";
}
