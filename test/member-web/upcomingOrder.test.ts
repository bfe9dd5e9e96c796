/** Bookings tab: waitlist places in time order with the bookings (issue 19 item 12). */
import { describe, expect, it } from "vitest";
import { inTimeOrder } from "../../member-web/src/upcomingOrder.js";

describe("inTimeOrder", () => {
  it("puts a waitlist place for tomorrow before a booking next week", () => {
    const list = inTimeOrder(
      [
        { id: "b-next-week", startsAt: 700 },
        { id: "b-today", startsAt: 100 },
      ],
      [{ id: "w-tomorrow", startsAt: 200 }],
    );
    expect(list.map((u) => `${u.kind}:${u.item.id}`)).toEqual(["booking:b-today", "place:w-tomorrow", "booking:b-next-week"]);
  });
});
