import type { MyBooking, MyWaitlistPlace } from "../../domain/views/userView.js";
import type { ScheduleEntry } from "../../domain/views/gymView.js";

/** What a member can do to one session. */
export type SessionAction = "book" | "waitlist" | "cancel" | "leaveWaitlist" | "claim" | "checkIn";

/** A request from a card or list to act on a session; the shell performs it and sets `settled`. */
export interface SessionActionDetail {
  action: SessionAction;
  sessionId: string;
  /** Labels for confirmations and toasts ("Strength, Thu 07:00"). */
  className: string;
  startsAt: number;
  /** My booking when cancelling (late-cancel cut-off and fee). */
  booking: MyBooking | undefined;
  /** Self check-in: the 6 digits the desk screen shows (proof the member is in the gym). */
  presenceCode?: string;
  /** Resolves when the command was answered (true when it succeeded). */
  settled: Promise<boolean> | undefined;
}

/** Asks the shell to act; resolves when done. False when nobody handled it or it failed. */
export async function requestAction(from: EventTarget, detail: Omit<SessionActionDetail, "settled">): Promise<boolean> {
  const event = new CustomEvent<SessionActionDetail>("session-action", {
    detail: { ...detail, settled: undefined },
    bubbles: true,
    composed: true,
  });
  from.dispatchEvent(event);
  return (await event.detail.settled) ?? false;
}

/** Bookings that hold a spot. */
export function isLiveBooking(b: MyBooking | undefined): b is MyBooking {
  return b !== undefined && (b.status === "booked" || b.status === "checked_in");
}

/** Waitlist places still in the queue. */
export function isOpenPlace(p: MyWaitlistPlace | undefined): p is MyWaitlistPlace {
  return p !== undefined && (p.status === "waiting" || p.status === "offered");
}

/** Members may check in this long before a class starts (the gym policy's default; the server has the last word). */
const CHECK_IN_OPENS_MS = 30 * 60_000;

/** A booked class whose check-in is open now: the card offers self check-in. */
export function canSelfCheckIn(entry: ScheduleEntry, booking: MyBooking | undefined, now: number): boolean {
  return (
    booking?.status === "booked" &&
    entry.status !== "cancelled" &&
    entry.status !== "completed" &&
    now >= entry.startsAt - CHECK_IN_OPENS_MS &&
    now < entry.endsAt
  );
}

/** "3 spots left", "Full · waitlist 2", "Cancelled", "In progress", "Over". */
export function capacityText(entry: ScheduleEntry, now: number): string {
  if (entry.status === "cancelled") return "Cancelled";
  if (entry.endsAt <= now || entry.status === "completed") return "Over";
  if (entry.startsAt <= now) return "In progress";
  if (entry.spotsLeft > 0) return `${entry.spotsLeft} ${entry.spotsLeft === 1 ? "spot" : "spots"} left`;
  return entry.waitlist > 0 ? `Full · waitlist ${entry.waitlist}` : "Full";
}

declare global {
  interface HTMLElementEventMap {
    "session-action": CustomEvent<SessionActionDetail>;
  }
}
