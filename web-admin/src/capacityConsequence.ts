/**
 * What lowering a class's capacity below its bookings does, in words, before staff save it. The rule
 * (domain/class/staff.ts `changeCapacity`, `updateSession`): nobody loses a spot and nobody is told;
 * new bookings go to the waitlist and no one is promoted until the roster fits.
 */

/** The question to ask before saving, or null when the new capacity holds everyone booked. */
export function capacityConsequence(booked: number, waitlist: number, capacity: number): { heading: string; message: string } | null {
  if (capacity >= booked) return null;
  const over = booked - capacity;
  const people = (n: number) => `${n} ${n === 1 ? "person" : "people"}`;
  return {
    heading: `Capacity ${capacity} is below the ${booked} booked`,
    message:
      `Nobody loses their spot and nobody is told: the class shows ${booked}/${capacity} booked until ${people(over)} cancel. ` +
      `Meanwhile new bookings go to the waitlist${waitlist > 0 ? ` (${people(waitlist)} already waiting)` : ""} and nobody is promoted. ` +
      `To move people off the roster, cancel their bookings from the roster.`,
  };
}
