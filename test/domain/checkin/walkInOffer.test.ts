/** The class the desk offers a member who isn't booked now (issue 18, "Walk-ins"): open for check-in, nearest its start. */
import { describe, expect, it } from "vitest";
import { walkInOffer, type WalkInLine } from "../../../domain/checkin/walkInOffer.js";
import { EARLY, HOUR, MINUTE } from "../../support/domainBuilders.js";

const line = (id: string, startsAt: number, more: Partial<WalkInLine> = {}): WalkInLine => ({
  id,
  className: id.toUpperCase(),
  status: "scheduled",
  startsAt,
  checkInOpensAt: startsAt - 30 * MINUTE,
  checkInClosesAt: startsAt + 30 * MINUTE,
  spotsLeft: 3,
  ...more,
});

describe("the desk's walk-in offer", () => {
  it("offers the class open for check-in nearest its start, and says when it is full", () => {
    const lines = [
      line("later", EARLY + 25 * MINUTE),
      line("now", EARLY - 5 * MINUTE, { spotsLeft: 0 }),
      line("tonight", EARLY + 5 * HOUR),
    ];
    expect(walkInOffer(lines, EARLY)).toEqual({ sessionId: "now", className: "NOW", startsAt: EARLY - 5 * MINUTE, full: true });
  });

  it("offers nothing when no class is open for check-in, a class is cancelled, or a line has no window", () => {
    expect(walkInOffer([line("tonight", EARLY + 5 * HOUR), line("gone", EARLY - 2 * HOUR)], EARLY)).toBeNull();
    expect(walkInOffer([line("off", EARLY, { status: "cancelled" })], EARLY)).toBeNull();
    expect(walkInOffer([line("old", EARLY, { checkInOpensAt: undefined })], EARLY)).toBeNull();
  });

  it("breaks a tie by id, whatever order the schedule lists them in", () => {
    const a = line("a", EARLY + 10 * MINUTE);
    const b = line("b", EARLY - 10 * MINUTE);
    expect(walkInOffer([b, a], EARLY)?.sessionId).toBe("a");
    expect(walkInOffer([a, b], EARLY)?.sessionId).toBe("a");
  });
});
