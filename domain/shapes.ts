/**
 * Object shapes V8 can keep monomorphic (issue 15: the class room's hot functions were de-optimised on every new room).
 *
 * An empty array literal or `[].map(…)` starts with SMI elements; the first object pushed moves it to object elements.
 * A room's lists (bookings, waitlist, …) loaded empty therefore reached `liveBookingOf`, `heldSpots`, `queue` with one
 * array map, and with another once they held a booking: optimised code that had only seen the second was thrown away
 * ("wrong map") at each new room's first command. Lists built here hold object elements from birth, empty or not.
 */

/** A sentinel only ever stored for an instant, to give an empty array object elements. */
const SEED: object = Object.freeze({});

/** An empty array with object elements (pushing objects into it never changes its map). */
export function objectList<T>(): T[] {
  const list = [SEED] as unknown as T[];
  list.pop();
  return list;
}

/** `items` mapped by `fn` into an array with object elements, also when empty (`Array.prototype.map` of [] is not). */
export function mapObjects<S, T extends object>(items: Iterable<S> | null | undefined, fn: (item: S) => T): T[] {
  const out = objectList<T>();
  if (items) for (const item of items) out.push(fn(item));
  return out;
}
