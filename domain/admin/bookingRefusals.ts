/**
 * A class room's refusal of an imported booking, in the words staff read on the import screen: the room answers in
 * the member's words ("You're already booked in this class."), but the owner importing a file needs who and which
 * class ("Ana Ruiz is already booked in the Strength class on 2026-12-08 18:00.").
 */
import type { ErrorCode } from "../errors.js";

/** Who the row books and into which class, as the row named them. */
export interface RefusedRow {
  /** The member's name, or their email when they have none. */
  member: string;
  classTypeName: string;
  /** "YYYY-MM-DD HH:MM" as the file gave it (the gym's time zone). */
  when: string;
}

/** The staff sentence for a room's refusal `code` of row `r`. */
export function bookingRefusal(code: ErrorCode, r: RefusedRow): string {
  const cls = `the ${r.classTypeName} class on ${r.when}`;
  switch (code) {
    case "ALREADY_BOOKED":
      return `${r.member} is already booked in ${cls}.`;
    case "ALREADY_WAITLISTED":
      return `${r.member} is on the waitlist of ${cls} — take them off the waitlist first, or leave this row out.`;
    case "CLASS_FULL":
      return `${cap(cls)} filled up while importing — leave this row out or raise the capacity first.`;
    case "NO_CREDITS":
      return `${r.member} has no class credits left for ${cls} — sell a pack or adjust their credits first, or leave this row out.`;
    case "WEEKLY_LIMIT_REACHED":
      return `${r.member} has used all the classes their plan allows in the week of ${cls} — leave this row out or change their plan.`;
    case "MEMBERSHIP_INACTIVE":
      return `The membership of ${r.member} isn't active (frozen, past due or cancelled), so they can't be booked in ${cls}.`;
    case "WAIVER_REQUIRED":
      return `${r.member} hasn't signed the gym's waiver, which ${cls} requires before booking — ask them to sign it first.`;
    case "CONSENT_REQUIRED":
      return `${r.member} hasn't accepted the updated terms yet — they need to before they can be booked in ${cls}.`;
    case "BOOKING_CLOSED":
    case "CLASS_COMPLETED":
      return `Booking for ${cls} has closed — leave this row out.`;
    case "BOOKING_NOT_OPEN":
      return `Booking for ${cls} hasn't opened yet — import this row later.`;
    case "CLASS_CANCELLED":
      return `${cap(cls)} was cancelled — leave this row out.`;
    default:
      return `${r.member} could not be booked in ${cls} (${code.toLowerCase().replaceAll("_", " ")}) — try again, or leave this row out.`;
  }
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
