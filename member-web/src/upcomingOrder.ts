/** My upcoming classes as one list in time order: a waitlist place sits where its class falls, not after every booking. */
export type Upcoming<B, P> = { kind: "booking"; item: B } | { kind: "place"; item: P };

export function inTimeOrder<B extends { startsAt: number }, P extends { startsAt: number }>(
  bookings: readonly B[],
  places: readonly P[],
): Upcoming<B, P>[] {
  const all: Upcoming<B, P>[] = [
    ...bookings.map((item) => ({ kind: "booking" as const, item })),
    ...places.map((item) => ({ kind: "place" as const, item })),
  ];
  return all.sort((a, b) => a.item.startsAt - b.item.startsAt);
}
